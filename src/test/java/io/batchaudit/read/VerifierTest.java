package io.batchaudit.read;

import static io.batchaudit.testing.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.testing.LogBuilder;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifierTest {
  private static final String RUN = LogBuilder.RUN_ID;
  @TempDir Path tmp;

  /** Labels one-hot of class {@code id % 3}, as {@link io.batchaudit.testing.Batches} writes. */
  private static final LabelSource MOD3 =
      new LabelSource() {
        @Override
        public long size() {
          return 1000;
        }

        @Override
        public int width() {
          return 3;
        }

        @Override
        public void label(long id, float[] out) {
          java.util.Arrays.fill(out, 0f);
          out[(int) (id % 3)] = 1f;
        }

        @Override
        public String description() {
          return "mod3";
        }
      };

  private static AuditLog open(LogBuilder b) {
    return AuditLog.open(b.location(), new Configuration());
  }

  /** Epoch 0: two rounds, two partitions, two batches each. */
  private LogBuilder completeEpoch(LogBuilder b, int epoch) {
    long t = epoch * 100L;
    long id = epoch * 1000L % 1000;
    for (int round = 0; round < 2; round++) {
      for (int p = 0; p < 2; p++) {
        long task = t + round * 10 + p;
        long base = (round * 2 + p) * 10 + id;
        b.task(
            epoch,
            round,
            p,
            task,
            batch(RUN, epoch, round, 0, p, task, base, base + 1),
            batch(RUN, epoch, round, 1, p, task, base + 2, base + 3));
      }
    }
    return b.commit(epoch, 2);
  }

  @Test
  void completeLogIsReassembledInTrainingOrderAndVerifies() {
    LogBuilder b = completeEpoch(new LogBuilder(tmp.resolve("a"), 1), 0);
    AuditLog log = open(b);
    try (Stream<AuditBatch> batches = log.batches()) {
      assertThat(batches.map(x -> x.key().toString()))
          .containsExactly(
              "(train epoch 0, round 0, batch 0, partition 0)",
              "(train epoch 0, round 0, batch 0, partition 1)",
              "(train epoch 0, round 0, batch 1, partition 0)",
              "(train epoch 0, round 0, batch 1, partition 1)",
              "(train epoch 0, round 1, batch 0, partition 0)",
              "(train epoch 0, round 1, batch 0, partition 1)",
              "(train epoch 0, round 1, batch 1, partition 0)",
              "(train epoch 0, round 1, batch 1, partition 1)");
    }
    try (Stream<AuditBatch> p1 = log.partition(0, 1)) {
      assertThat(p1.map(x -> x.sampleIds()[0])).containsExactly(10L, 12L, 30L, 32L);
    }
    assertThat(log.round(0, 1))
        .extracting(x -> x.sampleIds()[0])
        .containsExactly(20L, 30L, 22L, 32L);
    VerificationReport report = Verifier.verify(log, MOD3);
    assertThat(report.ok()).isTrue();
    assertThat(report.batches()).isEqualTo(8);
    assertThat(report.rows()).isEqualTo(16);
  }

  @Test
  void sourceExamplesATrainingEpochLeftUntrainedAreAWarningNotAProblem() {
    LogBuilder b = completeEpoch(new LogBuilder(tmp.resolve("untrained"), 1), 0);
    VerificationReport report = Verifier.verify(open(b), MOD3);
    assertThat(report.ok()).isTrue();
    assertThat(report.warnings())
        .containsExactly(
            "warning: training epoch 0 never trained 984 of the 1000 source examples (DL4J's"
                + " parameter averaging trains at most workers x batch-size x"
                + " averaging-frequency examples per round; training.coverage=all trains every"
                + " example every epoch)");
  }

  @Test
  void reportsAGapInBatchIndicesWithItsKeys() {
    LogBuilder b = new LogBuilder(tmp.resolve("gap"), 1);
    b.task(0, 0, 0, 1, batch(RUN, 0, 0, 0, 0, 1, 1, 2), batch(RUN, 0, 0, 2, 0, 1, 3, 4));
    VerificationReport report = Verifier.verify(open(b.commit(0, 1)), MOD3);
    assertThat(report.ok()).isFalse();
    assertThat(report.missingBatches())
        .containsExactly(
            "missing batch (train epoch 0, round 0, batch 1, partition 0): batches [0, 2] present");
  }

  @Test
  void reportsABatchRecordedTwiceAndItsSamples() {
    LogBuilder b = new LogBuilder(tmp.resolve("dup"), 1);
    // a file staged for partition 1 whose content claims partition 0: the log contradicts itself
    b.task(0, 0, 0, 5, batch(RUN, 0, 0, 0, 0, 5, 1, 2));
    b.task(0, 0, 1, 6, batch(RUN, 0, 0, 0, 0, 6, 1, 2));
    VerificationReport report = Verifier.verify(open(b.commit(0, 1)), MOD3);
    assertThat(report.duplicateBatches())
        .containsExactly(
            "batch (train epoch 0, round 0, batch 0, partition 0) is recorded twice (task attempts"
                + " 6 and another)",
            "sample id 1 is trained twice in epoch 0 (again in batch (train epoch 0, round 0, batch"
                + " 0, partition 0) row 0)",
            "sample id 2 is trained twice in epoch 0 (again in batch (train epoch 0, round 0, batch"
                + " 0, partition 0) row 1)");
  }

  @Test
  void reportsAnEpochThatWasNeverCommittedAsIncomplete() {
    LogBuilder b = completeEpoch(new LogBuilder(tmp.resolve("inc"), 2), 0);
    b.task(1, 0, 0, 900, batch(RUN, 1, 0, 0, 0, 900, 7, 8)); // staged, never committed
    AuditLog log = open(b);
    VerificationReport report = Verifier.verify(log, MOD3);
    assertThat(report.incompleteEpochs())
        .containsExactly(
            "epoch 1 (train) was never committed: incomplete (the run planned 2 epochs; committed:"
                + " [0])");
    assertThat(report.rows()).isEqualTo(16);
  }

  @Test
  void reportsATargetThatDiffersFromTheSourceLabel() {
    LogBuilder b = new LogBuilder(tmp.resolve("label"), 1);
    AuditBatch good = batch(RUN, 0, 0, 0, 0, 3, 4, 5);
    float[] t = good.targets().values().clone();
    t[3] = 0.5f; // row 1 (sample 5)
    AuditBatch bad =
        new AuditBatch(
            RUN,
            good.key(),
            good.step(),
            0,
            3,
            0.1,
            good.sampleIds(),
            new FloatMatrix(2, 3, t),
            good.predictions(),
            null,
            null,
            null,
            java.util.Map.of());
    VerificationReport report = Verifier.verify(open(b.task(0, 0, 0, 3, bad).commit(0, 1)), MOD3);
    assertThat(report.labelMismatches()).isEqualTo(1);
    assertThat(report.labelMismatchExamples())
        .containsExactly(
            "batch (train epoch 0, round 0, batch 0, partition 0) row 1: sample id 5 has target"
                + " [0.5, 0.0, 1.0], source label [0.0, 0.0, 1.0]");
  }

  @Test
  void reportsBatchesLargerThanTheConfiguredBatchSize() {
    LogBuilder b = new LogBuilder(tmp.resolve("big"), 1);
    b.task(0, 0, 0, 3, batch(RUN, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    VerificationReport report = Verifier.verify(open(b.commit(0, 1)), MOD3);
    assertThat(report.keyProblems())
        .containsExactly(
            "batch (train epoch 0, round 0, batch 0, partition 0) has 9 rows; batch-size is 8");
  }

  @Test
  void reportsATruncatedCommittedFileWithItsExpectedAndActualSize() throws Exception {
    LogBuilder b = completeEpoch(new LogBuilder(tmp.resolve("trunc"), 1), 0);
    Path file;
    try (Stream<Path> files = Files.walk(tmp.resolve("trunc/phase=train"))) {
      file =
          files.filter(p -> p.toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
    }
    long size = Files.size(file);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size - 10);
    }
    VerificationReport report = Verifier.verify(open(b), MOD3);
    assertThat(report.ok()).isFalse();
    assertThat(report.fileProblems()).hasSize(1);
    assertThat(report.fileProblems().get(0))
        .startsWith(
            "Committed file file:"
                + file
                + " has "
                + (size - 10)
                + " bytes, the manifest says "
                + size
                + ": it was changed or truncated after commit; Parquet: ");
    // the damaged file is left out; the rest still verifies (7 of 8 batches)
    assertThat(report.batches()).isEqualTo(6);
  }

  @Test
  void reportsAFileAlteredInPlaceByItsChecksum() throws Exception {
    LogBuilder b = completeEpoch(new LogBuilder(tmp.resolve("alter"), 1), 0);
    Path file;
    try (Stream<Path> files = Files.walk(tmp.resolve("alter/phase=train"))) {
      file =
          files.filter(p -> p.toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
    }
    // same length, one byte changed, by a tool that does not keep Hadoop's .crc side file
    Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(20);
      int v = raf.read();
      raf.seek(20);
      raf.write(v ^ 0x01);
    }
    AuditLog log = open(b);
    String recorded = log.commits().get(0).files().get(0).sha256();
    VerificationReport report = Verifier.verify(log, MOD3);
    assertThat(report.ok()).isFalse();
    assertThat(report.fileProblems())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .matches(
            "Committed file file:"
                + java.util.regex.Pattern.quote(file.toString())
                + " has SHA-256 [0-9a-f]{64}, the manifest says "
                + recorded
                + ": it was changed after commit");
  }

  @Test
  void aFileWithOneByteChangedIsLeftOutOfTheReadAndReportedAsItsCheckAloneReportsIt()
      throws Exception {
    LogBuilder b = completeEpoch(new LogBuilder(tmp.resolve("mid"), 1), 0);
    AuditLog intact = open(b);
    io.batchaudit.store.EpochCommit c = intact.commits().get(0);
    io.batchaudit.store.CommittedFile damaged = c.files().get(c.files().size() - 1);
    Path file = tmp.resolve("mid").resolve(damaged.path());
    // one byte in the middle of the data, same length, no .crc side file to catch it first
    Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    long middle = Files.size(file) / 2;
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(middle);
      int v = raf.read();
      raf.seek(middle);
      raf.write(v ^ 0x40);
    }
    AuditLog log = open(b);
    String alone = log.check(c, damaged);
    assertThat(alone).contains(" has SHA-256 ").endsWith(": it was changed after commit");

    VerificationReport report = Verifier.verify(log, MOD3);

    assertThat(report.fileProblems()).containsExactly(alone);
    // its two batches (one task's) are not read: 6 of 8 batches, the others all verify
    assertThat(report.batches()).isEqualTo(6);
    assertThat(report.rows()).isEqualTo(12);
    assertThat(report.labelMismatches()).isZero();
    assertThat(report.duplicateBatches()).isEmpty();
  }

  @Test
  void damagedFilesOfAnEpochAreReportedInManifestOrder() throws Exception {
    LogBuilder b = completeEpoch(new LogBuilder(tmp.resolve("order"), 1), 0);
    io.batchaudit.store.EpochCommit c = open(b).commits().get(0);
    List<io.batchaudit.store.CommittedFile> files = c.files();
    // the last file of the manifest truncated, the first one deleted
    Path last = tmp.resolve("order").resolve(files.get(files.size() - 1).path());
    try (RandomAccessFile raf = new RandomAccessFile(last.toFile(), "rw")) {
      raf.setLength(raf.length() - 1);
    }
    Files.delete(tmp.resolve("order").resolve(files.get(0).path()));
    AuditLog log = open(b);
    String first = log.check(c, files.get(0));
    String lastProblem = log.check(c, files.get(files.size() - 1));

    VerificationReport report = Verifier.verify(log, MOD3);

    assertThat(first).contains(" is missing (the manifest lists it with ");
    assertThat(lastProblem).contains(" bytes, the manifest says ");
    assertThat(report.fileProblems()).containsExactly(first, lastProblem);
    assertThat(report.batches()).isEqualTo(4);
  }

  @Test
  void commitTakesOnlyTheAcceptedAttemptAndDeletesTheDiscardedOnes() {
    LogBuilder b = new LogBuilder(tmp.resolve("spec"), 1);
    // a speculative copy of the same partition also sealed its file: only the accepted one counts
    b.discardedTask(0, 0, 0, 11, batch(RUN, 0, 0, 0, 0, 11, 1, 2));
    b.task(0, 0, 0, 12, batch(RUN, 0, 0, 0, 0, 12, 1, 2));
    AuditLog log = open(b.commit(0, 1));
    assertThat(log.commits().get(0).files())
        .extracting(f -> f.taskAttemptId())
        .containsExactly(12L);
    assertThat(Verifier.verify(log, MOD3).ok()).isTrue();
    assertThat(List.of(tmp.resolve("spec-staging/tasks").toFile().list())).isEmpty();
  }

  /** The same batch with another step counter. */
  private static AuditBatch withStep(AuditBatch b, long step) {
    return new AuditBatch(
        b.runId(),
        b.key(),
        step,
        b.attempt(),
        b.taskAttemptId(),
        b.batchScore(),
        b.sampleIds(),
        b.targets(),
        b.predictions(),
        null,
        null,
        null,
        Map.of());
  }

  private static Path firstDataFile(Path folder) throws Exception {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(p -> p.toString().endsWith(".parquet"))
          .sorted()
          .findFirst()
          .orElseThrow();
    }
  }

  /** What DuckDB, a plain reader, counts: every *.parquet file under the folder. */
  private static long duckDbRows(Path root) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT count(*) FROM read_parquet('" + root + "/**/*.parquet')")) {
      r.next();
      return r.getLong(1);
    }
  }

  private static void assertOnlyTableProblems(VerificationReport report) {
    assertThat(report.ok()).isFalse();
    assertThat(report.incompleteEpochs()).isEmpty();
    assertThat(report.fileProblems()).isEmpty();
    assertThat(report.missingBatches()).isEmpty();
    assertThat(report.duplicateBatches()).isEmpty();
    assertThat(report.keyProblems()).isEmpty();
    assertThat(report.labelMismatches()).isZero();
  }

  @Test
  void reportsABatchIndexBeyondTheAveragingFrequency() {
    LogBuilder b = new LogBuilder(tmp.resolve("freq"), 1); // averaging-frequency 2
    b.task(
        0,
        0,
        0,
        3,
        batch(RUN, 0, 0, 0, 0, 3, 1, 2),
        batch(RUN, 0, 0, 1, 0, 3, 3, 4),
        batch(RUN, 0, 0, 2, 0, 3, 5, 6));
    VerificationReport report = Verifier.verify(open(b.commit(0, 1)), MOD3);
    assertThat(report.ok()).isFalse();
    assertThat(report.keyProblems())
        .containsExactly(
            "batch (train epoch 0, round 0, batch 2, partition 0) has batch index 2;"
                + " averaging-frequency is 2");
    assertThat(report.missingBatches()).isEmpty();
    assertThat(report.tableProblems()).isEmpty();
  }

  @Test
  void reportsAPartitionBeyondTheNumberOfWorkers() {
    LogBuilder b = new LogBuilder(tmp.resolve("workers"), 1); // 2 workers
    for (int p = 0; p < 3; p++) {
      b.task(0, 0, p, 10 + p, batch(RUN, 0, 0, 0, p, 10 + p, 2L * p, 2L * p + 1));
    }
    VerificationReport report = Verifier.verify(open(b.commit(0, 1)), MOD3);
    assertThat(report.ok()).isFalse();
    assertThat(report.keyProblems())
        .containsExactly(
            "batch (train epoch 0, round 0, batch 0, partition 2) has partition 2; the run had 2"
                + " workers");
  }

  @Test
  void reportsAStepThatDisagreesWithTheOtherBatchesOfItsRound() {
    LogBuilder b = new LogBuilder(tmp.resolve("step"), 1);
    b.task(0, 0, 0, 1, batch(RUN, 0, 0, 0, 0, 1, 1, 2), batch(RUN, 0, 0, 1, 0, 1, 3, 4));
    b.task(
        0,
        0,
        1,
        2,
        withStep(batch(RUN, 0, 0, 0, 1, 2, 5, 6), 5), // batch 0 of round 0 is step 0
        batch(RUN, 0, 0, 1, 1, 2, 7, 8));
    VerificationReport report = Verifier.verify(open(b.commit(0, 1)), MOD3);
    assertThat(report.ok()).isFalse();
    assertThat(report.keyProblems())
        .containsExactly(
            "batch (train epoch 0, round 0, batch 0, partition 1) has step 5; other batches of"
                + " round 0 imply step 0");
  }

  @Test
  void reportsARoundWhoseStepsDoNotAdvanceByTheAveragingFrequency() {
    // Round 1 is consistent in itself but starts at step 7: DL4J's master advances its iteration
    // count by averaging-frequency (2) per round, so round 1 starts at step 2.
    LogBuilder b = new LogBuilder(tmp.resolve("rounds"), 1);
    for (int round = 0; round < 2; round++) {
      for (int p = 0; p < 2; p++) {
        long task = round * 10L + p;
        long base = (round * 2L + p) * 10;
        long shift = round == 1 ? 5 : 0;
        AuditBatch b0 = batch(RUN, 0, round, 0, p, task, base, base + 1);
        AuditBatch b1 = batch(RUN, 0, round, 1, p, task, base + 2, base + 3);
        b.task(0, round, p, task, withStep(b0, b0.step() + shift), withStep(b1, b1.step() + shift));
      }
    }
    VerificationReport report = Verifier.verify(open(b.commit(0, 2)), MOD3);
    assertThat(report.ok()).isFalse();
    assertThat(report.keyProblems())
        .containsExactly(
            "batch (train epoch 0, round 1, batch 0, partition 0) has step 7; round 0 started at"
                + " step 0, so with averaging-frequency 2 round 1 starts at step 2 and this batch is"
                + " step 2");
  }

  @Test
  void reportsACopyOfACommittedFileThatPlainReadersCountTwice() throws Exception {
    LogBuilder b = completeEpoch(new LogBuilder(tmp.resolve("copy"), 1), 0);
    Path epoch = tmp.resolve("copy/phase=train/epoch=0");
    Path copy = epoch.resolve("part-r000000-p00000-t0-copy.parquet");
    Files.copy(firstDataFile(epoch), copy);
    assertThat(duckDbRows(tmp.resolve("copy"))).isEqualTo(20); // 16 committed + 4 again
    VerificationReport report = Verifier.verify(open(b), MOD3);
    assertOnlyTableProblems(report);
    assertThat(report.rows()).isEqualTo(16); // the project's reader reads the manifests' files
    assertThat(report.tableProblems())
        .containsExactly(
            "data file file:"
                + copy
                + " is named by no manifest: plain readers read its 4 rows as epoch 0 (train)",
            "the 5 *.parquet files under file:"
                + tmp.resolve("copy")
                + " hold 20 rows (what DuckDB's read_parquet('<audit>/**/*.parquet') counts), the"
                + " manifests 16");
    assertThat(report.count("tableProblems")).isEqualTo(2);
  }

  @Test
  void reportsAStrayFileAndAFolderThatIsNotOneOfTheLogsAndIgnoresHiddenFiles() throws Exception {
    LogBuilder b = completeEpoch(new LogBuilder(tmp.resolve("stray"), 1), 0);
    Path root = tmp.resolve("stray");
    Path epoch = root.resolve("phase=train/epoch=0");
    Files.writeString(epoch.resolve("notes.txt"), "not data");
    Files.writeString(epoch.resolve("_SUCCESS"), ""); // hidden: no plain reader reads it
    Files.writeString(epoch.resolve(".notes.txt.crc"), "");
    Files.createDirectories(root.resolve("backup"));
    Files.copy(firstDataFile(epoch), root.resolve("backup/old.parquet"));
    VerificationReport report = Verifier.verify(open(b), MOD3);
    assertOnlyTableProblems(report);
    assertThat(report.tableProblems())
        .containsExactly(
            "folder file:"
                + root.resolve("backup")
                + " is not a phase or epoch folder of the log: plain readers may read what it holds"
                + " (remove it)",
            "data file file:"
                + root.resolve("backup/old.parquet")
                + " is named by no manifest: plain readers read its 4 rows",
            "file file:"
                + epoch.resolve("notes.txt")
                + " is named by no manifest: Spark and pyarrow read it as data (every file whose"
                + " name does not start with _ or .)",
            "the 5 *.parquet files under file:"
                + root
                + " hold 20 rows (what DuckDB's read_parquet('<audit>/**/*.parquet') counts), the"
                + " manifests 16");
  }

  @Test
  void reportsAHiddenParquetFileBecauseDuckDbReadsItToo() throws Exception {
    LogBuilder b = completeEpoch(new LogBuilder(tmp.resolve("hidden"), 1), 0);
    Path epoch = tmp.resolve("hidden/phase=train/epoch=0");
    Files.copy(firstDataFile(epoch), epoch.resolve(".leftover.parquet"));
    assertThat(duckDbRows(tmp.resolve("hidden"))).isEqualTo(20);
    VerificationReport report = Verifier.verify(open(b), MOD3);
    assertOnlyTableProblems(report);
    assertThat(report.tableProblems())
        .containsExactly(
            "data file file:"
                + epoch.resolve(".leftover.parquet")
                + " is named by no manifest: plain readers read its 4 rows as epoch 0 (train)"
                + " (DuckDB's glob does; Spark and pyarrow skip names that start with _ or .)",
            "the 5 *.parquet files under file:"
                + tmp.resolve("hidden")
                + " hold 20 rows (what DuckDB's read_parquet('<audit>/**/*.parquet') counts), the"
                + " manifests 16");
  }

  @Test
  void reportsAnEpochFolderWithoutAManifestAndTheFilesPlainReadersStillRead() throws Exception {
    LogBuilder b = completeEpoch(completeEpoch(new LogBuilder(tmp.resolve("nomf"), 2), 0), 1);
    Path epoch = tmp.resolve("nomf/phase=train/epoch=1");
    Files.delete(epoch.resolve("_manifest.json"));
    Files.deleteIfExists(epoch.resolve("._manifest.json.crc"));
    List<Path> files;
    try (Stream<Path> s = Files.list(epoch)) {
      files = s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
    assertThat(files).hasSize(4);
    VerificationReport report = Verifier.verify(open(b), MOD3);
    assertThat(report.ok()).isFalse();
    assertThat(report.incompleteEpochs())
        .containsExactly(
            "epoch 1 (train) was never committed: incomplete (the run planned 2 epochs; committed:"
                + " [0])");
    List<String> expected = new java.util.ArrayList<>();
    expected.add(
        "epoch folder file:"
            + epoch
            + " has no _manifest.json: plain readers read its files as epoch 1 (train), which the"
            + " project's reader does not see (not committed)");
    for (Path f : files) {
      expected.add(
          "data file file:"
              + f
              + " is named by no manifest: plain readers read its 4 rows as epoch 1 (train)");
    }
    expected.add(
        "the 8 *.parquet files under file:"
            + tmp.resolve("nomf")
            + " hold 32 rows (what DuckDB's read_parquet('<audit>/**/*.parquet') counts), the"
            + " manifests 16");
    assertThat(report.tableProblems()).containsExactlyElementsOf(expected);
  }

  @Test
  void keepsTheFirstHundredProblemsOfAKindAndCountsThemAll() throws Exception {
    LogBuilder b = completeEpoch(new LogBuilder(tmp.resolve("many"), 1), 0);
    Path epoch = tmp.resolve("many/phase=train/epoch=0");
    for (int i = 0; i < 150; i++) {
      Files.writeString(epoch.resolve(String.format("stray-%03d.txt", i)), "");
    }
    VerificationReport report = Verifier.verify(open(b), MOD3);
    assertThat(report.ok()).isFalse();
    assertThat(report.tableProblems()).hasSize(VerificationReport.MAX_MESSAGES);
    assertThat(report.tableProblems().get(99))
        .isEqualTo(
            "file file:"
                + epoch.resolve("stray-099.txt")
                + " is named by no manifest: Spark and pyarrow read it as data (every file whose"
                + " name does not start with _ or .)");
    assertThat(report.count("tableProblems")).isEqualTo(150);
    assertThat(report.problemCounts())
        .containsExactly(
            Map.entry("incompleteEpochs", 0L),
            Map.entry("fileProblems", 0L),
            Map.entry("tableProblems", 150L),
            Map.entry("missingBatches", 0L),
            Map.entry("duplicateBatches", 0L),
            Map.entry("keyProblems", 0L));
  }

  /** Labels one-hot of class {@code (id + 1) % 3}: every target {@link #MOD3} writes mismatches. */
  private static final LabelSource SHIFTED =
      new LabelSource() {
        @Override
        public long size() {
          return 1000;
        }

        @Override
        public int width() {
          return 3;
        }

        @Override
        public void label(long id, float[] out) {
          java.util.Arrays.fill(out, 0f);
          out[(int) ((id + 1) % 3)] = 1f;
        }

        @Override
        public String description() {
          return "shifted";
        }
      };

  @Test
  void keepsTheFirstTwentyLabelMismatchesAndCountsThemAll() {
    LogBuilder b = new LogBuilder(tmp.resolve("mismatch"), 2);
    completeEpoch(completeEpoch(b, 0), 1); // 2 x 16 rows, every target wrong for SHIFTED
    VerificationReport report = Verifier.verify(open(b), SHIFTED);
    assertThat(report.ok()).isFalse();
    assertThat(report.labelMismatches()).isEqualTo(32);
    assertThat(report.count(ProblemKind.LABEL_MISMATCHES)).isEqualTo(32);
    assertThat(report.labelMismatchExamples()).hasSize(ProblemKind.LABEL_MISMATCHES.cap());
    assertThat(ProblemKind.LABEL_MISMATCHES.cap()).isEqualTo(20);
    assertThat(report.labelMismatchExamples().get(0))
        .isEqualTo(
            "batch (train epoch 0, round 0, batch 0, partition 0) row 0: sample id 0 has target"
                + " [1.0, 0.0, 0.0], source label [0.0, 1.0, 0.0]");
    // the 20th: row 1 of the 10th batch in training order, the second of epoch 1
    assertThat(report.labelMismatchExamples().get(19))
        .isEqualTo(
            "batch (train epoch 1, round 0, batch 0, partition 1) row 1: sample id 11 has target"
                + " [0.0, 0.0, 1.0], source label [1.0, 0.0, 0.0]");
    // label mismatches have their own count, outside problemCounts
    assertThat(report.problemCounts().values()).containsOnly(0L);
  }

  @Test
  void listsEveryKeptProblemKindByKindWhateverOrderTheyWereFoundIn() {
    LogBuilder b = new LogBuilder(tmp.resolve("kinds"), 1);
    // batch 1 absent, batch 2 beyond averaging-frequency 2, every target wrong for SHIFTED
    b.task(0, 0, 0, 1, batch(RUN, 0, 0, 0, 0, 1, 1, 2), batch(RUN, 0, 0, 2, 0, 1, 3, 4));
    VerificationReport report = Verifier.verify(open(b.commit(0, 1)), SHIFTED);
    // found in the order label, key, label (streaming), missing (end of epoch)
    assertThat(report.problems())
        .containsExactly(
            new Problem(
                ProblemKind.MISSING_BATCHES,
                "missing batch (train epoch 0, round 0, batch 1, partition 0): batches [0, 2]"
                    + " present"),
            new Problem(
                ProblemKind.KEY_PROBLEMS,
                "batch (train epoch 0, round 0, batch 2, partition 0) has batch index 2;"
                    + " averaging-frequency is 2"),
            new Problem(
                ProblemKind.LABEL_MISMATCHES,
                "batch (train epoch 0, round 0, batch 0, partition 0) row 0: sample id 1 has target"
                    + " [0.0, 1.0, 0.0], source label [0.0, 0.0, 1.0]"),
            new Problem(
                ProblemKind.LABEL_MISMATCHES,
                "batch (train epoch 0, round 0, batch 0, partition 0) row 1: sample id 2 has target"
                    + " [0.0, 0.0, 1.0], source label [1.0, 0.0, 0.0]"),
            new Problem(
                ProblemKind.LABEL_MISMATCHES,
                "batch (train epoch 0, round 0, batch 2, partition 0) row 0: sample id 3 has target"
                    + " [1.0, 0.0, 0.0], source label [0.0, 1.0, 0.0]"),
            new Problem(
                ProblemKind.LABEL_MISMATCHES,
                "batch (train epoch 0, round 0, batch 2, partition 0) row 1: sample id 4 has target"
                    + " [0.0, 1.0, 0.0], source label [0.0, 0.0, 1.0]"));
    for (ProblemKind kind : ProblemKind.values()) {
      assertThat(report.count(kind)).as(kind.name()).isEqualTo(report.messages(kind).size());
    }
    assertThat(report.messages(ProblemKind.MISSING_BATCHES)).isEqualTo(report.missingBatches());
    assertThat(report.messages(ProblemKind.KEY_PROBLEMS)).isEqualTo(report.keyProblems());
  }

  @Test
  void jsonOfTheReportHoldsExactlyTheFieldsOfVerifyJson() throws Exception {
    LogBuilder b = completeEpoch(new LogBuilder(tmp.resolve("json"), 1), 0);
    VerificationReport report = Verifier.verify(open(b), MOD3);
    List<String> fields = new java.util.ArrayList<>();
    io.batchaudit.store.Json.mapper()
        .readTree(io.batchaudit.store.Json.compact(report))
        .fieldNames()
        .forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactlyInAnyOrder(
            "ok",
            "epochs",
            "batches",
            "rows",
            "incompleteEpochs",
            "missingBatches",
            "duplicateBatches",
            "labelMismatches",
            "labelMismatchExamples",
            "keyProblems",
            "fileProblems",
            "tableProblems",
            "problemCounts",
            "labelsChecked",
            "warnings");
  }
}
