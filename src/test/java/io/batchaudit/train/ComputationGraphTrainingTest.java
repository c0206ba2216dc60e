package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.batchaudit.capture.GraphNetwork;
import io.batchaudit.config.JobConfig;
import io.batchaudit.config.Keys;
import io.batchaudit.read.AuditLog;
import io.batchaudit.read.VerificationReport;
import io.batchaudit.read.Verifier;
import io.batchaudit.source.InputData;
import io.batchaudit.source.InputSpec;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.testing.ObservingHook;
import io.batchaudit.testing.SparkTests;
import io.batchaudit.testing.TestRuns;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** ComputationGraph training through SparkComputationGraph, recorded like MultiLayerNetworks. */
class ComputationGraphTrainingTest {
  private static JavaSparkContext sc;

  @TempDir Path tmp;

  @BeforeAll
  static void startSpark() {
    sc = SparkTests.localContext("graph");
  }

  @AfterAll
  static void stopSpark() {
    sc.stop();
  }

  /** in(4) -> hidden(12, relu) -> out(3, softmax). */
  static ComputationGraphConfiguration classifier() {
    return new NeuralNetConfiguration.Builder()
        .seed(11)
        .updater(new Adam(0.05))
        .weightInit(WeightInit.XAVIER)
        .graphBuilder()
        .addInputs("in")
        .addLayer(
            "hidden",
            new DenseLayer.Builder().nIn(4).nOut(12).activation(Activation.RELU).build(),
            "in")
        .addLayer(
            "out",
            new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(12)
                .nOut(3)
                .activation(Activation.SOFTMAX)
                .build(),
            "hidden")
        .setOutputs("out")
        .build();
  }

  /** in(5) -> shared(10, tanh) -> a(1, identity) and b(2, identity), both MSE. */
  static ComputationGraphConfiguration twoOutputRegressor() {
    return new NeuralNetConfiguration.Builder()
        .seed(3)
        .updater(new Adam(0.01))
        .weightInit(WeightInit.XAVIER)
        .graphBuilder()
        .addInputs("in")
        .addLayer(
            "shared",
            new DenseLayer.Builder().nIn(5).nOut(10).activation(Activation.TANH).build(),
            "in")
        .addLayer(
            "a",
            new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .nIn(10)
                .nOut(1)
                .activation(Activation.IDENTITY)
                .build(),
            "shared")
        .addLayer(
            "b",
            new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .nIn(10)
                .nOut(2)
                .activation(Activation.IDENTITY)
                .build(),
            "shared")
        .setOutputs("a", "b")
        .build();
  }

  private Path write(String name, ComputationGraphConfiguration conf) throws Exception {
    Path file = tmp.resolve(name);
    Files.writeString(file, conf.toJson());
    return file;
  }

  @Test
  void graphLogHoldsEveryTrainedBatchWithTheLossForwardPassAndPerExampleLoss() throws Exception {
    Path network = write("graph.json", classifier());
    RunSummary run =
        TestRuns.train(
            sc,
            tmp.resolve("iris-graph"),
            "data=iris",
            "network=" + network,
            "epochs=2",
            "workers=2",
            "batch-size=8",
            "averaging-frequency=2",
            "audit.loss=true",
            "audit.activations=hidden");
    AuditLog log = AuditLog.open(run.audit(), new Configuration());
    List<AuditBatch> batches = log.batches().toList();
    Map<String, ObservingHook.Seen> seen = ObservingHook.seen();
    AuditedTrainingEndToEndTest.assertReassembledExactlyAsTrained(batches, seen, 1e-5);
    AuditedTrainingEndToEndTest.assertKeysFollowTheConfiguration(log, batches, 2, 8, 2);
    for (AuditBatch b : batches) {
      ObservingHook.Seen s = seen.get(ObservingHook.key(b.taskAttemptId(), b.key().batch()));
      for (int r = 0; r < b.size(); r++) {
        assertThat(b.loss()[r]).isCloseTo(s.referenceLoss()[r], within(1e-5f));
      }
      assertThat(b.activations()).containsOnlyKeys("hidden");
      assertThat(b.activations().get("hidden").cols()).isEqualTo(12);
    }
    VerificationReport report = Verifier.verify(log, TestRuns.labels("iris"));
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(
            ModelSerializer.restoreComputationGraph(new File(tmp.toFile(), "iris-graph/model.zip"))
                .getConfiguration()
                .getNetworkOutputs())
        .containsExactly("out");
  }

  @Test
  void twoOutputsShareTheTargetRowInOutputOrderAndAreValidated() throws Exception {
    Path network = write("two.json", twoOutputRegressor());
    String data = "synthetic:rows=90,features=5,outputs=3";
    String validation = "synthetic:rows=20,features=5,outputs=3,seed=99";
    RunSummary run =
        TestRuns.train(
            sc,
            tmp.resolve("two"),
            "data=" + data,
            "validation-data=" + validation,
            "network=" + network,
            "epochs=2",
            "workers=2",
            "batch-size=10",
            "averaging-frequency=2",
            "audit.loss=true");
    AuditLog log = AuditLog.open(run.audit(), new Configuration());
    List<AuditBatch> train =
        log.batches().filter(b -> b.key().phase() == io.batchaudit.store.Phase.TRAIN).toList();
    Map<String, ObservingHook.Seen> seen = ObservingHook.seen();
    AuditedTrainingEndToEndTest.assertReassembledExactlyAsTrained(train, seen, 1e-5);
    assertThat(train.get(0).targets().cols()).isEqualTo(3);
    assertThat(train.get(0).predictions().cols()).isEqualTo(3);
    assertLossIsTheSumOverOutputsOfTheirMse(train, seen);
    VerificationReport report =
        Verifier.verify(log, TestRuns.labels(data), TestRuns.labels(validation));
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(log.committedEpochs(io.batchaudit.store.Phase.VALIDATION)).containsExactly(0, 1);
  }

