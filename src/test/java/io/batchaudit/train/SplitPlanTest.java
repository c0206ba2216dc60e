package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * DL4J's rules for how many examples an epoch trains, from the counts alone: Direct splits the
 * examples, Export the exported minibatch files.
 */
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

  @Test
  void exportSplitsTheFilesSoAPartitionsSmallerLastFileCountsAsARoundsShare() {
    // the issue's dataset on 4 partitions of 375: 12 files each (11 x 32 + 23), 48 files; a round
    // takes 4 workers x 4 files: 3 rounds of at most 512 examples, where Direct makes 2
    SplitPlan p = SplitPlan.export(1500, 48, 4, 32, 4, false);
    assertThat(p.rounds()).isEqualTo(3);
    assertThat(p.trainedAtMost()).isEqualTo(1500);
    assertThat(p.warning()).isNull();
  }

  @Test
  void exportWarnsWithTheFrequencyThatTakesEveryFileInOneRound() {
    // 3 partitions of 337 or 338 rows: 49 files each, 147; rounds of 9 files: 147 / 9 = 16
    SplitPlan p = SplitPlan.export(1013, 147, 3, 7, 3, false);
    assertThat(p.rounds()).isEqualTo(16);
    assertThat(p.trainedAtMost()).isEqualTo(1008);
    assertThat(p.warning())
        .isEqualTo(
            "warning: DL4J will train at most 1008 of the 1013 examples per epoch (16 rounds x 3"
                + " workers x 3 batches x 7 examples): at least 5 examples (0.5 %) are left"
                + " untrained every epoch. To train every example every epoch: set"
                + " training.coverage=all, or averaging-frequency=49 (one round per epoch)");
    // 100 rows on 2 partitions, batches of 6: 9 files each; one round takes 18 files at 9
    assertThat(SplitPlan.export(100, 18, 2, 6, 2, false).warning())
        .contains("at most 96 of the 100")
        .endsWith("averaging-frequency=9 (one round per epoch)");
    assertThat(SplitPlan.export(100, 18, 2, 6, 9, false).warning()).isNull();
  }

  @Test
  void exportWithCoverageAllTakesEveryFileInRoundsRoundedUp() {
    SplitPlan p = SplitPlan.export(1013, 147, 3, 7, 3, true);
    assertThat(p.rounds()).isEqualTo(17);
    assertThat(p.trainedAtMost()).isEqualTo(1013);
    assertThat(p.warning()).isNull();
  }
}
