package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.batchaudit.cli.CliRunner;
import io.batchaudit.cli.ExitCodes;
import io.batchaudit.read.AuditLog;
import io.batchaudit.read.VerificationReport;
import io.batchaudit.read.Verifier;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.testing.ObservingHook;
import io.batchaudit.testing.SparkTests;
import io.batchaudit.testing.TestRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Which output layers the recorder completes the training forward pass through ({@code
 * OutputLayer}, {@code LossLayer}), and the start-up refusal of every other one, and of dropout or
 * weight noise on the output layer itself, with the alternative.
 */
class OutputLayerSupportTest {
  private static JavaSparkContext sc;

  @TempDir Path tmp;

  @BeforeAll
  static void startSpark() {
    sc = SparkTests.localContext("output-layers");
  }

  @AfterAll
  static void stopSpark() {
    sc.stop();
  }

  /** in(4) -> dense(12, relu) -> dense(3, identity) -> the given output layer. */
  private static MultiLayerConfiguration network(org.deeplearning4j.nn.conf.layers.Layer output) {
    return new NeuralNetConfiguration.Builder()
        .seed(5)
        .updater(new Adam(0.05))
        .weightInit(WeightInit.XAVIER)
        .list()
        .layer(new DenseLayer.Builder().nIn(4).nOut(12).activation(Activation.RELU).build())
        .layer(new DenseLayer.Builder().nIn(12).nOut(3).activation(Activation.IDENTITY).build())
        .layer(output)
        .build();
  }

  private Path write(String name, String json) throws Exception {
    Path file = tmp.resolve(name);
    Files.writeString(file, json);
    return file;
  }

  @Test
  void aLossLayerOutputIsRecordedFromTheTrainingPassWithDl4jsPerExampleLoss() throws Exception {
    Path json =
        write(
            "loss-layer.json",
            network(
                    new LossLayer.Builder(LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX)
                        .build())
                .toJson());
    RunSummary run =
        TestRuns.train(
            sc,
            tmp.resolve("loss-layer"),
            "data=iris",
            "network=" + json,
            "epochs=1",
            "audit.loss=true");
    AuditLog log = AuditLog.open(run.audit(), new Configuration());
    List<AuditBatch> batches = log.batches().toList();
    Map<String, ObservingHook.Seen> seen = ObservingHook.seen();

    AuditedTrainingEndToEndTest.assertReassembledExactlyAsTrained(batches, seen, 1e-5);
    for (AuditBatch b : batches) {
      ObservingHook.Seen s = seen.get(ObservingHook.key(b.taskAttemptId(), b.key().batch()));
      assertThat(b.predictions().cols()).isEqualTo(3);
      for (int r = 0; r < b.size(); r++) {
        assertThat((double) b.loss()[r]).isCloseTo(s.referenceLoss()[r], within(1e-5));
      }
    }
    VerificationReport report = Verifier.verify(log, TestRuns.labels("iris"));
    assertThat(report.ok()).as(report.toString()).isTrue();
  }

