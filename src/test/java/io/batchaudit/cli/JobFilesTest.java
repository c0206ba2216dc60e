package io.batchaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.read.AuditLog;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ready job file in jobs/ trains end to end on the data the project ships (2 epochs instead
 * of the files' 5), and its log verifies against that data.
 */
class JobFilesTest {
  @TempDir Path tmp;

  private AuditLog trainAndVerify(String job) {
    Path out = tmp.resolve(job);
    CliRunner.Result train =
        CliRunner.run(
            "train",
            "--conf",
            "jobs/" + job + ".conf",
            "--out",
            out.toString(),
            "--set",
            "master=local[2]",
            "--set",
            "epochs=2");
    assertThat(train.code()).as(train.err()).isZero();
    CliRunner.Result verify = CliRunner.run("verify", out.resolve("audit").toString());
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains("OK: every batch present exactly once");
    return AuditLog.open(out.resolve("audit").toString(), new Configuration());
  }

  private static List<AuditBatch> batches(AuditLog log, Phase phase) {
    return log.batches().filter(b -> b.key().phase() == phase).toList();
  }

  @Test
  void irisDemo() {
    AuditLog log = trainAndVerify("iris");
    assertThat(log.committedEpochs(Phase.TRAIN)).containsExactly(0, 1);
    assertThat(log.committedEpochs(Phase.VALIDATION)).isEmpty();
  }

  @Test
  void csvClassificationUsesTheIdColumnAndValidatesEveryEpoch() throws Exception {
    AuditLog log = trainAndVerify("csv-classification");
    Set<Long> fileIds =
        Files.readAllLines(Path.of("jobs/data/blobs-train.csv")).stream()
            .skip(1)
            .map(l -> Long.parseLong(l.split(",")[0]))
            .collect(Collectors.toCollection(TreeSet::new));
    List<AuditBatch> train = batches(log, Phase.TRAIN);
    assertThat(train).isNotEmpty();
    for (AuditBatch b : train) {
      for (long id : b.sampleIds()) {
        assertThat(fileIds).contains(id);
      }
      assertThat(b.targets().cols()).isEqualTo(3);
      assertThat(b.loss()).hasSize(b.size());
    }
    // the standardization statistics are saved with the model: the training features' mean and std
    List<double[]> rows =
        Files.readAllLines(Path.of("jobs/data/blobs-train.csv")).stream()
            .skip(1)
            .map(
                l ->
                    java.util.Arrays.stream(l.split(","))
                        .mapToDouble(Double::parseDouble)
                        .toArray())
            .toList();
    var normalizer =
        (org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize)
            org.deeplearning4j.util.ModelSerializer.restoreNormalizerFromFile(
                tmp.resolve("csv-classification/model.zip").toFile());
    float[] mean = normalizer.getMean().dup('c').data().asFloat();
    float[] std = normalizer.getStd().dup('c').data().asFloat();
    assertThat(mean).hasSize(6);
    for (int j = 0; j < 6; j++) {
      int column = j + 1;
      double m = rows.stream().mapToDouble(r -> r[column]).average().orElseThrow();
      double v =
          rows.stream().mapToDouble(r -> (r[column] - m) * (r[column] - m)).sum() / rows.size();
      assertThat((double) mean[j]).isCloseTo(m, org.assertj.core.api.Assertions.within(1e-4));
      assertThat((double) std[j])
          .isCloseTo(Math.sqrt(v), org.assertj.core.api.Assertions.within(1e-4));
    }
    assertThat(log.committedEpochs(Phase.VALIDATION)).containsExactly(0, 1);
    long validationRows = batches(log, Phase.VALIDATION).stream().mapToLong(AuditBatch::size).sum();
    assertThat(validationRows).isEqualTo(2 * 150);
  }

  @Test
  void regressionRecordsBothTargetsWithRowIndexIds() {
    AuditLog log = trainAndVerify("regression");
    for (AuditBatch b : batches(log, Phase.TRAIN)) {
      assertThat(b.targets().cols()).isEqualTo(2);
      assertThat(b.predictions().cols()).isEqualTo(2);
      for (long id : b.sampleIds()) {
        assertThat(id).isBetween(0L, 799L);
      }
    }
    assertThat(log.committedEpochs(Phase.VALIDATION)).containsExactly(0, 1);
  }

  @Test
  void twoInputGraphJobRecordsTheFeaturesOfBothInputsAndTheMergedVertex() {
    AuditLog log = trainAndVerify("iris-two-inputs");
    List<AuditBatch> train = batches(log, Phase.TRAIN);
    assertThat(train.stream().mapToInt(AuditBatch::size).sum()).isEqualTo(2 * 150);
    for (AuditBatch b : train) {
      assertThat(b.features().cols()).isEqualTo(4);
      assertThat(b.predictions().cols()).isEqualTo(3);
      assertThat(b.activations()).containsOnlyKeys("merged");
      assertThat(b.activations().get("merged").cols()).isEqualTo(16);
    }
    assertThat(log.run().config())
        .containsEntry("network", "jobs/iris-two-inputs.json")
        .containsEntry("graph.inputs", "sepal:0-1, petal:2-3");
  }

  @Test
  void graphJobRecordsBothOutputsInOutputOrderAndTheSharedVertex() {
    AuditLog log = trainAndVerify("graph");
    List<AuditBatch> train = batches(log, Phase.TRAIN);
    assertThat(train).isNotEmpty();
    for (AuditBatch b : train) {
      assertThat(b.predictions().cols()).isEqualTo(2);
      assertThat(b.activations()).containsOnlyKeys("shared");
      assertThat(b.activations().get("shared").cols()).isEqualTo(32);
    }
    assertThat(log.run().config()).containsEntry("network", "jobs/two-output-graph.json");
  }
}