  /**
   * The loss column of the two-output regressor (a: column 0, b: columns 1-2, both MSE): DL4J's
   * {@code scoreExamples} of the same parameters, which sums over outputs, and, from the recorded
   * predictions, the squared error of a plus the mean squared error of b; within 1e-5.
   */
  static void assertLossIsTheSumOverOutputsOfTheirMse(
      List<AuditBatch> batches, Map<String, ObservingHook.Seen> seen) {
    assertThat(batches).isNotEmpty();
    for (AuditBatch b : batches) {
      float[] dl4j =
          seen.get(ObservingHook.key(b.taskAttemptId(), b.key().batch())).referenceLoss();
      assertThat(b.loss()).hasSameSizeAs(dl4j);
      for (int r = 0; r < b.size(); r++) {
        double a = square(b.predictions().get(r, 0) - b.targets().get(r, 0));
        double bMse =
            (square(b.predictions().get(r, 1) - b.targets().get(r, 1))
                    + square(b.predictions().get(r, 2) - b.targets().get(r, 2)))
                / 2;
        assertThat((double) b.loss()[r])
            .as("loss of %s row %d", b.key(), r)
            .isCloseTo(dl4j[r], within(1e-5))
            .isCloseTo(a + bMse, within(1e-5));
      }
    }
  }

  private static double square(double x) {
    return x * x;
  }

  @Test
  void trainingWithDirectEqualsDl4jsOwnGraphParameterAveragingBitForBit() throws Exception {
    Path network = write("graph.json", classifier());
    String[] settings = {
      "data=synthetic:rows=120,features=4,classes=3",
      "network=" + network,
      "epochs=2",
      "workers=2",
      "batch-size=10",
      "averaging-frequency=3",
      "seed=1234",
      // DL4J's Direct approach; ExportApproachTest proves a graph with Export bit for bit
      "rdd-approach=direct"
    };
    JobConfig.Builder b = JobConfig.builder().set("out", tmp.resolve("audited").toString());
    for (String s : settings) {
      b.setAssignment(s);
    }
    b.set("audit.loss", "true");
    JobConfig config = b.build();
    TrainingJob.builder(config).progress(new PrintWriter(new StringWriter())).build().run(sc);
    float[] audited =
        ModelSerializer.restoreComputationGraph(new File(tmp.toFile(), "audited/model.zip"))
            .params()
            .dup('c')
            .data()
            .asFloat();

    // DL4J alone: its own training master and SparkComputationGraph over the same examples
    ComputationGraph graph = new ComputationGraph(classifier());
    graph.init();
    ParameterAveragingTrainingMaster tm =
        new ParameterAveragingTrainingMaster.Builder(config.get(Keys.WORKERS), 1)
            .batchSizePerWorker(config.get(Keys.BATCH_SIZE))
            .averagingFrequency(config.get(Keys.AVERAGING_FREQUENCY))
            .workerPrefetchNumBatches(0)
            .rddTrainingApproach(TrainingSettings.of(config).rddApproach())
            .rngSeed(config.get(Keys.SEED))
            .build();
    SparkComputationGraph sparkGraph = new SparkComputationGraph(sc, graph, tm);
    var rdd =
        DataSets.of(
                InputData.load(sc, InputSpec.training(config)),
                sc,
                Math.max(config.get(Keys.WORKERS), sc.defaultParallelism()),
                null)
            .map(
                d ->
                    (org.nd4j.linalg.dataset.api.MultiDataSet)
                        GraphNetwork.toGraphData(d, new int[] {3}));
    for (int e = 0; e < config.get(Keys.EPOCHS); e++) {
      sparkGraph.fitMultiDataSet(rdd);
    }
    assertThat(audited).containsExactly(graph.params().dup('c').data().asFloat());
  }

  @Test
  void outputWidthsThatDoNotAddUpToTheTargetsAreRefusedBeforeTraining() throws Exception {
    Path network = write("two.json", twoOutputRegressor());
    Path out = tmp.resolve("refused");
    JobConfig config =
        JobConfig.builder()
            .set("out", out.toString())
            .set("data", "synthetic:rows=40,features=5,outputs=4")
            .set("network", network.toString())
            .build();
    assertThatThrownBy(() -> TrainingJob.builder(config).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Network file "
                + network
                + " has outputs a (1), b (2) of 3 values in all, but data"
                + " synthetic:rows=40,features=5,outputs=4 has 5 features, 4 regression targets;"
                + " the outputs share each target row in output order, so their widths must add"
                + " up to 4");
    assertThat(out).doesNotExist();
  }
}
