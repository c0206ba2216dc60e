package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.batchaudit.config.JobConfig;
import io.batchaudit.read.AuditLog;
import io.batchaudit.read.VerificationReport;
import io.batchaudit.read.Verifier;
import io.batchaudit.source.DataSpec;
import io.batchaudit.source.SourceData;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.Json;
import io.batchaudit.store.Phase;
import io.batchaudit.store.table.AuditTable;
import io.batchaudit.store.table.RunEnd;
import io.batchaudit.store.table.RunState;
import io.batchaudit.testing.Batches;
import io.batchaudit.testing.LogBuilder;
import io.batchaudit.testing.ObservingHook;
import io.batchaudit.testing.SparkTests;
import io.batchaudit.testing.TestRuns;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real DL4J parameter-averaging training on Spark local[2], read back through the project reader.
 */
class AuditedTrainingEndToEndTest {
  private static JavaSparkContext sc;

  @TempDir Path tmp;

  @BeforeAll
  static void startSpark() {
    sc = SparkTests.localContext("end-to-end");
  }

  @AfterAll
  static void stopSpark() {
    sc.stop();
  }

  /**
   * Both of DL4J's approaches, each with its own split of Iris (workers x batch x frequency = 32
   * examples a round at most). Direct splits the 150 examples into 150 / 32 = 4 rounds: 128 an
   * epoch. Export (the default) splits the minibatch files, 2 partitions of 75 making 10 files of
   * at most 8 each: 20 / (2 workers x 2 files) = 5 rounds of 4 files, every file trained: 150.
   */
  @ParameterizedTest(name = "rdd-approach={0}")
  @CsvSource({"direct, 128", "export, 150"})
  void irisLogHoldsEveryTrainedBatchOnceInTrainingOrderWithThePredictionsOfTheLossForwardPass(
      String approach, long rowsPerEpoch) {
    RunSummary run =
        TestRuns.train(
            sc,
            tmp.resolve("iris-" + approach),
            "data=iris",
            "epochs=2",
            "workers=2",
            "batch-size=8",
            "averaging-frequency=2",
            "rdd-approach=" + approach);
    AuditLog log = AuditLog.open(run.audit(), new Configuration());

    List<AuditBatch> batches = log.batches().toList();
    assertReassembledExactlyAsTrained(batches, ObservingHook.seen(), 1e-5);
    assertKeysFollowTheConfiguration(log, batches, 2, 8, 2);
    assertThat(log.commits())
        .extracting(EpochCommit::rows)
        .containsExactly(rowsPerEpoch, rowsPerEpoch);
    VerificationReport report = Verifier.verify(log, TestRuns.labels("iris"));
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(report.rows()).isEqualTo(2 * rowsPerEpoch);
  }

  @Test
  void syntheticClassificationWithPartialBatchesIsRecordedExactlyAsTrained() {
    String data = "synthetic:rows=37,features=5,classes=3,seed=11";
    RunSummary run =
        TestRuns.train(
            sc,
            tmp.resolve("synthetic"),
            "data=" + data,
            "epochs=2",
            "workers=2",
            "batch-size=8",
            "averaging-frequency=3",
            "hidden-layers=12,8");
    AuditLog log = AuditLog.open(run.audit(), new Configuration());

    List<AuditBatch> batches = log.batches().toList();
    assertThat(batches).anyMatch(b -> b.size() < 8);
    assertReassembledExactlyAsTrained(batches, ObservingHook.seen(), 1e-5);
    assertKeysFollowTheConfiguration(log, batches, 2, 8, 3);
    VerificationReport report = Verifier.verify(log, TestRuns.labels(data));
    assertThat(report.ok()).as(report.toString()).isTrue();
  }

