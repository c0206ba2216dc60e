package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** DL4J's Direct-approach rule for how many examples an epoch trains, from the counts alone. */
class SplitPlanTest {
  @Test
  void irisWithTheFormerDemoSettingsTrains128Of150PerEpochAndSaysHowToTrainThemAll() {
    SplitPlan iris = new SplitPlan(150, 2, 8, 2, false);
    assertThat(iris.rounds()).isEqualTo(4); // 150 / 32, rounded down
    assertThat(iris.trainedAtMost()).isEqualTo(128);
    assertThat(iris.neverTrained()).isEqualTo(22);
    assertThat(iris.warning())
        .isEqualTo(
            "warning: DL4J will train at most 128 of the 150 examples per epoch (4 rounds x 2"
                + " workers x 2 batches x 8 examples): at least 22 examples (14.7 %) are left"
                + " untrained every epoch. To train every example every epoch: set"
                + " training.coverage=all, or averaging-frequency=10 (one round per epoch)");
  }

  @Test
  void theIssuesDatasetTrains1024Of1500() {
    SplitPlan p = new SplitPlan(1500, 4, 32, 4, false);
    assertThat(p.rounds()).isEqualTo(2);
    assertThat(p.trainedAtMost()).isEqualTo(1024);
    assertThat(p.neverTrained()).isEqualTo(476);
  }

  @Test
  void sizesThatAreMultiplesOfNothingLoseTheRemainderOfTheLastRound() {
    SplitPlan p = new SplitPlan(1013, 3, 7, 3, false);
    assertThat(p.perRound()).isEqualTo(63);
    assertThat(p.rounds()).isEqualTo(16);
    assertThat(p.trainedAtMost()).isEqualTo(1008);
    assertThat(p.neverTrained()).isEqualTo(5);
    assertThat(p.warning()).contains("averaging-frequency=49 (one round per epoch)");
  }

  @Test
  void dataThatFitsOneRoundIsTrainedWholeAndWarnsNothing() {
    SplitPlan p = new SplitPlan(30, 2, 8, 2, false);
    assertThat(p.rounds()).isEqualTo(1);
    assertThat(p.trainedAtMost()).isEqualTo(30);
    assertThat(p.warning()).isNull();
    assertThat(new SplitPlan(32, 2, 8, 2, false).warning()).isNull();
    assertThat(new SplitPlan(33, 2, 8, 2, false).trainedAtMost()).isEqualTo(32);
  }

  @Test
  void coverageAllTrainsEveryExampleInRoundsRoundedUp() {
    SplitPlan p = new SplitPlan(1013, 3, 7, 3, true);
    assertThat(p.rounds()).isEqualTo(17);
    assertThat(p.trainedAtMost()).isEqualTo(1013);
    assertThat(p.warning()).isNull();
    assertThat(new SplitPlan(150, 2, 8, 2, true).rounds()).isEqualTo(5);
  }
}
