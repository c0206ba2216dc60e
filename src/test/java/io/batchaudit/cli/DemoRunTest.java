package io.batchaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.batchaudit.read.AuditLog;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.Json;
import io.batchaudit.store.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, section 5: README's first command, {@code jobs/iris.conf} exactly as shipped (all its
 * epochs; only the master is pinned to {@code local[2]}), is a healthy run, and its log shows it:
 * every example trained exactly once every epoch, every worker partition trains more than one
 * class, the loss falls, and the last epoch's training accuracy is at least 0.9. Everything is read
 * back from the audit log, not from the job's own output.
 */
class DemoRunTest {
  @TempDir static Path tmp;
  private static Path out;
  private static CliRunner.Result trained;
  private static AuditLog log;

  @BeforeAll
  static void trainTheDemoAsShipped() {
    out = tmp.resolve("demo-run");
    trained =
        CliRunner.run(
            "train",
            "--conf",
            "jobs/iris.conf",
            "--out",
            out.toString(),
            "--set",
            "master=local[2]");
    assertThat(trained.code()).as(trained.err()).isZero();
    log = AuditLog.open(out.resolve("audit").toString(), new Configuration());
  }

  private static List<AuditBatch> trainBatches(int epoch) {
    try (Stream<AuditBatch> batches = log.batches(epoch)) {
      return batches.filter(b -> b.key().phase() == Phase.TRAIN).toList();
    }
  }

  private static int argmax(FloatMatrix m, int row) {
    int best = 0;
    for (int c = 1; c < m.cols(); c++) {
      if (m.get(row, c) > m.get(row, best)) {
        best = c;
      }
    }
    return best;
  }

  /** Share of the epoch's training rows whose predicted class (argmax) is the target's. */
  private static double accuracy(int epoch) {
    long right = 0;
    long rows = 0;
    for (AuditBatch b : trainBatches(epoch)) {
      for (int r = 0; r < b.size(); r++) {
        right += argmax(b.predictions(), r) == argmax(b.targets(), r) ? 1 : 0;
        rows++;
      }
    }
    return (double) right / rows;
  }

  /** Mean cross-entropy of the epoch's training rows: -ln(prediction of the target class). */
  private static double loss(int epoch) {
    double sum = 0;
    long rows = 0;
    for (AuditBatch b : trainBatches(epoch)) {
      for (int r = 0; r < b.size(); r++) {
        sum -= Math.log(b.predictions().get(r, argmax(b.targets(), r)));
        rows++;
      }
    }
    return sum / rows;
  }

  @Test
  void theDemoAnnouncesNothingUntrainedAndItsLogVerifiesWithoutWarnings() {
    assertThat(trained.out().lines()).noneMatch(l -> l.startsWith("warning"));
    assertThat(trained.out().lines().filter(l -> l.contains(" committed: ")))
        .hasSize(10)
        .allMatch(l -> l.contains("150 audit rows (150 of 150 examples trained, 0 never trained)"));
    CliRunner.Result verify = CliRunner.run("verify", out.resolve("audit").toString());
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out())
        .contains(
            "OK: every batch present exactly once, keys consistent, all 1500 targets equal their"
                + " source labels")
        .doesNotContain("warning");
  }

  @Test
  void theDemoTrainsWithDl4jsDefaultExportApproachAndItsExportFolderIsGoneWhenItEnds()
      throws Exception {
    JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("config").get("rdd-approach").asText()).isEqualTo("export");
    assertThat(summary.get("config").get("export-directory").asText()).isEmpty();
    // 2 partitions of 75 make 20 minibatch files, 2 rounds of at most 2 workers x 5 files
    assertThat(summary.get("roundsPerEpoch").toString()).isEqualTo("[2,2,2,2,2,2,2,2,2,2]");
    assertThat(
            trained
                .out()
                .lines()
                .filter(l -> l.startsWith("epoch 1/10 round "))
                .map(l -> l.replaceAll("score \\d+\\.\\d{4}", "score S")))
        .containsExactly(
            "epoch 1/10 round 1/2: score S, examples 78, audit rows 78 (staged)",
            "epoch 1/10 round 2/2: score S, examples 72, audit rows 72 (staged)");
    try (Stream<Path> left = Files.list(out)) {
      assertThat(
              left.map(p -> p.getFileName().toString())
                  // (Hadoop's local file system writes model.zip's checksum beside it, hidden)
                  .filter(n -> !n.equals(".model.zip.crc")))
          .as("<out>/export is deleted with the minibatch files")
          .containsExactlyInAnyOrder("audit", "audit-staging", "model.zip", "summary.json");
    }
  }

  @Test
  void everyEpochTrainsEveryIrisExampleExactlyOnce() {
    List<Long> all = LongStream.range(0, 150).boxed().toList();
    assertThat(log.committedEpochs(Phase.TRAIN)).hasSize(10);
    for (int e : log.committedEpochs(Phase.TRAIN)) {
      List<Long> ids =
          trainBatches(e).stream()
              .flatMap(b -> Arrays.stream(b.sampleIds()).boxed())
              .sorted()
              .toList();
      assertThat(ids).as("sample ids trained in epoch %d", e).isEqualTo(all);
    }
  }

  @Test
  void everyWorkerPartitionTrainsMoreThanOneClassEveryEpoch() throws Exception {
    CliRunner.Result r = CliRunner.run("coverage", out.resolve("audit").toString(), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode coverage = Json.mapper().readTree(r.out());
    List<String> partitions = new ArrayList<>();
    for (JsonNode m : coverage.get("labelMix")) {
      partitions.add(m.get("epoch").asInt() + "/" + m.get("partition").asInt());
      long classes = 0;
      for (JsonNode n : m.get("classCounts")) {
        classes += n.asLong() > 0 ? 1 : 0;
      }
      assertThat(classes).as("classes trained by %s", m).isGreaterThan(1);
    }
    assertThat(partitions).hasSize(20).doesNotHaveDuplicates(); // 10 epochs x 2 partitions
    assertThat(coverage.get("warnings").size()).as(coverage.toString()).isZero();
  }

  @Test
  void theLossFallsAndTheLastEpochTrainsAtLeastNinetyPercentRight() {
    assertThat(loss(9)).as("mean cross-entropy of epoch 9 against epoch 0").isLessThan(loss(0));
    assertThat(accuracy(9)).as("training accuracy of the last epoch").isGreaterThanOrEqualTo(0.9);
  }
}