  @Test
  void syntheticRegressionRecordsRealValuedTargetsAndIdentityOutputs() {
    String data = "synthetic:rows=61,features=3,outputs=2";
    RunSummary run =
        TestRuns.train(
            sc,
            tmp.resolve("regression"),
            "data=" + data,
            "epochs=1",
            "workers=2",
            "batch-size=5",
            "averaging-frequency=2",
            "audit.loss=true");
    AuditLog log = AuditLog.open(run.audit(), new Configuration());

    List<AuditBatch> batches = log.batches().toList();
    assertThat(batches).allSatisfy(b -> assertThat(b.targets().cols()).isEqualTo(2));
    Map<String, ObservingHook.Seen> seen = ObservingHook.seen();
    assertReassembledExactlyAsTrained(batches, seen, 1e-5);
    assertThat(Verifier.verify(log, TestRuns.labels(data)).ok()).isTrue();
    // the loss column of an MSE output: DL4J's scoreExamples of the same parameters, and the mean
    // over the outputs of the squared error of the recorded prediction
    for (AuditBatch b : batches) {
      float[] dl4j =
          seen.get(ObservingHook.key(b.taskAttemptId(), b.key().batch())).referenceLoss();
      for (int r = 0; r < b.size(); r++) {
        double squares = 0;
        for (int c = 0; c < 2; c++) {
          double d = b.predictions().get(r, c) - b.targets().get(r, c);
          squares += d * d;
        }
        assertThat((double) b.loss()[r])
            .as("loss of %s row %d", b.key(), r)
            .isCloseTo(dl4j[r], within(1e-5))
            .isCloseTo(squares / 2, within(1e-5));
      }
    }
  }

  @Test
  void optionalColumnsHoldFeaturesPerExampleLossAndHiddenActivations() {
    RunSummary run =
        TestRuns.train(
            sc,
            tmp.resolve("extras"),
            "data=iris",
            "epochs=1",
            "workers=2",
            "batch-size=8",
            "averaging-frequency=2",
            "audit.features=true",
            "audit.loss=true",
            "audit.activations=0",
            "hidden-layers=16");
    AuditLog log = AuditLog.open(run.audit(), new Configuration());
    Map<String, ObservingHook.Seen> seen = ObservingHook.seen();

    List<AuditBatch> batches = log.batches().toList();
    assertThat(batches).isNotEmpty();
    for (AuditBatch b : batches) {
      ObservingHook.Seen s = seen.get(ObservingHook.key(b.taskAttemptId(), b.key().batch()));
      assertThat(b.features().values()).containsExactly(s.features());
      assertThat(b.activations()).containsOnlyKeys("0");
      assertThat(b.activations().get("0").cols()).isEqualTo(16);
      float[] hidden = b.activations().get("0").values();
      float[] referenceHidden = s.referenceLayerOutputs().get(0);
      assertThat(hidden).hasSameSizeAs(referenceHidden);
      for (int i = 0; i < hidden.length; i++) {
        assertThat(hidden[i]).isCloseTo(referenceHidden[i], within(1e-5f));
      }
      // the loss column against DL4J's own scoreExamples of the same parameters
      assertThat(b.loss()).hasSameSizeAs(s.referenceLoss());
      for (int r = 0; r < b.size(); r++) {
        assertThat(b.loss()[r]).isCloseTo(s.referenceLoss()[r], within(1e-5f));
      }
      for (int r = 0; r < b.size(); r++) {
        // multi-class cross-entropy of a one-hot target: -log(p[target class])
        double expected = 0;
        for (int c = 0; c < b.targets().cols(); c++) {
          if (b.targets().get(r, c) == 1f) {
            expected = -Math.log(b.predictions().get(r, c));
          }
        }
        assertThat((double) b.loss()[r]).isCloseTo(expected, within(1e-5));
      }
    }
  }

  @Test
  void everyTrainingRowRecordsTheFeaturesAndLabelOfItsSampleIdsSourceRow() {
    String data = "synthetic:rows=90,features=4,classes=3,seed=5";
    RunSummary run =
        TestRuns.train(
            sc,
            tmp.resolve("features-synthetic"),
            "data=" + data,
            "epochs=2",
            "workers=2",
            "batch-size=8",
            "averaging-frequency=2",
            "audit.features=true");
    List<AuditBatch> batches = AuditLog.open(run.audit(), new Configuration()).batches().toList();
    SourceData source = SourceData.of(DataSpec.parse(data));
    LongFunction<float[][]> row =
        id -> {
          float[][] xy = {new float[4], new float[3]};
          source.example(id, xy[0], xy[1]);
          return xy;
        };

    // the default, Export: 2 partitions of 45 make 12 files of at most 8, 12 / (2 x 2) = 3 rounds
    // of 4 files, every file trained (Direct would train 90 / 32 = 2 rounds of 32)
    assertThat(batches.stream().mapToInt(AuditBatch::size).sum()).isEqualTo(2 * 90);
    assertThat(rowsUnlikeTheirSource(batches, row)).isEmpty();
    // the check can fail: two sample ids of one class swapped keep every label right
    List<AuditBatch> swapped = swapTwoIdsOfOneClass(batches);
    assertThat(rowsUnlikeTheirSource(swapped, row)).hasSize(2);
  }

