package io.batchaudit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.batchaudit.read.AuditLog;
import io.batchaudit.read.Coverage;
import io.batchaudit.read.LabelMix;
import io.batchaudit.read.LabelSource;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.OptionalColumns;
import io.batchaudit.store.Phase;
import io.batchaudit.store.table.AuditTable;
import io.batchaudit.store.table.RunEnd;
import io.batchaudit.testing.LogBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's streamed aggregation on logs with known content, written through the store. */
class ReportDataTest {
  private static final String RUN = LogBuilder.RUN_ID;

  /** Source classes of sample ids 0..7 (three classes). */
  private static final int[] CLASS = {0, 1, 2, 0, 1, 2, 2, 0};

  private static final LabelSource LABELS =
      new LabelSource() {
        @Override
        public long size() {
          return CLASS.length;
        }

        @Override
        public int width() {
          return 3;
        }

        @Override
        public void label(long id, float[] out) {
          Arrays.fill(out, 0f);
          out[CLASS[(int) id]] = 1f;
        }

        @Override
        public String description() {
          return "eight examples";
        }
      };

  @TempDir Path tmp;

  /**
   * A classification batch: one-hot targets of the source classes; {@code predicted[r]} gets 0.8
   * and the other classes 0.1.
   */
  private static AuditBatch predicted(
      Phase phase,
      int epoch,
      int round,
      int batch,
      int partition,
      long step,
      double score,
      long[] ids,
      int[] predicted) {
    float[] p = new float[ids.length * 3];
    for (int r = 0; r < ids.length; r++) {
      for (int c = 0; c < 3; c++) {
        p[r * 3 + c] = c == predicted[r] ? 0.8f : 0.1f;
      }
    }
    return batch(phase, epoch, round, batch, partition, step, score, ids, p);
  }

  /**
   * A classification batch whose target class gets probability {@code q[r]} and each other class
   * {@code (1 - q) / 2}.
   */
  private static AuditBatch probabilities(
      int epoch, int round, int batch, int partition, long step, long[] ids, float[] q) {
    float[] p = new float[ids.length * 3];
    for (int r = 0; r < ids.length; r++) {
      for (int c = 0; c < 3; c++) {
        p[r * 3 + c] = c == CLASS[(int) ids[r]] ? q[r] : (1 - q[r]) / 2;
      }
    }
    return batch(Phase.TRAIN, epoch, round, batch, partition, step, 1.0, ids, p);
  }

  private static AuditBatch batch(
      Phase phase,
      int epoch,
      int round,
      int batch,
      int partition,
      long step,
      double score,
      long[] ids,
      float[] predictions) {
    float[] t = new float[ids.length * 3];
    for (int r = 0; r < ids.length; r++) {
      t[r * 3 + CLASS[(int) ids[r]]] = 1f;
    }
    return new AuditBatch(
        RUN,
        new BatchKey(epoch, phase, round, batch, partition),
        step,
        0,
        100L * epoch + 10L * round + partition + (phase == Phase.VALIDATION ? 5000 : 0),
        score,
        ids,
        new FloatMatrix(ids.length, 3, t),
        new FloatMatrix(ids.length, 3, predictions),
        null,
        null,
        null,
        Map.of());
  }

