package io.batchaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.batchaudit.store.Json;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process: exit codes, output and error messages. */
class CliTest {
  @TempDir static Path tmp;
  private static Path out;
  private static Result trained;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = BatchAuditCli.execute(new PrintWriter(o, true), new PrintWriter(e, true), args);
    return new Result(code, o.toString(), e.toString());
  }

  @BeforeAll
  static void trainDemo() {
    out = tmp.resolve("demo");
    trained =
        run(
            "train",
            "--conf",
            "jobs/iris.conf",
            "--out",
            out.toString(),
            "--set",
            "master=local[2]",
            "--set",
            "epochs=2");
  }

  private static String audit() {
    return out.resolve("audit").toString();
  }

  @Test
  void trainPrintsProgressPerRoundAndASummaryAndWritesModelSummaryAndLog() throws Exception {
    assertThat(trained.code()).as(trained.err()).isZero();
    List<String> lines = trained.out().lines().toList();
    assertThat(lines.get(0))
        .matches(
            "batch-audit run \\d{8}-\\d{6}-[0-9a-f]{8}: data iris \\(150 examples\\), 2 workers,"
                + " batch size 8, averaging every 5, 2 epochs, audit on -> file:.*/demo/audit");
    // training.coverage=all: nothing is left untrained, so there is no warning before training
    assertThat(lines).noneMatch(l -> l.startsWith("warning"));
    // the default approach, Export: the 20 minibatch files of 2 partitions of 75 in 2 rounds
    assertThat(lines.get(1))
        .matches(
            "epoch 1/2 round 1/2: score \\d+\\.\\d{4}, examples 78, audit rows 78 \\(staged\\)");
    assertThat(lines)
        .filteredOn(l -> l.startsWith("epoch 1/2 committed"))
        .singleElement()
        .asString()
        .startsWith(
            "epoch 1/2 committed: 2 rounds, 150 audit rows (150 of 150 examples trained, 0 never"
                + " trained), ");
    assertThat(lines)
        .contains(
            lines.stream()
                .filter(l -> l.startsWith("epoch 2/2 committed"))
                .findFirst()
                .orElseThrow());
    assertThat(lines.get(lines.size() - 1)).startsWith("done in ").contains("300 audit rows");
    assertThat(out.resolve("model.zip")).isRegularFile();
    JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("epochs").asInt()).isEqualTo(2);
    assertThat(summary.get("rowsPerEpoch").toString()).isEqualTo("[150,150]");
    assertThat(summary.get("examplesPerEpoch").toString()).isEqualTo("[150,150]");
    assertThat(summary.get("untrainedPerEpoch").toString()).isEqualTo("[0,0]");
    assertThat(summary.get("dataSource").asText()).isEqualTo("iris");
  }

  @Test
  void showPrintsBatchesInTrainingOrderWithArrays() {
    Result r = run("show", audit(), "--epoch", "1", "--limit", "2");
    assertThat(r.code()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(8);
    assertThat(lines.get(0))
        .startsWith(
            "batch (train epoch 1, round 0, batch 0, partition 0) step 10 attempt 0 rows 8 score ");
    assertThat(lines.get(1)).matches("  sample_id:  \\[\\d+(, \\d+){7}\\]");
    assertThat(lines.get(2))
        .matches("  target:     \\[(\\[[01]\\.0, [01]\\.0, [01]\\.0\\](, )?){8}\\]");
    assertThat(lines.get(3)).startsWith("  prediction: [[");
    assertThat(lines.get(4))
        .startsWith("batch (train epoch 1, round 0, batch 0, partition 1) step 10 ");
  }

  @Test
  void verifyExitsZeroOnAGoodLogAndPrintsJson() throws Exception {
    Result text = run("verify", audit());
    assertThat(text.code()).isZero();
    assertThat(text.out())
        .contains("epochs committed: 2 of 2 planned; batches: 38; rows: 300")
        .contains(
            "OK: every batch present exactly once, keys consistent, all 300 targets equal"
                + " their source labels");
    // the demo trains every example and mixes the classes: no finding (TrainingCoverageTest and
    // ShuffleTest show the warnings of DL4J's own splits and of source order)
    assertThat(text.out().lines().filter(l -> l.startsWith("warning")).toList()).isEmpty();
    Result json = run("verify", audit(), "--json");
    assertThat(json.code()).isZero();
    assertThat(json.out().lines().count()).isEqualTo(1);
    JsonNode node = Json.mapper().readTree(json.out());
    assertThat(node.get("ok").asBoolean()).isTrue();
    assertThat(node.get("epochs").asInt()).isEqualTo(2);
    assertThat(node.get("batches").asInt()).isEqualTo(38);
    assertThat(node.get("rows").asInt()).isEqualTo(300);
    assertThat(node.get("missingBatches").size()).isZero();
    assertThat(node.get("duplicateBatches").size()).isZero();
    assertThat(node.get("labelMismatches").asInt()).isZero();
    assertThat(node.get("tableProblems").size()).isZero();
    assertThat(node.get("problemCounts").toString())
        .isEqualTo(
            "{\"duplicateBatches\":0,\"fileProblems\":0,\"incompleteEpochs\":0,\"keyProblems\":0,"
                + "\"missingBatches\":0,\"tableProblems\":0}");
    assertThat(node.get("warnings").toString()).isEqualTo("[]");
  }

  /** A copy of the demo's audit folder (its run file still names the demo's staging). */
  private static Path copyOfTheDemo(String name) throws Exception {
    Path copy = tmp.resolve(name);
    copyTree(out.resolve("audit"), copy);
    return copy;
  }

  /** Rows per epoch as DuckDB reads the folder (training phase only: the demo has no other). */
  private static List<String> duckDbRowsPerEpoch(Path audit) throws Exception {
    List<String> rows = new java.util.ArrayList<>();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet r =
            s.executeQuery(
                "SELECT epoch, count(*) FROM read_parquet('"
                    + audit
                    + "/**/*.parquet', hive_partitioning = true) GROUP BY epoch ORDER BY epoch")) {
      while (r.next()) {
        rows.add("epoch " + r.getInt(1) + ": " + r.getLong(2));
      }
    }
    return rows;
  }

  /** The lines of verify's text output from its PROBLEMS line on, up to its warnings, if any. */
  private static List<String> problems(Result verify) {
    List<String> lines = verify.out().lines().toList();
    int from = 0;
    while (from < lines.size() && !lines.get(from).startsWith("PROBLEMS: ")) {
      from++;
    }
    int to = from;
    while (to < lines.size() && !lines.get(to).startsWith("warning: ")) {
      to++;
    }
    return lines.subList(from, to);
  }

  private static String retired(String generation) {
    return "file:" + out.resolve("audit-staging/retired/" + generation);
  }

  private static final String GLOB = " (what DuckDB's read_parquet('<audit>/**/*.parquet') counts)";

  @Test
  void verifyReportsACopyOfACommittedFileThatPlainReadersReadTwice() throws Exception {
    Path copy = copyOfTheDemo("copied-file");
    Path epoch1 = copy.resolve("phase=train/epoch=1");
    Path extra = epoch1.resolve("part-g1-00000-copy.parquet");
    Files.copy(epoch1.resolve("part-g1-00000.parquet"), extra);
    assertThat(duckDbRowsPerEpoch(copy)).containsExactly("epoch 0: 150", "epoch 1: 300");
    Result verify = run("verify", copy.toString());
    assertThat(verify.code()).as(verify.err()).isEqualTo(ExitCodes.PROBLEMS);
    assertThat(problems(verify))
        .containsExactly(
            "PROBLEMS: 0 incomplete epochs, 0 file problems, 2 table problems, 0 missing, 0"
                + " duplicates, 0 key problems, 0 label mismatches",
            "  - data file file:"
                + extra
                + " is named by no manifest: plain readers read its 150 rows as epoch 1 (train)",
            "  - the 3 *.parquet files under file:"
                + copy
                + " hold 450 rows"
                + GLOB
                + ", the manifests 300");
  }

  @Test
  void verifyReportsAStrayFileAndAFolderThatIsNotTheLogs() throws Exception {
    Path copy = copyOfTheDemo("stray");
    Files.writeString(copy.resolve("phase=train/epoch=0/notes.txt"), "not data");
    Files.createDirectories(copy.resolve("phase=train/epoch=0-backup"));
    Files.copy(
        copy.resolve("phase=train/epoch=0/part-g1-00000.parquet"),
        copy.resolve("phase=train/epoch=0-backup/part-g1-00000.parquet"));
    Result verify = run("verify", copy.toString());
    assertThat(verify.code()).as(verify.err()).isEqualTo(ExitCodes.PROBLEMS);
    assertThat(problems(verify))
        .containsExactly(
            "PROBLEMS: 0 incomplete epochs, 0 file problems, 4 table problems, 0 missing, 0"
                + " duplicates, 0 key problems, 0 label mismatches",
            "  - file file:"
                + copy.resolve("phase=train/epoch=0/notes.txt")
                + " is named by no manifest: Spark and pyarrow read it as data (every file whose"
                + " name does not start with _ or .)",
            "  - folder file:"
                + copy.resolve("phase=train/epoch=0-backup")
                + " is not a phase or epoch folder of the log: plain readers may read what it holds"
                + " (remove it)",
            "  - data file file:"
                + copy.resolve("phase=train/epoch=0-backup/part-g1-00000.parquet")
                + " is named by no manifest: plain readers read its 150 rows",
            "  - the 3 *.parquet files under file:"
                + copy
                + " hold 450 rows"
                + GLOB
                + ", the manifests 300");
  }

  @Test
  void verifyListsTheFirstHundredProblemsOfAKindAndCountsTheRest() throws Exception {
    Path copy = copyOfTheDemo("many-strays");
    Path epoch0 = copy.resolve("phase=train/epoch=0");
    for (int i = 0; i < 150; i++) {
      Files.writeString(epoch0.resolve(String.format("stray-%03d.txt", i)), "");
    }
    Result verify = run("verify", copy.toString());
    assertThat(verify.code()).as(verify.err()).isEqualTo(ExitCodes.PROBLEMS);
    List<String> lines = problems(verify);
    assertThat(lines).hasSize(102);
    assertThat(lines.get(0))
        .isEqualTo(
            "PROBLEMS: 0 incomplete epochs, 0 file problems, 150 table problems, 0 missing, 0"
                + " duplicates, 0 key problems, 0 label mismatches");
    assertThat(lines.get(100))
        .isEqualTo(
            "  - file file:"
                + epoch0.resolve("stray-099.txt")
                + " is named by no manifest: Spark and pyarrow read it as data (every file whose"
                + " name does not start with _ or .)");
    assertThat(lines.get(101)).isEqualTo("  ... and 50 more table problems");
  }

  @Test
  void verifyReportsAnEpochFolderWithoutItsManifestAndTheRetiredGenerationTheReaderReads()
      throws Exception {
    Path copy = copyOfTheDemo("no-manifest");
    Path epoch1 = copy.resolve("phase=train/epoch=1");
    Files.delete(epoch1.resolve("_manifest.json"));
    Files.deleteIfExists(epoch1.resolve("._manifest.json.crc"));
    assertThat(Path.of(java.net.URI.create(retired("train-e00001-g0")))).isDirectory();
    Result verify = run("verify", copy.toString());
    assertThat(verify.code()).as(verify.err()).isEqualTo(ExitCodes.PROBLEMS);
    assertThat(problems(verify))
        .containsExactly(
            "PROBLEMS: 0 incomplete epochs, 0 file problems, 2 table problems, 0 missing, 0"
                + " duplicates, 0 key problems, 0 label mismatches",
            "  - epoch folder file:"
                + epoch1
                + " has no _manifest.json: plain readers read its files as epoch 1 (train), the"
                + " project's reader reads generation 0 of the epoch (150 rows) from "
                + retired("train-e00001-g0")
                + " instead",
            "  - data file file:"
                + epoch1.resolve("part-g1-00000.parquet")
                + " is named by no manifest: plain readers read its 150 rows as epoch 1 (train)");
  }

  @Test
  void verifyReportsWhatTheIssuesInsertOverwriteDirectoryLeftWhereItOnceSaidOk() throws Exception {
    // The state `query AUDIT "INSERT OVERWRITE DIRECTORY '<audit>/phase=train/epoch=0' USING
    // parquet SELECT run_id FROM audit LIMIT 1"` left (query refuses it now): the epoch folder
    // replaced by one Spark part file and _SUCCESS, written here directly.
    Path copy = copyOfTheDemo("overwritten");
    Path epoch0 = copy.resolve("phase=train/epoch=0");
    try (Stream<Path> files = Files.list(epoch0)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Path part =
        epoch0.resolve("part-00000-0b6c1a2e-5f4d-4c3b-9a8e-7d6c5b4a3f21-c000.snappy.parquet");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement s = c.createStatement()) {
      s.execute(
          "COPY (SELECT run_id FROM read_parquet('"
              + copy.resolve("phase=train/epoch=1")
              + "/*.parquet') LIMIT 1) TO '"
              + part
              + "' (FORMAT parquet, COMPRESSION snappy)");
    }
    Files.writeString(epoch0.resolve("_SUCCESS"), "");
    assertThat(duckDbRowsPerEpoch(copy)).containsExactly("epoch 0: 1", "epoch 1: 150");
    List<String> expected =
        List.of(
            "epoch folder file:"
                + epoch0
                + " has no _manifest.json: plain readers read its files as epoch 0 (train), the"
                + " project's reader reads generation 0 of the epoch (150 rows) from "
                + retired("train-e00000-g0")
                + " instead",
            "data file file:"
                + part
                + " is named by no manifest: plain readers read its 1 row as epoch 0 (train)",
            "the 2 *.parquet files under file:"
                + copy
                + " hold 151 rows"
                + GLOB
                + ", the manifests 300");
    Result verify = run("verify", copy.toString());
    assertThat(verify.code()).as(verify.err()).isEqualTo(ExitCodes.PROBLEMS);
    assertThat(problems(verify))
        .containsExactly(
            "PROBLEMS: 0 incomplete epochs, 0 file problems, 3 table problems, 0 missing, 0"
                + " duplicates, 0 key problems, 0 label mismatches",
            "  - " + expected.get(0),
            "  - " + expected.get(1),
            "  - " + expected.get(2));
    Result json = run("verify", copy.toString(), "--json");
    assertThat(json.code()).isEqualTo(ExitCodes.PROBLEMS);
    JsonNode node = Json.mapper().readTree(json.out());
    assertThat(node.get("ok").asBoolean()).isFalse();
    List<String> tableProblems = new java.util.ArrayList<>();
    node.get("tableProblems").forEach(n -> tableProblems.add(n.asText()));
    assertThat(tableProblems).containsExactlyElementsOf(expected);
    assertThat(node.get("problemCounts").get("tableProblems").asLong()).isEqualTo(3);
  }

  @Test
  void coverageCountsHowOftenEachEpochTrainedEveryExample() throws Exception {
    Result r = run("coverage", audit(), "--json");
    assertThat(r.code()).isZero();
    JsonNode epochs = Json.mapper().readTree(r.out()).get("epochs");
    assertThat(epochs.size()).isEqualTo(2);
    io.batchaudit.read.AuditLog log =
        io.batchaudit.read.AuditLog.open(audit(), new org.apache.hadoop.conf.Configuration());
    for (int e = 0; e < 2; e++) {
      java.util.Map<Long, Integer> timesTrained = new java.util.TreeMap<>();
      try (var batches = log.batches(e)) {
        batches.forEach(
            b ->
                java.util.Arrays.stream(b.sampleIds())
                    .forEach(id -> timesTrained.merge(id, 1, Integer::sum)));
      }
      // the demo (training.coverage=all) trains each of the 150 examples once per epoch
      assertThat(timesTrained.keySet())
          .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 150).boxed().toList());
      assertThat(timesTrained.values()).containsOnly(1);
      JsonNode c = epochs.get(e);
      assertThat(c.get("epoch").asInt()).isEqualTo(e);
      assertThat(c.get("sourceExamples").asLong()).isEqualTo(150);
      assertThat(c.get("trainedOnce").asLong()).isEqualTo(150);
      assertThat(c.get("neverTrained").asLong()).isZero();
      assertThat(c.get("trainedMoreThanOnce").asLong()).isZero();
      assertThat(c.get("neverTrainedSample").size()).isZero();
    }
    Result text = run("coverage", audit());
    assertThat(text.out().lines().toList().get(1))
        .isEqualTo("epoch sourceExamples  trainedOnce  neverTrained trainedMoreThanOnce");
    assertThat(text.out())
        .contains("    0            150          150             0                   0")
        .contains("    1            150          150             0                   0")
        .doesNotContain("never trained")
        .doesNotContain("warning");
    assertThat(Json.mapper().readTree(r.out()).get("warnings").size()).isZero();
  }

  @Test
  void verifyAgainstOtherSourceDataExitsOneAndListsMismatches() {
    Result r = run("verify", audit(), "--source", "synthetic:rows=150,features=4,classes=3");
    assertThat(r.code()).isEqualTo(ExitCodes.PROBLEMS);
    assertThat(r.out())
        .contains("PROBLEMS: ")
        .containsPattern(
            "  - batch \\(train epoch 0, round 0, batch 0, partition 0\\) row \\d: sample id \\d+ has"
                + " target \\[.*\\], source label \\[.*\\]");
  }

  @Test
  void verifyOfAFolderWithoutALogExitsTwoAndSaysWhatToPass() {
    Result r = run("verify", out.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err())
        .contains(
            "No audit log in file:"
                + out
                + ": file:"
                + out
                + "/_batch_audit/run.json is"
                + " missing. Pass the audit folder itself (the job writes it to <out>/audit)");
  }

  @Test
  void trainRefusesANonEmptyOutputFolderAndLeavesItUntouched() throws Exception {
    long before = Files.size(out.resolve("model.zip"));
    Result r = run("train", "--out", out.toString(), "--set", "master=local[2]");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err())
        .contains(
            "error: Output folder file:"
                + out
                + " is not empty: pass --overwrite to replace it,"
                + " or choose another --out");
    assertThat(Files.size(out.resolve("model.zip"))).isEqualTo(before);
  }

  @Test
  void trainByDefaultExportsAsDl4jDoesIsVerifiedAndLeavesNoExportFolder() throws Exception {
    Path o = tmp.resolve("export");
    Result r = run("train", "--out", o.toString(), "--set", "master=local[2]", "--set", "epochs=1");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode config = Json.mapper().readTree(o.resolve("summary.json").toFile()).get("config");
    assertThat(config.get("rdd-approach").asText()).isEqualTo("export");
    assertThat(config.get("export-directory").asText()).isEmpty(); // <out>/export
    // the minibatch files and <out>/export are deleted when the run ends
    try (Stream<Path> left = Files.list(o)) {
      assertThat(
              left.map(p -> p.getFileName().toString())
                  // (Hadoop's local file system writes model.zip's checksum beside it, hidden)
                  .filter(n -> !n.equals(".model.zip.crc")))
          .containsExactlyInAnyOrder("audit", "audit-staging", "model.zip", "summary.json");
    }
    Result verify = run("verify", o.resolve("audit").toString());
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains("OK: every batch present exactly once");
  }

  @Test
  void anExportDirectoryWithoutAFileSystemIsRefusedBeforeAnythingIsWritten() {
    Path o = tmp.resolve("export-bad-dir");
    Result r =
        run(
            "train",
            "--out",
            o.toString(),
            "--set",
            "rdd-approach=export",
            "--set",
            "export-directory=nosuchfs://host/export");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err().lines().filter(l -> !l.isBlank()))
        .containsExactly(
            "error: Invalid export-directory 'nosuchfs://host/export': no file system for it (No"
                + " FileSystem for scheme \"nosuchfs\"); give a folder (any Hadoop URI) that every"
                + " executor reads, or leave it empty");
    assertThat(o).doesNotExist();
  }

  @Test
  void unknownAndInvalidKeysExitTwoNamingTheKey() {
    Result unknown = run("train", "--out", tmp.resolve("x").toString(), "--set", "epoch=3");
    assertThat(unknown.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(unknown.err())
        .contains(
            "error: Unknown configuration key 'epoch'. Known keys: master, out, data, validation-data, format,");
    Result invalid = run("train", "--out", tmp.resolve("x").toString(), "--set", "batch-size=0");
    assertThat(invalid.err())
        .contains("error: Invalid batch-size '0': expected a whole number >= 1");
    Result data =
        run("train", "--out", tmp.resolve("x").toString(), "--set", "data=synthetic:rows=10");
    assertThat(data.err())
        .contains(
            "error: Invalid data 'synthetic:rows=10': synthetic data needs"
                + " rows and features: use iris, synthetic:rows=R,features=F,classes=C or"
                + " synthetic:rows=R,features=F,outputs=K (optionally ,seed=S)");
    assertThat(tmp.resolve("x")).doesNotExist();
  }

  @Test
  void usageErrorsExitTwoWithUsage() {
    Result r = run("show");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err())
        .contains("Missing required parameter: 'AUDIT_DIR'")
        .contains("Usage: batch-audit show");
  }

  @Test
  void aTruncatedFileMakesVerifyExitOneAndShowExitThree() throws Exception {
    Path copy = tmp.resolve("damaged");
    copyTree(out.resolve("audit"), copy);
    Path file;
    try (Stream<Path> files = Files.walk(copy.resolve("phase=train/epoch=1"))) {
      file =
          files.filter(p -> p.toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(100);
    }
    Result verify = run("verify", copy.toString());
    assertThat(verify.code()).isEqualTo(ExitCodes.PROBLEMS);
    assertThat(verify.out())
        .containsPattern(
            "  - Committed file file:"
                + java.util.regex.Pattern.quote(file.toString())
                + " has 100 bytes, the manifest says \\d+: it was changed or truncated after"
                + " commit; Parquet: .*(ChecksumException|not a Parquet file|EOF).*");
    Result show = run("show", copy.toString());
    assertThat(show.code()).isEqualTo(ExitCodes.UNEXPECTED_STATE);
    assertThat(show.err()).contains("error: Committed file file:" + file + " has 100 bytes");
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