  @Test
  void aCsvIdColumnNamesTheRowWhoseFeaturesAndLabelWereTrained() throws Exception {
    // ids are a permutation unrelated to the row index; features are exact binary fractions, so
    // the recorded floats must equal them bit for bit
    int n = 60;
    Map<Long, float[][]> byId = new java.util.HashMap<>();
    StringBuilder csv = new StringBuilder("f0,id,f1,label,f2\n");
    for (int i = 0; i < n; i++) {
      long id = 1000 + (i * 37L) % n;
      float[] x = {i / 8f, ((i * 13) % 97 - 48) / 16f, (i % 7) / 4f};
      int label = (i * 5) % 3;
      float[] y = new float[3];
      y[label] = 1f;
      byId.put(id, new float[][] {x, y});
      csv.append(x[0]).append(',').append(id).append(',').append(x[1]).append(',');
      csv.append(label).append(',').append(x[2]).append('\n');
    }
    Path file = tmp.resolve("ids.csv");
    java.nio.file.Files.writeString(file, csv);
    RunSummary run =
        TestRuns.train(
            sc,
            tmp.resolve("features-csv"),
            "data=" + file,
            "label-columns=label",
            "id-column=id",
            "epochs=1",
            "workers=2",
            "batch-size=5",
            "averaging-frequency=3",
            "audit.features=true");
    List<AuditBatch> batches = AuditLog.open(run.audit(), new Configuration()).batches().toList();

    // 60 examples / (2 x 5 x 3 = 30) = 2 rounds of 30, all trained
    assertThat(batches.stream().flatMapToLong(b -> java.util.Arrays.stream(b.sampleIds())))
        .containsExactlyInAnyOrderElementsOf(byId.keySet());
    assertThat(rowsUnlikeTheirSource(batches, byId::get)).isEmpty();
    assertThat(rowsUnlikeTheirSource(swapTwoIdsOfOneClass(batches), byId::get)).hasSize(2);
  }

  /**
   * Every recorded training row whose features or target differ from the source row of its sample
   * id, bit for bit; {@code source} gives {features, label} of an id, null when it has none.
   */
  private static List<String> rowsUnlikeTheirSource(
      List<AuditBatch> batches, LongFunction<float[][]> source) {
    List<String> problems = new java.util.ArrayList<>();
    for (AuditBatch b : batches) {
      assertThat(b.features()).as("features of %s", b.key()).isNotNull();
      for (int r = 0; r < b.size(); r++) {
        float[][] xy = source.apply(b.sampleIds()[r]);
        if (xy == null
            || !java.util.Arrays.equals(b.features().row(r), xy[0])
            || !java.util.Arrays.equals(b.targets().row(r), xy[1])) {
          problems.add(b.key() + " row " + r + " sample id " + b.sampleIds()[r]);
        }
      }
    }
    return problems;
  }

  /** A copy of the batches in which the first two rows of one class trade sample ids. */
  private static List<AuditBatch> swapTwoIdsOfOneClass(List<AuditBatch> batches) {
    int[] first = null;
    for (int i = 0; i < batches.size(); i++) {
      AuditBatch b = batches.get(i);
      for (int r = 0; r < b.size(); r++) {
        if (first == null) {
          first = new int[] {i, r};
        } else if (java.util.Arrays.equals(
            b.targets().row(r), batches.get(first[0]).targets().row(first[1]))) {
          List<AuditBatch> copy = new java.util.ArrayList<>(batches);
          long a = batches.get(first[0]).sampleIds()[first[1]];
          long c = b.sampleIds()[r];
          copy.set(first[0], withId(copy.get(first[0]), first[1], c));
          copy.set(i, withId(copy.get(i), r, a));
          return copy;
        }
      }
    }
    throw new AssertionError("no two rows of one class");
  }

