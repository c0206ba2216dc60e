package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.testing.SparkTests;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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
    float[] audited = train("true", "audit.loss=true", "audit.activations=0", "audit.features=true");
    float[] plain = train("false");
    assertThat(audited).hasSize(plain.length);
    assertThat(audited).containsExactly(plain);
    // and training did move the parameters away from their initialization
    float[] untrained = train("false", "epochs=1", "learning-rate=1e-30");
    assertThat(untrained).isNotEqualTo(plain);
  }

  private float[] train(String audit, String... extra) throws Exception {
    Path out = tmp.resolve("run-" + audit + "-" + extra.length);
    JobConfig.Builder b =
        JobConfig.builder()
            .set("out", out.toString())
            .set("data", "synthetic:rows=120,features=6,classes=3")
            .set("epochs", "2")
            .set("workers", "1")
            .set("batch-size", "10")
            .set("averaging-frequency", "3")
            .set("rdd-approach", "direct")
            .set("seed", "1234")
            .set("audit", audit);
    for (String e : extra) {
      b.setAssignment(e);
    }
    TrainingJob.builder(b.build())
        .progress(new PrintWriter(new StringWriter()))
        .build()
        .run(sc);
    MultiLayerNetwork net =
        ModelSerializer.restoreMultiLayerNetwork(new File(out.toFile(), "model.zip"));
    return net.params().dup('c').data().asFloat();
  }
}