  @Test
  void aGraphLossLayerOutputTakesItsWidthFromItsInputAndItsLossIsSummedWithTheOthers()
      throws Exception {
    // in(5) -> shared(10, tanh) -> a (OutputLayer, 1, MSE) and shared -> bIn(2) -> b (LossLayer,
    // MSE): b has no nOut of its own (DL4J sizes a LossLayer only from input types), so its width
    // 2 is bIn's, and a and b share the 3 regression targets in output order
    ComputationGraphConfiguration graph =
        new NeuralNetConfiguration.Builder()
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
                new OutputLayer.Builder(LossFunction.MSE)
                    .nIn(10)
                    .nOut(1)
                    .activation(Activation.IDENTITY)
                    .build(),
                "shared")
            .addLayer(
                "bIn",
                new DenseLayer.Builder().nIn(10).nOut(2).activation(Activation.IDENTITY).build(),
                "shared")
            .addLayer(
                "b",
                new LossLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).build(),
                "bIn")
            .setOutputs("a", "b")
            .build();
    Path json = write("graph-loss-layer.json", graph.toJson());
    String data = "synthetic:rows=40,features=5,outputs=3";
    RunSummary run =
        TestRuns.train(
            sc,
            tmp.resolve("graph-loss-layer"),
            "data=" + data,
            "network=" + json,
            "epochs=1",
            "batch-size=5",
            "audit.loss=true");
    AuditLog log = AuditLog.open(run.audit(), new Configuration());
    List<AuditBatch> batches = log.batches().toList();
    Map<String, ObservingHook.Seen> seen = ObservingHook.seen();

    AuditedTrainingEndToEndTest.assertReassembledExactlyAsTrained(batches, seen, 1e-5);
    assertThat(batches).allSatisfy(b -> assertThat(b.predictions().cols()).isEqualTo(3));
    ComputationGraphTrainingTest.assertLossIsTheSumOverOutputsOfTheirMse(batches, seen);
    VerificationReport report = Verifier.verify(log, TestRuns.labels(data));
    assertThat(report.ok()).as(report.toString()).isTrue();
  }

  private static final String SUPPORTED =
      ": supported are OutputLayer and LossLayer. Set audit.predictions=post-update to record the"
          + " output of an extra forward pass after each update instead";

  @Test
  void anRnnOutputLayerIsRefusedAtStartUpWithExitCode2() throws Exception {
    Path json =
        write(
            "rnn-out.json",
            network(
                    new RnnOutputLayer.Builder(LossFunction.MCXENT)
                        .nIn(3)
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .build())
                .toJson());
    assertRefused(
        json,
        "Cannot record predictions from the training forward pass of a network whose output layer"
            + " is RnnOutputLayer"
            + SUPPORTED);
  }

  @Test
  void aCenterLossOutputLayerIsRefusedAtStartUpWithExitCode2() throws Exception {
    Path json = write("center-loss.json", network(centerLoss()).toJson());
    assertRefused(
        json,
        "Cannot record predictions from the training forward pass of a network whose output layer"
            + " is CenterLossOutputLayer"
            + SUPPORTED);
  }

  @Test
  void theRefusalsAlternativePostUpdateRecordsACenterLossNetwork() throws Exception {
    Path json = write("center-loss.json", network(centerLoss()).toJson());
    RunSummary run =
        TestRuns.train(
            sc,
            tmp.resolve("center-loss"),
            "data=synthetic:rows=32,features=4,classes=3",
            "network=" + json,
            "epochs=1",
            "audit.predictions=post-update");
    AuditLog log = AuditLog.open(run.audit(), new Configuration());
    Map<String, ObservingHook.Seen> seen = ObservingHook.seen();
    List<AuditBatch> batches = log.batches().toList();
    assertThat(batches).hasSize(seen.size()).isNotEmpty();
    for (AuditBatch b : batches) {
      ObservingHook.Seen s = seen.get(ObservingHook.key(b.taskAttemptId(), b.key().batch()));
      assertThat(b.predictions().values()).containsExactly(s.postUpdateOutput()[0]);
    }
  }

  @Test
  void weightNoiseOnTheOutputLayerIsRefusedAtStartUpWithExitCode2() throws Exception {
    Path json =
        write(
            "weight-noise.json",
            network(
                    new OutputLayer.Builder(LossFunction.MCXENT)
                        .nIn(3)
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .weightNoise(new DropConnect(0.5))
                        .build())
                .toJson());
    assertRefused(
        json,
        "Cannot record predictions from the training forward pass: the output layer has weight"
            + " noise DropConnect(weightRetainProb=0.5, weightRetainProbSchedule=null,"
            + " applyToBiases=false) on its own input or weights, which that pass applies and the"
            + " recorder cannot repeat. Remove it from the output layer (dropout on hidden layers"
            + " is supported), or set audit.predictions=post-update to record an extra inference"
            + " pass instead");
  }

  @Test
  void dropoutOnTheOutputLayerIsRefusedAtStartUpWithExitCode2() throws Exception {
    Path json =
        write(
            "dropout.json",
            network(
                    new OutputLayer.Builder(LossFunction.MCXENT)
                        .nIn(3)
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .dropOut(0.5)
                        .build())
                .toJson());
    assertRefused(
        json,
        "Cannot record predictions from the training forward pass: the output layer has dropout"
            + " Dropout(p=0.5) on its own input or weights, which that pass"
            + " applies and the recorder cannot repeat. Remove it from the output layer (dropout"
            + " on hidden layers is supported), or set audit.predictions=post-update to record an"
            + " extra inference pass instead");
  }

  @Test
  void aGraphOutputThatIsNotOutputOrLossLayerIsRefusedAtStartUpWithExitCode2() throws Exception {
    ComputationGraphConfiguration graph =
        new NeuralNetConfiguration.Builder()
            .seed(3)
            .graphBuilder()
            .addInputs("in")
            .addLayer(
                "hidden",
                new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.RELU).build(),
                "in")
            .addLayer("out", centerLoss(8), "hidden")
            .setOutputs("out")
            .build();
    Path json = write("graph-center-loss.json", graph.toJson());
    assertRefused(
        json,
        "Cannot record predictions from the training forward pass of graph output 'out', which is"
            + " a CenterLossOutputLayer"
            + SUPPORTED);
  }

  @Test
  void weightNoiseOnAGraphOutputIsRefusedAtStartUpWithExitCode2() throws Exception {
    ComputationGraphConfiguration graph =
        new NeuralNetConfiguration.Builder()
            .seed(3)
            .graphBuilder()
            .addInputs("in")
            .addLayer(
                "out",
                new OutputLayer.Builder(LossFunction.MCXENT)
                    .nIn(4)
                    .nOut(3)
                    .activation(Activation.SOFTMAX)
                    .weightNoise(new DropConnect(0.5))
                    .build(),
                "in")
            .setOutputs("out")
            .build();
    Path json = write("graph-noise.json", graph.toJson());
    assertRefused(
        json,
        "Cannot record predictions from the training forward pass: graph output 'out' has weight"
            + " noise DropConnect(weightRetainProb=0.5, weightRetainProbSchedule=null,"
            + " applyToBiases=false) on its own input or weights, which that pass applies and the"
            + " recorder cannot repeat. Remove it from the output layer (dropout on hidden layers"
            + " is supported), or set audit.predictions=post-update to record an extra inference"
            + " pass instead");
  }

  private static CenterLossOutputLayer centerLoss() {
    return centerLoss(3);
  }

  private static CenterLossOutputLayer centerLoss(int nIn) {
    return new CenterLossOutputLayer.Builder(LossFunction.MCXENT)
        .nIn(nIn)
        .nOut(3)
        .activation(Activation.SOFTMAX)
        .build();
  }

  /** {@code train} with this network refuses at start-up: exit 2, one line, nothing written. */
  private void assertRefused(Path network, String message) {
    Path out = tmp.resolve("refused");
    CliRunner.Result r =
        CliRunner.run(
            "train",
            "--out",
            out.toString(),
            "--set",
            "master=local[2]",
            "--set",
            "data=iris",
            "--set",
            "network=" + network);
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).isEqualTo("error: " + message + System.lineSeparator());
    assertThat(out).doesNotExist();
  }
}