  /**
   * Two training epochs and two validation epochs. Epoch 0 trains ids 0-7 once; epoch 1 trains id 6
   * twice and never id 7.
   */
  private AuditLog classificationLog() {
    LogBuilder b = new LogBuilder(tmp.resolve("audit"), 2);
    Phase v = Phase.VALIDATION;
    b.task(
            0,
            0,
            0,
            1,
            predicted(
                Phase.TRAIN, 0, 0, 0, 0, 0, 1.0, new long[] {0, 1, 2, 3}, new int[] {0, 1, 1, 0}),
            predicted(Phase.TRAIN, 0, 0, 1, 0, 1, 3.0, new long[] {7}, new int[] {2}))
        .task(
            0,
            0,
            1,
            2,
            predicted(Phase.TRAIN, 0, 0, 0, 1, 0, 2.0, new long[] {4, 5, 6}, new int[] {1, 2, 0}))
        .commit(Phase.TRAIN, 0, 1.5);
    b.task(v, 0, 0, 0, 3, predicted(v, 0, 0, 0, 0, 9, 0.8, new long[] {0, 1}, new int[] {0, 0}))
        .task(
            v,
            0,
            0,
            1,
            4,
            predicted(v, 0, 0, 0, 1, 9, 0.4, new long[] {2, 3, 4}, new int[] {2, 0, 1}))
        .commit(v, 0, 0.6);
    b.task(
            1,
            0,
            0,
            11,
            probabilities(1, 0, 0, 0, 2, new long[] {0, 1, 2}, new float[] {0.9f, 0.2f, 0.5f}))
        .task(
            1, 0, 1, 12, probabilities(1, 0, 0, 1, 2, new long[] {3, 4}, new float[] {0.05f, 0.6f}))
        .task(
            1, 1, 0, 13, probabilities(1, 1, 0, 0, 3, new long[] {5, 6}, new float[] {0.3f, 0.3f}))
        .task(1, 1, 1, 14, probabilities(1, 1, 0, 1, 3, new long[] {6}, new float[] {0.1f}))
        .commit(Phase.TRAIN, 1, 1.2, 0.9);
    b.task(
            v,
            1,
            0,
            0,
            15,
            predicted(v, 1, 0, 0, 0, 9, 0.3, new long[] {5, 6, 7}, new int[] {2, 2, 0}))
        .commit(v, 1, 0.3);
    return AuditLog.open(b.location(), new Configuration());
  }

