package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.config.JobConfig;
import io.batchaudit.read.AuditLog;
import io.batchaudit.read.VerificationReport;
import io.batchaudit.read.Verifier;
import io.batchaudit.source.Example;
import io.batchaudit.source.InputData;
import io.batchaudit.source.InputSpec;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.Phase;
import io.batchaudit.testing.ObservingHook;
import io.batchaudit.testing.SparkTests;
import io.batchaudit.testing.TestRuns;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Issue 14, section 4: a ComputationGraph with two inputs ({@code jobs/iris-two-inputs.conf}:
 * Iris's sepal features to input "sepal", its petal features to input "petal"), trained audited,
 * recorded as a one-input graph is: every row's sample id, target and features are the source's,
 * and every prediction is the graph's output on the two input arrays DL4J trained that minibatch
 * on.
 */
class MultiInputGraphTrainingTest {
  private static JavaSparkContext sc;

  @TempDir static Path tmp;
  private static Path out;
  private static Map<String, ObservingHook.Seen> seen;
  private static AuditLog log;
  private static Map<Long, Example> source;
  private static Map<Long, Example> validationSource;
  private static final String VALIDATION = "synthetic:rows=30,features=4,classes=3,seed=9";

  @BeforeAll
  static void trainTheTwoInputJob() {
    sc = SparkTests.localContext("multi-input-graph");
    out = tmp.resolve("two-inputs");
    // the job file as shipped, with 2 epochs, and raw features so that they compare to the source
    JobConfig config =
        JobConfig.builder()
            .file(Path.of("jobs/iris-two-inputs.conf"))
            .set("out", out.toString())
            .set("epochs", "2")
            .set("normalize", "none")
            .set("validation-data", VALIDATION)
            .build();
    ObservingHook.clear();
    TrainingJob.builder(config)
        .hook(new ObservingHook())
        .progress(new PrintWriter(new StringWriter()))
        .build()
        .run(sc);
    seen = ObservingHook.seen();
    log = AuditLog.open(out.resolve("audit").toString(), new Configuration());
    source =
        InputData.load(sc, InputSpec.training(config)).examples(sc, 2).collect().stream()
            .collect(Collectors.toMap(Example::sampleId, e -> e));
    validationSource =
        InputData.load(sc, InputSpec.validation(config)).examples(sc, 2).collect().stream()
            .collect(Collectors.toMap(Example::sampleId, e -> e));
  }

  @AfterAll
  static void stopSpark() {
    sc.stop();
  }

  private static List<AuditBatch> train() {
    return log.batches().filter(b -> b.key().phase() == Phase.TRAIN).toList();
  }

  @Test
  void theGraphHasTheTwoInputsOfTheJobFile() throws Exception {
    ComputationGraph graph =
        ModelSerializer.restoreComputationGraph(new File(out.toFile(), "model.zip"));
    assertThat(graph.getConfiguration().getNetworkInputs()).containsExactly("sepal", "petal");
    assertThat(log.run().config()).containsEntry("graph.inputs", "sepal:0-1, petal:2-3");
  }

  @Test
  void everyRowsSampleIdTargetAndFeaturesAreTheSourcesAndEveryExampleIsTrainedOncePerEpoch() {
    List<AuditBatch> train = train();
    assertThat(train).isNotEmpty();
    for (AuditBatch b : train) {
      assertThat(b.features().cols()).isEqualTo(4);
      for (int r = 0; r < b.size(); r++) {
        Example e = source.get(b.sampleIds()[r]);
        assertThat(e).as("sample id %d of %s", b.sampleIds()[r], b.key()).isNotNull();
        assertThat(b.targets().row(r)).containsExactly(e.label());
        // both inputs concatenated in input order: sepal (0-1) then petal (2-3), the source row
        assertThat(b.features().row(r)).containsExactly(e.features());
      }
    }
    for (int epoch : log.committedEpochs(Phase.TRAIN)) {
      List<Long> ids =
          train.stream()
              .filter(b -> b.key().epoch() == epoch)
              .flatMap(b -> Arrays.stream(b.sampleIds()).boxed())
              .sorted()
              .toList();
      assertThat(ids).isEqualTo(LongStream.range(0, 150).boxed().toList());
    }
    VerificationReport report =
        Verifier.verify(log, TestRuns.labels("iris"), TestRuns.labels(VALIDATION));
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(report.rows()).isEqualTo(2 * 150 + 2 * 30);
  }

  @Test
  void predictionsAreTheGraphsOutputOnTheTwoInputArraysDl4jTrainedOn() {
    List<AuditBatch> train = train();
    AuditedTrainingEndToEndTest.assertReassembledExactlyAsTrained(train, seen, 1e-5);
    for (AuditBatch b : train) {
      ObservingHook.Seen s = seen.get(ObservingHook.key(b.taskAttemptId(), b.key().batch()));
      // the two arrays DL4J fitted (the reference output above is the graph's on both), side by
      // side in input order, are the source rows of the batch's ids; which features went to which
      // input: theSavedGraphPredictsFromTheSplitFeaturesOfTheSource
      float[] expected = new float[b.size() * 4];
      for (int r = 0; r < b.size(); r++) {
        System.arraycopy(source.get(b.sampleIds()[r]).features(), 0, expected, r * 4, 4);
      }
      assertThat(s.features()).containsExactly(expected);
      assertThat(b.activations()).containsOnlyKeys("merged");
      assertThat(b.activations().get("merged").cols()).isEqualTo(16);
    }
  }

  @Test
  void theSavedGraphPredictsFromTheSplitFeaturesOfTheSource() throws Exception {
    ComputationGraph graph =
        ModelSerializer.restoreComputationGraph(new File(out.toFile(), "model.zip"));
    float[][] rows = new float[3][];
    for (int i = 0; i < 3; i++) {
      rows[i] = source.get((long) i * 50).features();
    }
    INDArray sepal = Nd4j.create(new float[][] {head(rows[0]), head(rows[1]), head(rows[2])});
    INDArray petal = Nd4j.create(new float[][] {tail(rows[0]), tail(rows[1]), tail(rows[2])});
    INDArray viaJob =
        graph
            .output(
                false,
                io.batchaudit.capture.GraphNetwork.toGraphData(
                        new org.nd4j.linalg.dataset.DataSet(
                            Nd4j.create(rows),
                            Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 3)),
                        new int[] {2, 2},
                        new int[] {3})
                    .getFeatures())[0];
    assertThat(viaJob.dup('c').data().asFloat())
        .containsExactly(graph.output(false, sepal, petal)[0].dup('c').data().asFloat());
  }

  @Test
  void theLastValidationPhaseIsTheSavedGraphsOutputOnTheSplitFeatures() throws Exception {
    ComputationGraph graph =
        ModelSerializer.restoreComputationGraph(new File(out.toFile(), "model.zip"));
    List<AuditBatch> validation =
        log.batches()
            .filter(b -> b.key().phase() == Phase.VALIDATION && b.key().epoch() == 1)
            .toList();
    assertThat(validation.stream().mapToInt(AuditBatch::size).sum()).isEqualTo(30);
    for (AuditBatch b : validation) {
      for (int r = 0; r < b.size(); r++) {
        float[] x = validationSource.get(b.sampleIds()[r]).features();
        float[] expected =
            graph
                .output(
                    false,
                    Nd4j.create(new float[][] {head(x)}),
                    Nd4j.create(new float[][] {tail(x)}))[0]
                .dup('c')
                .data()
                .asFloat();
        for (int c = 0; c < 3; c++) {
          assertThat((double) b.predictions().get(r, c))
              .as("validation prediction %d of sample %d", c, b.sampleIds()[r])
              .isCloseTo(expected[c], org.assertj.core.api.Assertions.within(1e-5));
        }
      }
    }
  }

  private static float[] head(float[] x) {
    return Arrays.copyOfRange(x, 0, 2);
  }

  private static float[] tail(float[] x) {
    return Arrays.copyOfRange(x, 2, 4);
  }
}