  private static AuditBatch withId(AuditBatch b, int row, long id) {
    long[] ids = b.sampleIds().clone();
    ids[row] = id;
    return new AuditBatch(
        b.runId(),
        b.key(),
        b.step(),
        b.attempt(),
        b.taskAttemptId(),
        b.batchScore(),
        ids,
        b.targets(),
        b.predictions(),
        b.features(),
        b.labelMask(),
        b.loss(),
        b.activations());
  }

  @Test
  void postUpdateModeRecordsTheOutputOfAnExtraPassAfterTheUpdate() {
    RunSummary run =
        TestRuns.train(
            sc,
            tmp.resolve("post-update"),
            "data=iris",
            "epochs=1",
            "workers=2",
            "batch-size=8",
            "averaging-frequency=2",
            "audit.predictions=post-update");
    AuditLog log = AuditLog.open(run.audit(), new Configuration());
    Map<String, ObservingHook.Seen> seen = ObservingHook.seen();
    List<AuditBatch> batches = log.batches().toList();
    assertThat(batches).hasSize(seen.size());
    boolean anyDiffers = false;
    for (AuditBatch b : batches) {
      ObservingHook.Seen s = seen.get(ObservingHook.key(b.taskAttemptId(), b.key().batch()));
      assertThat(b.predictions().values()).containsExactly(s.postUpdateOutput()[0]);
      anyDiffers |= !java.util.Arrays.equals(b.predictions().values(), s.referenceOutput());
    }
    assertThat(anyDiffers).as("post-update predictions differ from the pre-update pass").isTrue();
  }

  /** in(4) -> dense(16) -> dense(8, dropout 0.5 on its input) -> softmax(3). */
  private static org.deeplearning4j.nn.conf.MultiLayerConfiguration withDropout(
      boolean onOutputLayer) {
    var output =
        new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(
                org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT)
            .nIn(8)
            .nOut(3)
            .activation(org.nd4j.linalg.activations.Activation.SOFTMAX);
    if (onOutputLayer) {
      output.dropOut(0.5);
    }
    return new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
        .seed(5)
        .updater(new org.nd4j.linalg.learning.config.Adam(0.05))
        .list()
        .layer(
            new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder()
                .nIn(4)
                .nOut(16)
                .activation(org.nd4j.linalg.activations.Activation.RELU)
                .build())
        .layer(
            new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder()
                .nIn(16)
                .nOut(8)
                .dropOut(0.5)
                .activation(org.nd4j.linalg.activations.Activation.RELU)
                .build())
        .layer(output.build())
        .build();
  }

  @Test
  void withHiddenDropoutPredictionsAreTheTrainingPassOutputsTheLossWasComputedOn()
      throws Exception {
    Path json = tmp.resolve("dropout.json");
    java.nio.file.Files.writeString(json, withDropout(false).toJson());
    RunSummary run =
        TestRuns.train(
            sc,
            tmp.resolve("dropout"),
            "data=iris",
            "epochs=1",
            "network=" + json,
            "audit.loss=true");
    AuditLog log = AuditLog.open(run.audit(), new Configuration());
    Map<String, ObservingHook.Seen> seen = ObservingHook.seen();
    boolean anyDiffers = false;
    for (AuditBatch b : log.batches().toList()) {
      // DL4J's minibatch score (no regularization configured) is the mean loss of its training
      // pass; the loss column is computed from the recorded predictions: they are that pass.
      double mean = 0;
      for (int r = 0; r < b.size(); r++) {
        double expected = 0;
        for (int c = 0; c < 3; c++) {
          if (b.targets().get(r, c) == 1f) {
            expected = -Math.log(b.predictions().get(r, c));
          }
        }
        assertThat((double) b.loss()[r]).isCloseTo(expected, within(1e-5));
        mean += b.loss()[r] / b.size();
      }
      assertThat(b.batchScore()).as("score of %s", b.key()).isCloseTo(mean, within(1e-5));
      // and they are not the inference-mode (dropout off) output
      float[] inference =
          seen.get(ObservingHook.key(b.taskAttemptId(), b.key().batch())).referenceOutput();
      for (int i = 0; i < inference.length; i++) {
        anyDiffers |= Math.abs(inference[i] - b.predictions().values()[i]) > 1e-3;
      }
    }
    assertThat(anyDiffers).as("training-pass predictions differ from inference").isTrue();
  }

