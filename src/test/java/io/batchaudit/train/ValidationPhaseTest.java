package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.batchaudit.read.AuditLog;
import io.batchaudit.read.VerificationReport;
import io.batchaudit.read.Verifier;
import io.batchaudit.source.DataSpec;
import io.batchaudit.source.SourceData;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.Phase;
import io.batchaudit.testing.SparkTests;
import io.batchaudit.testing.TestRuns;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The validation phase: distributed inference after every epoch, recorded as phase=validation. */
class ValidationPhaseTest {
  private static final String VALIDATION = "synthetic:rows=45,features=4,classes=3,seed=9";
  private static JavaSparkContext sc;

  @TempDir Path tmp;

  @BeforeAll
  static void startSpark() {
    sc = SparkTests.localContext("validation");
  }

  @AfterAll
  static void stopSpark() {
    sc.stop();
  }

  @Test
  void everyEpochRecordsEveryValidationExampleOnceWithTheInferenceOutputOfThatEpochsModel()
      throws Exception {
    RunSummary run =
        TestRuns.train(
            sc,
            tmp.resolve("run"),
            "data=iris",
            "validation-data=" + VALIDATION,
            "epochs=2",
            "workers=2",
            "batch-size=8",
            "averaging-frequency=2",
            "audit.loss=true",
            "audit.activations=0",
            "hidden-layers=16");
    AuditLog log = AuditLog.open(run.audit(), new Configuration());
    assertThat(log.committedEpochs(Phase.VALIDATION)).containsExactly(0, 1);
    assertThat(log.run().validationSource()).isEqualTo(VALIDATION);

    // The data has two Spark partitions holding ids 0..21 and 22..44, read in order in batches of
    // 8.
    List<AuditBatch> last =
        log.batches(1).filter(b -> b.key().phase() == Phase.VALIDATION).toList();
    List<BatchKey> keys = last.stream().map(AuditBatch::key).toList();
    assertThat(keys)
        .containsExactly(
            new BatchKey(1, Phase.VALIDATION, 0, 0, 0),
            new BatchKey(1, Phase.VALIDATION, 0, 0, 1),
            new BatchKey(1, Phase.VALIDATION, 0, 1, 0),
            new BatchKey(1, Phase.VALIDATION, 0, 1, 1),
            new BatchKey(1, Phase.VALIDATION, 0, 2, 0),
            new BatchKey(1, Phase.VALIDATION, 0, 2, 1));
    List<Long> ids = new ArrayList<>();
    last.stream()
        .sorted((a, b) -> Integer.compare(a.key().partition(), b.key().partition()))
        .forEach(b -> LongStream.of(b.sampleIds()).forEach(ids::add));
    assertThat(ids).containsExactlyElementsOf(LongStream.range(0, 45).boxed().toList());
    assertThat(last.get(4).sampleIds()).containsExactly(16, 17, 18, 19, 20, 21);

    // The last epoch's validation used the final model, which model.zip holds.
    MultiLayerNetwork model =
        ModelSerializer.restoreMultiLayerNetwork(new File(URI.create(run.model())));
    SourceData source = SourceData.of(DataSpec.parse(VALIDATION));
    double lossSum = 0;
    for (AuditBatch b : last) {
      DataSet ds = examples(source, b.sampleIds());
      assertThat(b.targets().values()).containsExactly(ds.getLabels().dup('c').data().asFloat());
      assertCloseTo(b.predictions().values(), model.output(ds.getFeatures(), false), 1e-5);
      // DL4J's own per-example loss of the saved model on the source examples of these ids
      float[] dl4jLoss = model.scoreExamples(ds, false).dup('c').data().asFloat();
      assertCloseTo(b.loss(), Nd4j.create(dl4jLoss), 1e-5);
      assertCloseTo(
          b.activations().get("0").values(),
          model.feedForward(ds.getFeatures(), false).get(1),
          1e-5);
      double dl4jMean = 0;
      for (float l : dl4jLoss) {
        dl4jMean += (double) l / dl4jLoss.length;
        lossSum += l;
      }
      assertThat(b.batchScore()).as("batch_score of %s", b.key()).isCloseTo(dl4jMean, within(1e-6));
      assertThat(b.step()).isEqualTo(model.getIterationCount());
      assertThat(b.attempt()).isZero();
    }
    EpochCommit manifest =
        log.commits().stream()
            .filter(c -> c.phase() == Phase.VALIDATION && c.epoch() == 1)
            .findFirst()
            .orElseThrow();
    assertThat(manifest.rounds()).hasSize(1);
    assertThat(manifest.rounds().get(0).score()).isCloseTo(lossSum / 45, within(1e-6));

    VerificationReport ok =
        Verifier.verify(log, TestRuns.labels("iris"), TestRuns.labels(VALIDATION));
    assertThat(ok.ok()).as(ok.toString()).isTrue();
    // the default approach, Export, trains all 150 training examples each epoch here
    assertThat(ok.rows()).isEqualTo(2 * 150 + 2 * 45);

    VerificationReport wrong =
        Verifier.verify(
            log,
            TestRuns.labels("iris"),
            TestRuns.labels("synthetic:rows=45,features=4,classes=3"));
    assertThat(wrong.ok()).isFalse();
    assertThat(wrong.labelMismatchExamples().get(0))
        .startsWith(
            "batch (validation epoch 0, round 0, batch 0, partition 0) row 0: sample id 0 has target");
  }

  private static DataSet examples(SourceData source, long[] ids) {
    float[][] x = new float[ids.length][source.featureCount()];
    float[][] y = new float[ids.length][source.labelWidth()];
    for (int i = 0; i < ids.length; i++) {
      source.example(ids[i], x[i], y[i]);
    }
    return new DataSet(Nd4j.create(x), Nd4j.create(y));
  }

  private static void assertCloseTo(float[] actual, INDArray expected, double tolerance) {
    float[] e = expected.dup('c').data().asFloat();
    assertThat(actual).hasSameSizeAs(e);
    for (int i = 0; i < e.length; i++) {
      assertThat((double) actual[i]).isCloseTo(e[i], within(tolerance));
    }
  }
}
