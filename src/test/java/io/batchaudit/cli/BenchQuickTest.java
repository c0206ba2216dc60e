package io.batchaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.batchaudit.store.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke test of {@code bench --quick}: the suites still run end to end through the command line
 * and report every figure. It proves that each figure is there and above zero, that the two size
 * figures (which do not depend on timing) meet their targets, and that the scale suite measures the
 * logs it should (rows, layouts, files). It proves nothing about speed: no overhead, writer, reader
 * or read-time figure is compared with anything but zero, so a slower audit, writer or reader
 * passes. README's figures come from full runs, not from this test.
 */
class BenchQuickTest {
  @TempDir Path tmp;

  @Test
  void defaultSuiteReportsEveryRatioOfTheOverheadWriterReaderAndSizeBenchmarks() throws Exception {
    CliRunner.Result r = CliRunner.run("bench", "--quick", "--json", "--dir", tmp.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode o = Json.mapper().readTree(r.out());
    for (String key :
        java.util.List.of(
            "overheadSmall",
            "overheadWide",
            "naiveOverheadSmall",
            "naiveOverheadWide",
            "overheadCompute",
            "naiveOverheadCompute",
            "featuresOverheadCompute",
            "writerRatio",
            "readerRatio",
            "bytesPerPredictionFloat",
            "bytesPerTargetFloat",
            "orderedReadVsDuckdbOrdered",
            "orderedReadVsDuckdbScan",
            "orderedReadPeakHeapBytes")) {
      assertThat(o.get(key)).as(key).isNotNull();
      assertThat(o.get(key).asDouble()).as(key).isPositive();
    }
    // sizes do not depend on timing: the default encoding's figures
    assertThat(o.get("bytesPerTargetFloat").asDouble()).isLessThan(0.5);
    assertThat(o.get("bytesPerPredictionFloat").asDouble()).isLessThan(3.8);
    assertThat(o.get("overhead").size()).isEqualTo(3);
    assertThat(o.get("overhead").get(2).get("network").asText())
        .isEqualTo("compute 784-512-512-10");
  }

  @Test
  void readSuiteMeasuresTheOrderedReadAgainstDuckdbOnBothLayoutsOfTheSameLog() throws Exception {
    CliRunner.Result r =
        CliRunner.run("bench", "--suite", "read", "--quick", "--json", "--dir", tmp.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode o = Json.mapper().readTree(r.out());
    for (String key :
        java.util.List.of(
            "orderedReadVsDuckdbOrdered", "orderedReadVsDuckdbScan", "orderedReadPeakHeapBytes")) {
      assertThat(o.get(key)).as(key).isNotNull();
      assertThat(o.get(key).asDouble()).as(key).isPositive();
    }
    assertThat(o.get("orderedReadPeakHeapBytes").asLong()).isLessThanOrEqualTo(256L << 20);
    JsonNode layouts = o.get("read");
    assertThat(layouts.size()).isEqualTo(2);
    assertThat(layouts.get(0).get("layout").asText()).isEqualTo("committed");
    assertThat(layouts.get(0).get("files").asInt()).isEqualTo(160); // 2 epochs x 20 rounds x 4
    assertThat(layouts.get(1).get("layout").asText()).isEqualTo("compacted");
    assertThat(layouts.get(1).get("files").asInt()).isEqualTo(2); // one file per epoch
    for (JsonNode l : layouts) {
      assertThat(l.get("rows").asLong()).isEqualTo(40_000);
      for (String v :
          java.util.List.of(
              "ordered", "duckdbOrdered", "duckdbScan", "orderedIds", "orderedIdsTargets")) {
        assertThat(l.get("seconds").get(v).asDouble()).as(v).isPositive();
      }
    }
  }

  @Test
  void scaleSuiteMeasuresEveryLogCommittedAndCompacted() throws Exception {
    CliRunner.Result r =
        CliRunner.run("bench", "--suite", "scale", "--quick", "--json", "--dir", tmp.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode rows = Json.mapper().readTree(r.out()).get("scale");
    assertThat(rows.size()).isEqualTo(6);
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      assertThat(row.get("layout").asText()).isEqualTo(i % 2 == 0 ? "committed" : "compacted");
      assertThat(row.get("rows").asLong()).isEqualTo(20_000);
      assertThat(row.get("readSeconds").asDouble()).isPositive();
      assertThat(row.get("peakHeapBytes").asLong()).isPositive();
    }
    assertThat(rows.get(1).get("files").asInt()).isEqualTo(2); // one compacted file per epoch
    assertThat(rows.get(5).get("roundsPerEpoch").asInt()).isEqualTo(50);
  }

  /** store-overhead runs (b) the audit against (a) no audit only, on each store it is given. */
  @Test
  void storeOverheadSuiteRunsTheAuditAgainstNoAuditAndNothingElse() throws Exception {
    CliRunner.Result r =
        CliRunner.run(
            "bench",
            "--suite",
            "store-overhead",
            "--quick",
            "--stores",
            "file:",
            "--json",
            "--dir",
            tmp.toString());
    assertThat(r.code()).as(r.err()).isZero();
    java.util.List<String> ratios = new java.util.ArrayList<>();
    for (JsonNode row : Json.mapper().readTree(r.out()).get("store")) {
      assertThat(row.get("store").asText()).isEqualTo("file:");
      String measure = row.get("measure").asText();
      if (measure.endsWith("(median of paired ratios)")) {
        ratios.add(measure);
        assertThat(row.get("value").asDouble()).as(measure).isPositive();
      }
    }
    assertThat(ratios)
        .hasSize(4)
        .allMatch(m -> m.contains("a-no-audit / a-no-audit") || m.contains("b-audit / a-no-audit"));
    // and only those two variants were trained: nothing of the naive hook or the features run
    assertThat(r.err()).contains("b-audit").doesNotContain("c-naive-hook", "d-audit+features");
  }

  @Test
  void storeEpochSuiteStagesCommitsAndReadsEveryTaskFileOfTheEpoch() throws Exception {
    CliRunner.Result r =
        CliRunner.run(
            "bench",
            "--suite",
            "store-epoch",
            "--quick",
            "--stores",
            "file:",
            "--task-rows",
            "12",
            "--json",
            "--dir",
            tmp.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode rows = Json.mapper().readTree(r.out()).get("store");
    java.util.List<String> measures = new java.util.ArrayList<>();
    for (JsonNode row : rows) {
      assertThat(row.get("store").asText()).isEqualTo("file:");
      assertThat(row.get("protocol").asText()).isEqualTo("rename");
      assertThat(row.get("value").asDouble()).as(row.toString()).isPositive();
      measures.add(row.get("measure").asText());
    }
    String what = "100 task files of 12 rows (10 workers x 10 rounds)";
    assertThat(measures)
        .containsExactly(
            "staging, " + what,
            "staging, task files per second (10 threads)",
            "staged bytes, " + what,
            "commit, " + what,
            "ordered read, " + what,
            "ordered read, " + what + ", rows per second");
    // the epoch was committed through the table's code: one file per task, every row
    java.nio.file.Path audit;
    try (java.util.stream.Stream<java.nio.file.Path> found = java.nio.file.Files.walk(tmp)) {
      audit =
          found
              .filter(d -> d.endsWith(java.nio.file.Path.of("epoch", "audit")))
              .findFirst()
              .orElseThrow();
    }
    java.util.List<io.batchaudit.store.EpochCommit> commits =
        io.batchaudit.read.AuditLog.open(
                audit.toUri().toString(), new org.apache.hadoop.conf.Configuration())
            .commits();
    assertThat(commits).hasSize(1);
    assertThat(commits.get(0).files()).hasSize(100);
    assertThat(commits.get(0).rows()).isEqualTo(1_200);
  }

  @Test
  void storeSuitesRefuseAnUnknownStoreWithExitCode2AndOneLine() {
    CliRunner.Result r =
        CliRunner.run(
            "bench", "--suite", "store-epoch", "--stores", "file:,gs:", "--dir", tmp.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo(
            "error: Unknown store 'gs:' in --stores: use a comma-separated subset of"
                + " file:,hdfs:,s3a:");
    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void storeEpochSuiteRefusesAnEpochThatIsNotWorkersByRounds() {
    CliRunner.Result r =
        CliRunner.run(
            "bench", "--suite", "store-epoch", "--epoch", "100000", "--dir", tmp.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo(
            "error: --epoch '100000' is not WORKERSxROUNDS: give two positive numbers, e.g."
                + " 100x1000");
    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void dynamicsSuiteRunsSparkAndDuckDbOnTheSameLogAndBothCountEveryExample() throws Exception {
    CliRunner.Result r =
        CliRunner.run("bench", "--suite", "dynamics", "--quick", "--json", "--dir", tmp.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode d = Json.mapper().readTree(r.out()).get("dynamics");
    assertThat(d.get("rows").asLong()).isEqualTo(200_000);
    assertThat(d.get("examples").asLong()).isEqualTo(20_000);
    assertThat(d.get("duckDbExamples").asLong()).isEqualTo(20_000);
    assertThat(d.get("dynamicsSeconds").asDouble()).isPositive();
    assertThat(d.get("duckDbSeconds").asDouble()).isPositive();
    assertThat(d.get("dynamicsPeakHeapMb").asLong()).isPositive();
  }
}