  @Test
  void dropoutOnTheOutputLayerItselfIsRefusedWithTheAlternative() throws Exception {
    Path json = tmp.resolve("dropout-out.json");
    java.nio.file.Files.writeString(json, withDropout(true).toJson());
    JobConfig config =
        JobConfig.builder()
            .set("out", tmp.resolve("refused").toString())
            .set("network", json.toString())
            .build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrainingJob.builder(config).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot record predictions from the training forward pass: the output layer has"
                + " dropout Dropout(p=0.5) on its own input or weights, which that pass applies and"
                + " the recorder cannot repeat. Remove it from the output layer (dropout on hidden"
                + " layers is supported), or set audit.predictions=post-update to record an extra"
                + " inference pass instead");
    assertThat(tmp.resolve("refused")).doesNotExist();
  }

  @Test
  void trainsANetworkFromAMultiLayerConfigurationJsonFile() throws Exception {
    Path json = tmp.resolve("net.json");
    java.nio.file.Files.writeString(
        json,
        NetworkFactory.classifier(
                4, List.of(8, 8), 3, 5, new org.nd4j.linalg.learning.config.Sgd(0.1))
            .toJson());
    RunSummary run =
        TestRuns.train(sc, tmp.resolve("json-net"), "data=iris", "epochs=1", "network=" + json);
    AuditLog log = AuditLog.open(run.audit(), new Configuration());
    assertReassembledExactlyAsTrained(log.batches().toList(), ObservingHook.seen(), 1e-5);
    assertThat(log.run().config()).containsEntry("network", json.toString());

    Path wrong = tmp.resolve("wide.json");
    java.nio.file.Files.writeString(
        wrong,
        NetworkFactory.classifier(7, List.of(8), 3, 5, new org.nd4j.linalg.learning.config.Sgd(0.1))
            .toJson());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> TestRuns.train(sc, tmp.resolve("json-wrong"), "data=iris", "network=" + wrong))
        .hasMessage(
            "Network file " + wrong + " expects 7 inputs, but data iris has 4 features, 3 classes");
  }

  /**
   * Every batch a worker trained appears once in the log, in the same task attempt and batch
   * position, with the sample ids and labels DL4J handed to {@code fit}, and predictions equal to
   * an inference-mode forward pass of the pre-update parameters.
   */
  @Test
  void aFinishedRunRecordsItsEndInTheTableWithItsSummarysFigures() throws Exception {
    RunSummary run = TestRuns.train(sc, tmp.resolve("ended"), "data=iris", "epochs=2");

    AuditTable table =
        AuditTable.open(new org.apache.hadoop.fs.Path(run.audit()), new Configuration());
    assertThat(table.state()).isInstanceOf(RunState.Finished.class);
    RunState.Finished finished = (RunState.Finished) table.state();
    assertThat(finished.recordedIn()).isEqualTo(table.layout().runEnd());
    RunEnd end = finished.end();
    assertThat(end.runId()).isEqualTo(run.runId());
    assertThat(end.trainingSeconds()).isEqualTo(run.seconds());
    assertThat(end.finalScore()).isEqualTo(run.finalScore());
    assertThat(end.epochs()).isEqualTo(2);
    assertThat(end.rows()).isEqualTo(300); // the default approach, Export, trains all 150 of Iris
    assertThat(Instant.parse(end.endedAt())).isAfter(Instant.parse(table.runInfo().createdAt()));
    // the users' copy beside the log, written after the run's end
    assertThat(
            Json.mapper()
                .readTree(tmp.resolve("ended").resolve("summary.json").toFile())
                .get("runId")
                .asText())
        .isEqualTo(run.runId());
  }

  @Test
  void aRerunIntoALogWithoutARecordedEndIsRefusedAsUnfinishedAndChangesNothing() throws Exception {
    Path out = tmp.resolve("stopped");
    new LogBuilder(out.resolve("audit"), 2)
        .task(0, 0, 0, 1, Batches.batch(LogBuilder.RUN_ID, 0, 0, 0, 0, 1, 1, 2, 3))
        .commit(0, 1);
    List<String> before = files(out);

    assertThatThrownBy(() -> TestRuns.train(sc, out, "data=iris", "epochs=2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Output folder file:"
                + out
                + " holds run run-test, which did not finish (committed epochs [0] of 2; did its"
                + " driver stop?). A run is not resumed: its committed epochs stay readable and"
                + " 'batch-audit verify file:"
                + out.resolve("audit")
                + "' reports the others as incomplete. Pass --overwrite to replace it, or choose"
                + " another --out");
    assertThat(files(out)).isEqualTo(before);
  }

  @Test
  void aRerunIntoALogWrittenBeforeRunEndsWithItsSummaryIsRefusedAsNotEmpty() throws Exception {
    Path out = tmp.resolve("legacy");
    new LogBuilder(out.resolve("audit"), 1)
        .task(0, 0, 0, 1, Batches.batch(LogBuilder.RUN_ID, 0, 0, 0, 0, 1, 1, 2, 3))
        .commit(0, 1);
    java.nio.file.Files.writeString(
        out.resolve("summary.json"), "{\"runId\": \"run-test\", \"seconds\": 3.5}");

    assertThatThrownBy(() -> TestRuns.train(sc, out, "data=iris", "epochs=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Output folder file:"
                + out
                + " is not empty: pass --overwrite to replace it, or choose another --out");
  }

  /** Every file and folder below {@code dir} with its size, in name order. */
  private static List<String> files(Path dir) throws Exception {
    try (java.util.stream.Stream<Path> all = java.nio.file.Files.walk(dir)) {
      return all.sorted().map(p -> dir.relativize(p) + " " + p.toFile().length()).toList();
    }
  }

  static void assertReassembledExactlyAsTrained(
      List<AuditBatch> batches, Map<String, ObservingHook.Seen> seen, double tolerance) {
    assertThat(batches).hasSize(seen.size());
    List<BatchKey> keys = batches.stream().map(AuditBatch::key).toList();
    assertThat(keys).isSorted().doesNotHaveDuplicates();
    for (AuditBatch b : batches) {
      ObservingHook.Seen s = seen.get(ObservingHook.key(b.taskAttemptId(), b.key().batch()));
      assertThat(s).as("observation of %s", b.key()).isNotNull();
      assertThat(b.key().partition()).isEqualTo(s.partition());
      assertThat(b.sampleIds()).containsExactly(s.sampleIds());
      assertThat(b.targets().values()).containsExactly(s.labels());
      float[] predictions = b.predictions().values();
      assertThat(predictions).hasSameSizeAs(s.referenceOutput());
      for (int i = 0; i < predictions.length; i++) {
        assertThat((double) predictions[i])
            .as("prediction %d of %s", i, b.key())
            .isCloseTo(s.referenceOutput()[i], within(tolerance));
      }
    }
  }

  /** Keys agree with the run's configuration and with DL4J's step counting. */
  static void assertKeysFollowTheConfiguration(
      AuditLog log, List<AuditBatch> batches, int workers, int batchSize, int frequency) {
    Map<Integer, EpochCommit> commits =
        log.commits().stream().collect(Collectors.toMap(EpochCommit::epoch, c -> c));
    int roundsBefore = 0;
    for (int epoch = 0; epoch < commits.size(); epoch++) {
      int e = epoch;
      int base = roundsBefore;
      EpochCommit commit = commits.get(epoch);
      List<AuditBatch> ofEpoch = batches.stream().filter(b -> b.key().epoch() == e).toList();
      assertThat(ofEpoch)
          .extracting(b -> b.key().round())
          .containsOnly(
              java.util.stream.IntStream.range(0, commit.roundCount())
                  .boxed()
                  .toArray(Integer[]::new));
      for (AuditBatch b : ofEpoch) {
        assertThat(b.key().phase()).isEqualTo(Phase.TRAIN);
        assertThat(b.size()).isBetween(1, batchSize);
        assertThat(b.key().partition()).isBetween(0, workers - 1);
        assertThat(b.key().batch()).isBetween(0, frequency - 1);
        assertThat(b.attempt()).isZero();
        // DL4J advances the iteration count by the averaging frequency after every round.
        assertThat(b.step())
            .isEqualTo((long) (base + b.key().round()) * frequency + b.key().batch());
      }
      Set<Long> ids = new HashSet<>();
      ofEpoch.forEach(b -> java.util.Arrays.stream(b.sampleIds()).forEach(ids::add));
      assertThat(ids)
          .as("sample ids trained in epoch %d are distinct", epoch)
          .hasSize(ofEpoch.stream().mapToInt(AuditBatch::size).sum());
      roundsBefore += commit.roundCount();
    }
  }
}
