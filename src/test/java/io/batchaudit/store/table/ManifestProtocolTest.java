package io.batchaudit.store.table;

import static io.batchaudit.testing.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchaudit.read.AuditLog;
import io.batchaudit.read.Verifier;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.Phase;
import io.batchaudit.testing.LogBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest form of the commit protocol ({@link CommitProtocol#MANIFEST}, what S3 gets), forced
 * on the local disk so that every step can be halted and inspected: nothing is renamed, the reader
 * learns the committed epochs from the manifests in {@code _batch_audit/commits/} only, and a file
 * a live manifest names is never deleted.
 */
class ManifestProtocolTest {
  private static final String RUN = LogBuilder.RUN_ID;
  private final Configuration conf = new Configuration();
  @TempDir Path tmp;

  /** Epoch {@code epoch}: 2 rounds x 2 partitions x 2 batches of 3 rows. */
  private static void stageEpoch(LogBuilder b, int epoch) {
    for (int round = 0; round < 2; round++) {
      for (int p = 0; p < 2; p++) {
        long t = epoch * 100 + round * 10 + p;
        long id = (round * 2 + p) * 6;
        b.task(
            epoch,
            round,
            p,
            t,
            batch(RUN, epoch, round, 0, p, t, id, id + 1, id + 2),
            batch(RUN, epoch, round, 1, p, t, id + 3, id + 4, id + 5));
      }
    }
  }

  private LogBuilder twoCommittedEpochs(Path audit) {
    LogBuilder b = new LogBuilder(audit, 2, CommitProtocol.MANIFEST);
    for (int epoch = 0; epoch < 2; epoch++) {
      stageEpoch(b, epoch);
      b.commit(epoch, 2);
    }
    return b;
  }

  private static List<String> describe(AuditLog log) {
    try (Stream<AuditBatch> s = log.batches()) {
      return s.map(
              b ->
                  b.key()
                      + " "
                      + b.taskAttemptId()
                      + " "
                      + Arrays.toString(b.sampleIds())
                      + " "
                      + Arrays.toString(b.targets().values()))
          .toList();
    }
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private static long duckDb(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static long globRows(Path audit) throws Exception {
    return duckDb("SELECT count(*) FROM read_parquet('" + audit + "/**/*.parquet')");
  }

  private static long listedRows(AuditLog log) throws Exception {
    String list =
        log.committedFiles().stream().map(f -> "'" + f + "'").collect(Collectors.joining(", "));
    return duckDb("SELECT count(*) FROM read_parquet([" + list + "])");
  }

  private Compactor.Result compact(LogBuilder b, int epoch, Duration grace) {
    return Compactor.compact(b.table(), conf, Phase.TRAIN, epoch, 1 << 20, grace);
  }

  /** Runs {@code action} with a probe that throws at {@code step}, as a driver dying there. */
  private static void dieAt(CommitStep step, Runnable action) {
    try (CommitProbes.Installed p =
        CommitProbes.install(
            (s, phase, e) -> {
              if (s == step) {
                throw new IllegalStateException("driver died at " + step.label());
              }
            })) {
      assertThatThrownBy(action::run).hasMessageContaining("driver died at " + step.label());
    }
  }

  @Test
  void theLocalDiskIsDetectedAsAStoreWithAtomicRenamesAndTheRunFileRecordsTheChoice()
      throws Exception {
    Path audit = tmp.resolve("audit");
    FileSystem fs = FileSystem.getLocal(conf);
    assertThat(CommitProtocol.detect(fs, new org.apache.hadoop.fs.Path(audit.toUri())))
        .isEqualTo(CommitProtocol.RENAME);
    new LogBuilder(audit, 1, CommitProtocol.MANIFEST);
    assertThat(Files.readString(audit.resolve("_batch_audit/run.json")))
        .containsPattern("\"commitProtocol\" ?: ?\"manifest\"");
    assertThat(AuditLog.open(audit.toString(), conf).run().protocol())
        .isEqualTo(CommitProtocol.MANIFEST);
  }

  @Test
  void attemptsWriteInPlaceAndTheManifestWrittenLastCommitsExactlyTheAcceptedOnes()
      throws Exception {
    Path audit = tmp.resolve("audit");
    LogBuilder b = new LogBuilder(audit, 2, CommitProtocol.MANIFEST);
    stageEpoch(b, 0);
    b.discardedTask(0, 1, 1, 999, batch(RUN, 0, 1, 0, 1, 999, 18, 19, 20));
    Path epoch0 = audit.resolve("phase=train/epoch=0");
    // before the commit: the attempts' files are in place, the reader sees no epoch
    assertThat(names(epoch0)).hasSize(5).contains("part-r000001-p00001-t999.parquet");
    assertThat(AuditLog.open(audit.toString(), conf).commits()).isEmpty();

    b.commit(0, 2);

    assertThat(names(audit.resolve("_batch_audit/commits")))
        .containsExactly("train-e00000-g0.json");
    assertThat(names(epoch0))
        .containsExactly(
            "part-r000000-p00000-t0.parquet",
            "part-r000000-p00001-t1.parquet",
            "part-r000001-p00000-t10.parquet",
            "part-r000001-p00001-t11.parquet");
    assertThat(tmp.resolve("audit-staging/commit")).doesNotExist(); // nothing was assembled
    assertThat(names(tmp.resolve("audit-staging/tasks"))).isEmpty(); // markers deleted
    AuditLog log = AuditLog.open(audit.toString(), conf);
    assertThat(describe(log))
        .hasSize(8)
        .first()
        .asString()
        .startsWith("(train epoch 0, round 0, batch 0, partition 0) 0 [0, 1, 2] ");
    assertThat(describe(log)).noneMatch(line -> line.contains(" 999 "));
    assertThat(log.rows()).isEqualTo(24);
    assertThat(Verifier.verify(log, null).fileProblems()).isEmpty();
    assertThat(Verifier.verify(log, null).tableProblems()).isEmpty();
    assertThat(globRows(audit)).isEqualTo(24);
    assertThat(listedRows(log)).isEqualTo(24);
  }

  @Test
  void anEpochWhoseManifestWasNotWrittenDoesNotExistAndVacuumRemovesItsFiles() throws Exception {
    Path audit = tmp.resolve("audit");
    LogBuilder b = twoCommittedEpochs(audit);
    List<String> committed = describe(AuditLog.open(audit.toString(), conf));
    LogBuilder third = b;
    for (int round = 0; round < 2; round++) {
      third.task(2, round, 0, 200 + round, batch(RUN, 2, round, 0, 0, 200 + round, 1, 2, 3));
    }

    dieAt(CommitStep.EPOCH_ASSEMBLED, () -> third.commit(2, 2));

    assertThat(names(audit.resolve("phase=train/epoch=2"))).hasSize(2); // written, not committed
    AuditLog log = AuditLog.open(audit.toString(), conf);
    assertThat(log.commits()).extracting(EpochCommit::epoch).containsExactly(0, 1);
    assertThat(describe(log)).containsExactlyElementsOf(committed);
    assertThat(listedRows(log)).isEqualTo(48);
    assertThat(globRows(audit)).isEqualTo(54); // a plain glob reads the uncommitted files
    assertThat(Verifier.verify(log, null).tableProblems())
        .anyMatch(p -> p.contains("epoch=2 has no manifest in"));

    Vacuum.Report r = Vacuum.run(b.table(), Duration.ZERO, Instant.now().plusSeconds(1), false);

    assertThat(r.removed()).anyMatch(p -> p.contains("phase=train/epoch=2"));
    assertThat(audit.resolve("phase=train/epoch=2")).doesNotExist();
    AuditLog after = AuditLog.open(audit.toString(), conf);
    assertThat(describe(after)).containsExactlyElementsOf(committed);
    assertThat(Verifier.verify(after, null).tableProblems()).isEmpty();
    assertThat(globRows(audit)).isEqualTo(48);
  }

  @Test
  void aDriverThatDiesAfterTheManifestLeavesTheEpochCommittedAndItsLeftoversForVacuum()
      throws Exception {
    Path audit = tmp.resolve("audit");
    LogBuilder b = new LogBuilder(audit, 1, CommitProtocol.MANIFEST);
    stageEpoch(b, 0);
    b.discardedTask(0, 0, 0, 998, batch(RUN, 0, 0, 0, 0, 998, 0, 1, 2));

    dieAt(CommitStep.EPOCH_PUBLISHED, () -> b.commit(0, 2));

    AuditLog log = AuditLog.open(audit.toString(), conf);
    assertThat(log.commits()).extracting(EpochCommit::epoch).containsExactly(0);
    assertThat(log.rows()).isEqualTo(24);
    assertThat(describe(log)).noneMatch(line -> line.contains(" 998 "));
    assertThat(audit.resolve("phase=train/epoch=0/part-r000000-p00000-t998.parquet")).exists();

    Vacuum.run(b.table(), Duration.ZERO, Instant.now().plusSeconds(1), false);

    assertThat(audit.resolve("phase=train/epoch=0/part-r000000-p00000-t998.parquet"))
        .doesNotExist();
    assertThat(names(tmp.resolve("audit-staging/tasks"))).isEmpty();
    AuditLog after = AuditLog.open(audit.toString(), conf);
    assertThat(after.rows()).isEqualTo(24);
    assertThat(Verifier.verify(after, null).fileProblems()).isEmpty();
    assertThat(globRows(audit)).isEqualTo(24);
  }

  @Test
  void compactionCommitsTheNextGenerationByItsManifestAndKeepsTheOldOneThroughTheGrace()
      throws Exception {
    Path audit = tmp.resolve("audit");
    LogBuilder b = twoCommittedEpochs(audit);
    AuditLog before = AuditLog.open(audit.toString(), conf);
    List<String> rows = describe(before);

    Compactor.Result r = compact(b, 0, Duration.ofMinutes(10));

    assertThat(r.compacted()).isTrue();
    assertThat(r.after().generation()).isEqualTo(1);
    assertThat(names(audit.resolve("_batch_audit/commits")))
        .containsExactly("train-e00000-g0.json", "train-e00000-g1.json", "train-e00001-g0.json");
    assertThat(names(audit.resolve("phase=train/epoch=0")))
        .hasSize(5)
        .contains("part-g1-00000.parquet");
    AuditLog log = AuditLog.open(audit.toString(), conf);
    assertThat(log.commits().get(0).generation()).isEqualTo(1);
    assertThat(describe(log)).containsExactlyElementsOf(rows);
    assertThat(listedRows(log)).isEqualTo(48);
    // a reader that read the old manifest before the compaction still reads it whole
    assertThat(describe(before)).containsExactlyElementsOf(rows);
    // during the grace period a plain glob reads both generations of epoch 0: verify says so, and
    // that the files command's list reads each row once
    assertThat(globRows(audit)).isEqualTo(72);
    var during = Verifier.verify(log, null);
    assertThat(during.tableProblems()).isEmpty();
    assertThat(during.warnings())
        .anyMatch(
            w ->
                w.contains("also reads 24 rows of generation 0 of train epoch 0, replaced by")
                    && w.contains("'batch-audit files'"));

    compact(b, 1, Duration.ZERO); // its grace is zero: every replaced generation goes

    assertThat(names(audit.resolve("_batch_audit/commits")))
        .containsExactly("train-e00000-g1.json", "train-e00001-g1.json");
    assertThat(names(audit.resolve("phase=train/epoch=0")))
        .containsExactly("part-g1-00000.parquet");
    AuditLog compacted = AuditLog.open(audit.toString(), conf);
    assertThat(describe(compacted)).containsExactlyElementsOf(rows);
    assertThat(Verifier.verify(compacted, null).fileProblems()).isEmpty();
    assertThat(Verifier.verify(compacted, null).tableProblems()).isEmpty();
    assertThat(globRows(audit)).isEqualTo(48);
  }

  @Test
  void anInterruptedCompactionLeavesTheOldGenerationLiveAndIsRedoneFromScratch() throws Exception {
    Path audit = tmp.resolve("audit");
    LogBuilder b = twoCommittedEpochs(audit);
    List<String> rows = describe(AuditLog.open(audit.toString(), conf));

    dieAt(CommitStep.GENERATION_WRITTEN, () -> compact(b, 0, Duration.ofMinutes(10)));

    assertThat(audit.resolve("phase=train/epoch=0/part-g1-00000.parquet")).exists();
    AuditLog log = AuditLog.open(audit.toString(), conf);
    assertThat(log.commits().get(0).generation()).isZero();
    assertThat(describe(log)).containsExactlyElementsOf(rows);
    assertThat(listedRows(log)).isEqualTo(48);

    Compactor.Result again = compact(b, 0, Duration.ofMinutes(10));

    assertThat(again.after().generation()).isEqualTo(1);
    assertThat(describe(AuditLog.open(audit.toString(), conf))).containsExactlyElementsOf(rows);
  }

  @Test
  void vacuumRemovesReplacedGenerationsAndStrayFilesButNeverAFileALiveManifestNames()
      throws Exception {
    Path audit = tmp.resolve("audit");
    LogBuilder b = twoCommittedEpochs(audit);
    List<String> rows = describe(AuditLog.open(audit.toString(), conf));
    compact(b, 0, Duration.ofMinutes(10));
    Path stray = audit.resolve("phase=train/epoch=1/part-r000000-p00000-t4242.parquet");
    Files.writeString(stray, "a partial file of a killed executor");

    Vacuum.Report dry = Vacuum.run(b.table(), Duration.ZERO, Instant.now().plusSeconds(1), true);
    assertThat(names(audit.resolve("phase=train/epoch=0"))).hasSize(5);
    assertThat(stray).exists();

    Vacuum.Report r = Vacuum.run(b.table(), Duration.ZERO, Instant.now().plusSeconds(1), false);

    assertThat(r.removed()).containsExactlyInAnyOrderElementsOf(dry.removed());
    assertThat(r.removed())
        .anyMatch(p -> p.endsWith("train-e00000-g0.json (manifest of generation 0, replaced)"))
        .anyMatch(p -> p.contains("t4242.parquet"));
    assertThat(stray).doesNotExist();
    assertThat(names(audit.resolve("phase=train/epoch=0")))
        .containsExactly("part-g1-00000.parquet");
    assertThat(names(audit.resolve("phase=train/epoch=1"))).hasSize(4);
    AuditLog log = AuditLog.open(audit.toString(), conf);
    assertThat(describe(log)).containsExactlyElementsOf(rows);
    assertThat(Verifier.verify(log, null).fileProblems()).isEmpty();
    assertThat(globRows(audit)).isEqualTo(48);
  }
}
