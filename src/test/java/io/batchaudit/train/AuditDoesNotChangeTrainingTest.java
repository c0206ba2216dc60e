package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.testing.SparkTests;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recording must be a pure observer: the trained parameters are the same bits with and without. */
class AuditDoesNotChangeTrainingTest {
  private static JavaSparkContext sc;

  @TempDir Path tmp;

  @BeforeAll
  static void startSpark() {
    sc = SparkTests.localContext("audit-is-pure");
  }

  @AfterAll
  static void stopSpark() {
    sc.stop();
  }

  @Test
  void finalParametersAreBitIdenticalWithAndWithoutAudit() throws Exception {
    float[] audited =
        train("true", "audit.loss=true", "audit.activations=0", "audit.features=true");
    float[] plain = train("false");
    assertThat(audited).hasSize(plain.length);
    assertThat(audited).containsExactly(plain);
    // and training did move the parameters away from their initialization
    float[] untrained = train("false", "epochs=1", "learning-rate=1e-30");
    assertThat(untrained).isNotEqualTo(plain);
  }

  @Test
  void trainingEqualsDl4jsOwnParameterAveragingBitForBit() throws Exception {
    float[] audited = train("true");
    JobConfig config = config(tmp.resolve("vanilla"), "false").build();
    // DL4J alone: its own training master over the same data and network
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            NetworkFactory.create(config, config.data().builtIn().shape()).layers());
    net.init();
    ParameterAveragingTrainingMaster tm =
        new ParameterAveragingTrainingMaster.Builder(config.workers(), 1)
            .batchSizePerWorker(config.batchSize())
            .averagingFrequency(config.averagingFrequency())
            .workerPrefetchNumBatches(0)
            .rddTrainingApproach(config.rddApproach())
            .rngSeed(config.seed())
            .build();
    SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, tm);
    SourceData data = SourceData.of(config.data().builtIn());
    var rdd = data.toRdd(sc, Math.max(config.workers(), sc.defaultParallelism()));
    for (int e = 0; e < config.epochs(); e++) {
      sparkNet.fit(rdd);
    }
    assertThat(audited).containsExactly(net.params().dup('c').data().asFloat());
  }

  private JobConfig.Builder config(Path out, String audit) {
    return JobConfig.builder()
        .set("out", out.toString())
        .set("data", "synthetic:rows=120,features=6,classes=3")
        .set("epochs", "2")
        .set("workers", "1")
        .set("batch-size", "10")
        .set("averaging-frequency", "3")
        .set("rdd-approach", "direct")
        .set("seed", "1234")
        .set("audit", audit);
  }

  private float[] train(String audit, String... extra) throws Exception {
    Path out = tmp.resolve("run-" + audit + "-" + extra.length + "-" + System.nanoTime());
    JobConfig.Builder b = config(out, audit);
    for (String e : extra) {
      b.setAssignment(e);
    }
    TrainingJob.builder(b.build()).progress(new PrintWriter(new StringWriter())).build().run(sc);
    MultiLayerNetwork net =
        ModelSerializer.restoreMultiLayerNetwork(new File(out.toFile(), "model.zip"));
    return net.params().dup('c').data().asFloat();
  }
}