  @Test
  void countsConfusionMatrixAndAccuracyPerEpochAndPartition() {
    ReportData d = ReportCollector.collect(classificationLog(), LABELS, null);

    assertThat(d.task()).isEqualTo(ReportData.Task.CLASSIFICATION);
    assertThat(d.targetWidth()).isEqualTo(3);
    assertThat(d.epochs()).extracting(ReportData.EpochStats::epoch).containsExactly(0, 1);
    ReportData.EpochStats e0 = d.epochs().get(0);
    assertThat(e0.rows()).isEqualTo(8);
    assertThat(e0.batches()).isEqualTo(3);
    assertThat(e0.confusion()).isDeepEqualTo(new long[][] {{2, 0, 1}, {0, 2, 0}, {1, 1, 1}});
    assertThat(e0.correct()).isEqualTo(5);
    assertThat(e0.accuracy()).isEqualTo(5 / 8.0);
    assertThat(e0.meanScore()).isCloseTo((4 * 1.0 + 3 * 2.0 + 1 * 3.0) / 8, within(1e-12));
    assertThat(e0.averagedScore()).isEqualTo(1.5);
    ReportData.EpochStats e1 = d.epochs().get(1);
    assertThat(e1.correct()).as("ids 0, 2 and 4 have p[target] > 1/3").isEqualTo(3);
    assertThat(e1.accuracy()).isEqualTo(3 / 8.0);
    assertThat(e1.averagedScore()).isEqualTo(0.9);

    assertThat(d.partitions())
        .extracting(
            ReportData.PartitionStats::epoch,
            ReportData.PartitionStats::partition,
            ReportData.PartitionStats::rows,
            ReportData.PartitionStats::accuracy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 0, 5L, 3 / 5.0),
            org.assertj.core.groups.Tuple.tuple(0, 1, 3L, 2 / 3.0),
            org.assertj.core.groups.Tuple.tuple(1, 0, 5L, 2 / 5.0),
            org.assertj.core.groups.Tuple.tuple(1, 1, 3L, 1 / 3.0));
  }

  @Test
  void validationScoreIsTheRowWeightedMeanOfItsBatchScoresWithItsOwnAccuracy() {
    ReportData d = ReportCollector.collect(classificationLog(), LABELS, null);

    assertThat(d.run().validationEpochs()).containsExactly(0, 1);
    assertThat(d.validation()).extracting(ReportData.EpochStats::epoch).containsExactly(0, 1);
    ReportData.EpochStats v0 = d.validation().get(0);
    assertThat(v0.rows()).isEqualTo(5);
    assertThat(v0.meanScore()).isCloseTo((2 * 0.8 + 3 * 0.4) / 5, within(1e-12));
    assertThat(v0.accuracy()).isEqualTo(4 / 5.0);
    assertThat(v0.confusion()).isDeepEqualTo(new long[][] {{2, 0, 0}, {1, 1, 0}, {0, 0, 1}});
    assertThat(v0.averagedScore()).isNaN();
    ReportData.EpochStats v1 = d.validation().get(1);
    assertThat(v1.meanScore()).isCloseTo(0.3, within(1e-12));
    assertThat(v1.accuracy()).isEqualTo(1.0);
    // validation rows count in the log's totals, never in the training figures
    assertThat(d.run().rows()).isEqualTo(8 + 5 + 8 + 3);
    assertThat(d.epochs().get(0).rows()).isEqualTo(8);
    assertThat(d.lossPerStep())
        .flatExtracting(ReportData.Line::points)
        .extracting(ReportData.Point::x)
        .doesNotContain(9.0);
  }

  @Test
  void pageShowsTheValidationScoreAndAccuracyBesideTraining() {
    ReportData d = ReportCollector.collect(classificationLog(), LABELS, null);
    String html = ReportWriter.html(d);

    assertThat(html)
        .contains("<th>validation rows</th><th>validation score</th><th>validation accuracy</th>")
        // epoch 0: 5 validation rows, score 0.56, accuracy 80%
        .contains("<td class=\"n\">5</td><td class=\"n\">0.5600</td><td class=\"n\">80.0%</td>")
        .contains("and the validation score (row-weighted mean batch_score")
        .contains("<title>validation score: 1, 0.3000</title>")
        .contains("<title>validation: 0, 0.8000</title>");
  }

  @Test
  void coverageCountsNeverOnceAndMoreThanOncePerEpochWithTheNeverTrainedIds() {
    ReportData d = ReportCollector.collect(classificationLog(), LABELS, null);

    assertThat(d.coverage().basis()).contains("eight examples").contains("8 source examples");
    List<Coverage.EpochCoverage> c = d.coverage().epochs();
    assertThat(c)
        .extracting(
            Coverage.EpochCoverage::epoch,
            Coverage.EpochCoverage::trainedOnce,
            Coverage.EpochCoverage::neverTrained,
            Coverage.EpochCoverage::trainedMoreThanOnce)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 8L, 0L, 0L),
            org.assertj.core.groups.Tuple.tuple(1, 6L, 1L, 1L));
    assertThat(c.get(1).neverTrainedSample()).containsExactly(7L);
  }

  @Test
  void neverTrainedExamplesAreAWarningOfVerificationAndCoverageNotAProblem() {
    ReportData d = ReportCollector.collect(classificationLog(), LABELS, null);
    String warning =
        "warning: training epoch 1 never trained 1 of the 8 source examples (DL4J's parameter"
            + " averaging trains at most workers x batch-size x averaging-frequency examples per"
            + " round; training.coverage=all trains every example every epoch)";

    assertThat(d.verification().report().warnings()).containsExactly(warning);
    assertThat(d.verification().report().problemCounts()).doesNotContainKey("warnings");
    String html = ReportWriter.html(d);
    String coverage = html.substring(html.indexOf("<section id=\"coverage\">"));
    String item = "<li class=\"warning\">" + warning.replace("'", "&#39;") + "</li>";
    assertThat(coverage.substring(0, coverage.indexOf("</section>"))).contains(item);
    assertThat(html.split(java.util.regex.Pattern.quote(item), -1))
        .as("once under Coverage, once under Verification")
        .hasSize(3);
  }

  @Test
  void showsTheClassesOfEveryWorkerPartitionAndFlagsAPartitionWithoutAClass() {
    ReportData d = ReportCollector.collect(classificationLog(), LABELS, null);

    // epoch 0: partition 0 trains ids 0-3 and 7 (classes 0 1 2 0 0), partition 1 ids 4-6 (1 2 2)
    assertThat(d.coverage().labelMix())
        .extracting(
            LabelMix.PartitionMix::epoch,
            LabelMix.PartitionMix::partition,
            m -> m.classCounts().toString(),
            m -> Math.round(m.balance() * 1000) / 1000.0,
            LabelMix.PartitionMix::scarcestClass,
            LabelMix.PartitionMix::strong)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 0, "[3, 1, 1]", 0.533, 2, false),
            org.assertj.core.groups.Tuple.tuple(0, 1, "[0, 1, 2]", 0.0, 0, true),
            org.assertj.core.groups.Tuple.tuple(1, 0, "[1, 1, 3]", 0.8, 0, false),
            org.assertj.core.groups.Tuple.tuple(1, 1, "[1, 1, 1]", 0.667, 2, false));
    String html = ReportWriter.html(d);
    assertThat(html)
        .contains("<h3>Classes per worker partition</h3>")
        .contains(
            "<li class=\"warning\">warning: training epoch 0: worker partition 1 trained classes"
                + " [0, 1, 2] of the epoch&#39;s [3, 2, 3] (class 0 at 0.00 of its share;")
        .contains("<td class=\"warning\">0.00 strong skew</td>");
  }

  @Test
  void listsTheHighestCrossEntropyExamplesOfTheLastEpochInOrder() {
    ReportData d = ReportCollector.collect(classificationLog(), LABELS, null);

    ReportData.TopExamples top = d.top();
    assertThat(top.epoch()).isEqualTo(1);
    assertThat(top.lossKind()).startsWith("cross-entropy -ln p[target class], computed");
    // p[target]: 3: 0.05, 6: 0.1, 1: 0.2, 5: 0.3, 6: 0.3 (tie: smaller id first), 2: 0.5, 4: 0.6
    assertThat(top.examples())
        .extracting(ReportData.Example::sampleId)
        .containsExactly(3L, 6L, 1L, 5L, 6L, 2L, 4L, 0L);
    ReportData.Example first = top.examples().get(0);
    assertThat(first.loss()).isCloseTo(-Math.log(0.05f), within(1e-9));
    assertThat(first.key()).isEqualTo(new BatchKey(1, Phase.TRAIN, 0, 0, 1));
    assertThat(first.target()).containsExactly(1f, 0f, 0f);
    assertThat(first.prediction()).containsExactly(0.05f, (1 - 0.05f) / 2, (1 - 0.05f) / 2);
    assertThat(top.examples().get(1).key().round()).as("id 6's second time, round 1").isEqualTo(1);
  }

  @Test
  void verifiesAgainstTheGivenLabelsAndReportsWhatItFound() {
    ReportData d = ReportCollector.collect(classificationLog(), LABELS, null);

    assertThat(d.verification().labels()).isEqualTo("eight examples (8 examples)");
    assertThat(d.verification().report().labelsChecked()).isTrue();
    assertThat(d.verification().report().labelMismatches()).isZero();
    assertThat(d.verification().report().ok()).as("id 6 trained twice in epoch 1").isFalse();
    assertThat(d.verification().report().duplicateBatches())
        .singleElement()
        .asString()
        .contains("sample id 6 is trained twice in epoch 1");

    ReportData without =
        ReportCollector.collect(
            AuditLog.open(tmp.resolve("audit").toString(), new Configuration()),
            null,
            "iris is not here");
    assertThat(without.verification().report().labelsChecked()).isFalse();
    assertThat(without.verification().labels())
        .isEqualTo(
            "not compared with the source data: iris is not here; manifests, files and keys were"
                + " checked");
    assertThat(without.coverage().basis()).contains("sample ids 0..7");
    assertThat(without.coverage().epochs().get(1).neverTrained()).isEqualTo(1);
  }

  @Test
  void placesEveryRoundsAveragedScoreAfterTheRoundsLastStep() {
    ReportData d = ReportCollector.collect(classificationLog(), LABELS, null);

    assertThat(d.roundScores().points())
        .containsExactly(
            new ReportData.Point(2, 1.5),
            new ReportData.Point(3, 1.2),
            new ReportData.Point(4, 0.9));
    assertThat(d.lossPerStep())
        .extracting(ReportData.Line::name)
        .containsExactly("partition 0", "partition 1");
    assertThat(d.lossPerStep().get(0).points())
        .containsExactly(
            new ReportData.Point(0, 1.0),
            new ReportData.Point(1, 3.0),
            new ReportData.Point(2, 1.0),
            new ReportData.Point(3, 1.0));
    assertThat(d.stepsPerPoint()).isEqualTo(1);
  }

  /** A regression batch of two outputs: targets and predictions as given, row after row. */
  private static AuditBatch regression(
      Phase phase,
      int epoch,
      int partition,
      long step,
      double score,
      long[] ids,
      float[] targets,
      float[] predictions,
      float[] loss) {
    return new AuditBatch(
        RUN,
        new BatchKey(epoch, phase, 0, 0, partition),
        step,
        0,
        10L * epoch + partition + (phase == Phase.VALIDATION ? 500 : 0),
        score,
        ids,
        new FloatMatrix(ids.length, 2, targets),
        new FloatMatrix(ids.length, 2, predictions),
        null,
        null,
        loss,
        Map.of());
  }

  @Test
  void regressionUsesTheRecordedLossColumnAndComputesMeanSquaredErrors() {
    LogBuilder b =
        new LogBuilder(tmp.resolve("reg"), 1, new OptionalColumns(false, false, true, List.of()));
    b.task(
            0,
            0,
            0,
            1,
            regression(
                Phase.TRAIN,
                0,
                0,
                0,
                0.5,
                new long[] {0, 1},
                new float[] {1, 2, 3, 4},
                new float[] {1.5f, 2, 3, 2},
                new float[] {0.125f, 2f}))
        .task(
            0,
            0,
            1,
            2,
            regression(
                Phase.TRAIN,
                0,
                1,
                0,
                0.7,
                new long[] {2},
                new float[] {0, 0},
                new float[] {-1, 1},
                new float[] {1f}))
        .commit(Phase.TRAIN, 0, 0.6);
    b.task(
            Phase.VALIDATION,
            0,
            0,
            0,
            3,
            regression(
                Phase.VALIDATION,
                0,
                0,
                2,
                0.25,
                new long[] {3},
                new float[] {1, 1},
                new float[] {2, 1},
                new float[] {0.5f}))
        .commit(Phase.VALIDATION, 0, 0.25);
    ReportData d =
        ReportCollector.collect(AuditLog.open(b.location(), new Configuration()), null, "test");

    assertThat(d.task()).isEqualTo(ReportData.Task.REGRESSION);
    // squared errors: 0.25, 0, 0, 4, 1, 1 over 6 values
    assertThat(d.epochs().get(0).mse()).isCloseTo(6.25 / 6, within(1e-9));
    assertThat(d.epochs().get(0).accuracy()).isNaN();
    assertThat(d.validation().get(0).mse()).isCloseTo(0.5, within(1e-9));
    assertThat(d.validation().get(0).meanScore()).isEqualTo(0.25);
    assertThat(d.partitions())
        .extracting(ReportData.PartitionStats::mse)
        .containsExactly(4.25 / 4, 1.0);
    assertThat(d.top().lossKind()).startsWith("loss column");
    assertThat(d.top().examples())
        .extracting(ReportData.Example::sampleId)
        .containsExactly(1L, 2L, 0L);
    assertThat(d.top().examples())
        .extracting(ReportData.Example::loss)
        .containsExactly(2.0, 1.0, 0.125);
    ReportData.ErrorHistograms h = d.errors();
    assertThat(h.epochs())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(Arrays.stream(e.counts()).sum()).isEqualTo(6);
              assertThat(e.counts()[bin(h, -2)]).isEqualTo(1);
              assertThat(e.counts()[bin(h, 0)]).isEqualTo(2);
              assertThat(e.counts()[bin(h, 0.5)]).isEqualTo(1);
            });
    assertThat(d.samples())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.values()).isEqualTo(6);
              assertThat(s.points()).contains(new ReportData.ScatterPoint(1, 4, 2));
            });
  }

  @Test
  void regressionWithoutALossColumnRanksBySquaredErrorSummedOverTheOutputs() {
    LogBuilder b = new LogBuilder(tmp.resolve("reg2"), 1);
    b.task(
            0,
            0,
            0,
            1,
            regression(
                Phase.TRAIN,
                0,
                0,
                0,
                0.5,
                new long[] {4, 5, 6},
                new float[] {0, 0, 0, 0, 0, 0},
                new float[] {1, 1, 3, 0, 0, 0.5f},
                null))
        .commit(Phase.TRAIN, 0, 0.6);
    ReportData d =
        ReportCollector.collect(AuditLog.open(b.location(), new Configuration()), null, "test");

    assertThat(d.top().lossKind()).startsWith("squared error summed over the outputs, computed");
    assertThat(d.top().examples())
        .extracting(ReportData.Example::sampleId)
        .containsExactly(5L, 4L, 6L);
    assertThat(d.top().examples())
        .extracting(ReportData.Example::loss)
        .containsExactly(9.0, 2.0, 0.25);
    assertThat(d.coverage().labelMix()).as("regression targets are not classes").isEmpty();
  }

  @Test
  void durationIsTheTrainingLoopsAsTheTableRecordsTheRunsEnd() {
    AuditLog log = classificationLog();
    AuditTable.open(new org.apache.hadoop.fs.Path(log.location()), new Configuration())
        .finish(new RunEnd(RunEnd.FORMAT_VERSION, RUN, "2026-01-01T00:01:40Z", 98.5, 0.9, 2, 16));

    ReportData d = ReportCollector.collect(log, LABELS, null);

    String runEnd = "file:" + tmp.resolve("audit/_batch_audit/run-end.json");
    assertThat(d.run().seconds()).isEqualTo(98.5);
    assertThat(d.run().durationSource()).isEqualTo("training loop, from " + runEnd);
    assertThat(ReportWriter.html(d))
        .contains("<tr><th>duration</th><td>98.5 s (training loop, from " + runEnd + ")</td></tr>")
        .contains("<div class=\"v\">98.5 s</div>"); // the duration card
  }

  @Test
  void aRunWithoutARecordedEndIsTimedFromItsStartToItsLastCommitAndSaysItDidNotFinish() {
    AuditLog log = classificationLog();

    ReportData d = ReportCollector.collect(log, LABELS, null);

    Instant last =
        log.commits().stream()
            .map(c -> Instant.parse(c.committedAt()))
            .max(Comparator.naturalOrder())
            .orElseThrow();
    assertThat(d.run().seconds())
        .isEqualTo(
            Duration.between(Instant.parse("2026-01-01T00:00:00Z"), last).toMillis() / 1000.0);
    assertThat(d.run().durationSource())
        .isEqualTo(
            "run start to the last epoch commit: the table records no end of this run (still"
                + " running, or its driver stopped)");
  }

  private static int bin(ReportData.ErrorHistograms h, double error) {
    double range = -2 * h.lowerEdge();
    return (int) Math.floor((error - h.lowerEdge()) / range * ErrorHistogram.BINS);
  }

  private static DynamicsData dynamics(
      List<DynamicsData.MapPoint> points, long[][] grid, double[][] gridCorrectness) {
    return new DynamicsData(
        "train",
        "eight examples",
        3,
        points,
        grid,
        gridCorrectness,
        Map.of(0, 2L, 2, 1L),
        Map.of("easy-to-learn", 1L, "ambiguous", 1L, "hard-to-learn", 1L),
        "ambiguous when variability >= 0.20, else ...",
        1,
        "Ranked by AUM, lowest first.",
        List.of(
            new DynamicsData.Ranked(1, 6, 6L, 2, 0, -1.5, 0.2, 0.0, 0, "hard-to-learn"),
            new DynamicsData.Ranked(2, 3, null, 0, 0, 0.25, 0.5, 0.5, 2, "ambiguous")));
  }

  @Test
  void drawsTheDataMapTheForgettingHistogramAndTheTopOfTheMislabeledRanking() {
    ReportData d =
        ReportCollector.collect(classificationLog(), LABELS, null)
            .withDynamics(
                dynamics(
                    List.of(
                        new DynamicsData.MapPoint(0, 0.9, 0.05, 1.0),
                        new DynamicsData.MapPoint(3, 0.5, 0.3, 0.5),
                        new DynamicsData.MapPoint(6, 0.2, 0.1, 0.0)),
                    null,
                    null),
                null);
    String html = ReportWriter.html(d);

    assertThat(html)
        .contains("<section id=\"dynamics\">\n<h2>Training dynamics</h2>\n")
        // one dot per example, coloured by correctness (0: red, 0.5: level 3 of 0..5, 1: green)
        .contains(
            "fill=\"#d7191c\" fill-opacity=\"0.8\"><title>sample 6: confidence 0.200,"
                + " variability 0.100, correctness 0.00</title></circle>")
        .contains(
            "fill=\"#a6d96a\" fill-opacity=\"0.8\"><title>sample 3: confidence 0.500,"
                + " variability 0.300, correctness 0.50</title></circle>")
        .contains(
            "fill=\"#1a9850\" fill-opacity=\"0.8\"><title>sample 0: confidence 0.900,"
                + " variability 0.050, correctness 1.00</title></circle>")
        .contains("easy-to-learn 1, ambiguous 1, hard-to-learn 1.")
        // the forgetting histogram: one bar per number of events that occurs
        .contains("<title>0, examples: 2.0000</title>")
        .contains("<title>2, examples: 1.0000</title>")
        .contains(
            "Ranked by AUM, lowest first. 1 examples are flagged. Source rows refer to eight"
                + " examples.")
        .contains(
            "<tr><td class=\"n\">1</td><td class=\"n\">6</td><td class=\"n\">6</td><td"
                + " class=\"n\">2</td><td class=\"n\">0</td><td class=\"n\">-1.5000</td><td"
                + " class=\"n\">0.2000</td><td class=\"n\">0.0000</td><td"
                + " class=\"n\">0</td><td>hard-to-learn</td></tr>")
        // an unknown source row is an empty cell
        .contains("<tr><td class=\"n\">2</td><td class=\"n\">3</td><td></td>");
    String section = html.substring(html.indexOf("<section id=\"dynamics\">"));
    assertThat(section.split("<circle ", -1).length - 1).isEqualTo(3 + 6); // 3 dots, 6 in legend
  }

  @Test
  void drawsADensityGridWhenThereAreTooManyExamplesForDots() {
    long[][] grid = new long[10][20];
    double[][] correctness = new double[10][20];
    for (double[] row : correctness) {
      Arrays.fill(row, Double.NaN);
    }
    grid[0][19] = 5000;
    correctness[0][19] = 1.0;
    grid[9][0] = 7;
    correctness[9][0] = 0.25;
    ReportData d =
        ReportCollector.collect(classificationLog(), LABELS, null)
            .withDynamics(dynamics(List.of(), grid, correctness), null);
    String html = ReportWriter.html(d);

    assertThat(html)
        .contains("Too many examples for dots")
        .contains(
            "<title>variability 0.000-0.050, confidence 0.95-1.00: 5000 examples, mean"
                + " correctness 1.00</title>")
        .contains(
            "<title>variability 0.450-0.500, confidence 0.00-0.05: 7 examples, mean"
                + " correctness 0.25</title>")
        .doesNotContain("<title>sample ");
  }

  @Test
  void saysWhyTheTrainingDynamicsAreMissing() {
    ReportData d =
        ReportCollector.collect(classificationLog(), LABELS, null)
            .withDynamics(null, "report --no-dynamics");
    assertThat(ReportWriter.html(d))
        .contains(
            "<section id=\"dynamics\">\n<h2>Training dynamics</h2>\n<p class=\"muted\">Not"
                + " computed: report --no-dynamics.</p>\n</section>");
  }
}
