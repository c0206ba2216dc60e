package io.batchaudit.store.table;

import static io.batchaudit.testing.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchaudit.cli.CliRunner;
import io.batchaudit.read.AuditLog;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.Phase;
import io.batchaudit.testing.LogBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VacuumTest {
  private static final String RUN = LogBuilder.RUN_ID;
  @TempDir Path tmp;

  private static void age(Path p, Duration age) throws Exception {
    FileTime t = FileTime.from(Instant.now().minus(age));
    try (Stream<Path> all = Files.walk(p)) {
      for (Path q : all.toList()) {
        Files.setLastModifiedTime(q, t);
      }
    }
  }

  @Test
  void removesOldOrphansKeepsYoungOnesAndNeverTouchesCommittedFiles() throws Exception {
    Path audit = tmp.resolve("audit");
    LogBuilder b = new LogBuilder(audit, 2);
    b.task(0, 0, 0, 1, batch(RUN, 0, 0, 0, 0, 1, 1, 2)).commit(0, 1);
    Path tasks = tmp.resolve("audit-staging/tasks");
    // orphans: a discarded attempt's file two days old, one of a running job a minute old
    b.discardedTask(1, 0, 0, 7, batch(RUN, 1, 0, 0, 0, 7, 3, 4));
    b.discardedTask(1, 0, 1, 8, batch(RUN, 1, 0, 0, 1, 8, 5, 6));
    Path old = tasks.resolve("train-e00001-r000000-p00000-t7-a0.parquet.staged");
    Path oldMarker = tasks.resolve("train-e00001-r000000-p00000-t7-a0.marker.json");
    Path young = tasks.resolve("train-e00001-r000000-p00001-t8-a0.parquet.staged");
    age(old, Duration.ofDays(2));
    age(oldMarker, Duration.ofDays(2));
    age(young, Duration.ofMinutes(1));
    // an epoch a dead driver assembled but never committed, three hours old
    Path assembled = tmp.resolve("audit-staging/commit/phase=train/epoch=1");
    Files.createDirectories(assembled);
    Files.writeString(assembled.resolve("_manifest.json"), "{}");
    age(tmp.resolve("audit-staging/commit"), Duration.ofHours(3));
    Path committed;
    try (Stream<Path> files = Files.walk(audit.resolve("phase=train"))) {
      committed = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    age(audit.resolve("phase=train"), Duration.ofDays(30)); // old, but committed
    byte[] before = Files.readAllBytes(committed);

    CliRunner.Result dry =
        CliRunner.run("vacuum", audit.toString(), "--retention", "1h", "--dry-run");
    assertThat(dry.code()).isZero();
    assertThat(dry.out()).contains("would remove 3 leftovers");
    assertThat(old).exists();

    CliRunner.Result r = CliRunner.run("vacuum", audit.toString(), "--retention", "1h");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("removed file:" + old + " (")
        .contains("removed file:" + oldMarker + " (")
        .contains("removed file:" + assembled + " (")
        .contains("kept (younger than 1h) file:" + young + " (")
        .contains("removed 3 leftovers");
    assertThat(old).doesNotExist();
    assertThat(oldMarker).doesNotExist();
    assertThat(assembled).doesNotExist();
    assertThat(young).exists();
    assertThat(Files.readAllBytes(committed)).isEqualTo(before);
    AuditLog log = AuditLog.open(audit.toString(), new Configuration());
    assertThat(log.commits()).hasSize(1);
    assertThat(log.check(log.commits().get(0), log.commits().get(0).files().get(0))).isNull();
  }

  /** Two committed epochs of 2 rounds x 2 partitions, one batch of 2 rows each. */
  private static LogBuilder twoEpochs(Path audit) {
    LogBuilder b = new LogBuilder(audit, 2);
    for (int epoch = 0; epoch < 2; epoch++) {
      for (int round = 0; round < 2; round++) {
        for (int p = 0; p < 2; p++) {
          long t = epoch * 100 + round * 10 + p;
          long id = (round * 2 + p) * 2;
          b.task(epoch, round, p, t, batch(RUN, epoch, round, 0, p, t, id, id + 1));
        }
      }
      b.commit(epoch, 2);
    }
    return b;
  }

  private static java.util.List<String> rows(Path audit) {
    AuditLog log = AuditLog.open(audit.toString(), new Configuration());
    try (Stream<AuditBatch> s = log.batches()) {
      return s.map(b -> b.key() + " " + java.util.Arrays.toString(b.sampleIds())).toList();
    }
  }

  private static long duckDbRows(Path audit) throws Exception {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet r =
            s.executeQuery("SELECT count(*) FROM read_parquet('" + audit + "/**/*.parquet')")) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void aCompactionInterruptedBetweenItsRenamesIsRolledForwardAndVacuumLosesNothing()
      throws Exception {
    Path audit = tmp.resolve("audit");
    LogBuilder b = twoEpochs(audit);
    java.util.List<String> before = rows(audit);
    // the compacting process dies between the two renames
    try (CommitProbes.Installed p =
        CommitProbes.install(
            (step, phase, epoch) -> {
              if (step == CommitStep.GENERATION_RETIRED) {
                throw new IllegalStateException("the driver died here");
              }
            })) {
      assertThatThrownBy(
              () ->
                  Compactor.compact(
                      b.table(), new Configuration(), Phase.TRAIN, 0, 1 << 20, Duration.ZERO))
          .hasMessage("the driver died here");
    }
    Path retired = tmp.resolve("audit-staging/retired/train-e00000-g0");
    Path next = tmp.resolve("audit-staging/compact/phase=train/epoch=0");
    assertThat(audit.resolve("phase=train/epoch=0")).doesNotExist();
    assertThat(retired.resolve("_manifest.json")).exists();
    assertThat(next.resolve("_manifest.json")).exists();
    age(tmp.resolve("audit-staging"), Duration.ofDays(2));

    CliRunner.Result r = CliRunner.run("vacuum", audit.toString(), "--retention", "0s");

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains(
            "settled train epoch 0: an interrupted compaction was rolled forward (generation 1"
                + " live again, from file:"
                + next
                + ")");
    assertThat(rows(audit)).containsExactlyElementsOf(before);
    AuditLog log = AuditLog.open(audit.toString(), new Configuration());
    assertThat(log.commits()).extracting(EpochCommit::generation).containsExactly(1, 0);
    assertThat(io.batchaudit.read.Verifier.verify(log, null).fileProblems()).isEmpty();
    assertThat(duckDbRows(audit)).isEqualTo(16);
    // the old generation is superseded by the live one: vacuum removed it
    assertThat(r.out()).contains("removed file:" + retired + " (");
    assertThat(retired).doesNotExist();
  }

  @Test
  void anEpochLeftOnlyInRetiredIsRolledBackAndNeverDeleted() throws Exception {
    Path audit = tmp.resolve("audit");
    twoEpochs(audit);
    java.util.List<String> before = rows(audit);
    // exactly the state of a driver that died after compaction's first rename, its next
    // generation lost: the only copy of committed epoch 1 is in retired/
    Path retired = tmp.resolve("audit-staging/retired/train-e00001-g0");
    Files.createDirectories(retired.getParent());
    Files.move(audit.resolve("phase=train/epoch=1"), retired);
    age(tmp.resolve("audit-staging"), Duration.ofDays(2));

    CliRunner.Result r = CliRunner.run("vacuum", audit.toString(), "--retention", "0s");

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains(
            "settled train epoch 1: an interrupted compaction was rolled back (generation 0 live"
                + " again, from file:"
                + retired
                + ")")
        .doesNotContain("removed file:" + retired);
    assertThat(rows(audit)).containsExactlyElementsOf(before);
    assertThat(duckDbRows(audit)).isEqualTo(16);
    assertThat(CliRunner.run("vacuum", audit.toString(), "--retention", "0s").code()).isZero();
    assertThat(rows(audit)).containsExactlyElementsOf(before);
  }

  @Test
  void aRetiredGenerationThatNoLiveManifestSupersedesIsKeptHoweverOld() throws Exception {
    Path audit = tmp.resolve("audit");
    twoEpochs(audit);
    java.util.List<String> before = rows(audit);
    Path retired = tmp.resolve("audit-staging/retired/train-e00001-g0");
    Files.createDirectories(retired.getParent());
    Path live = audit.resolve("phase=train/epoch=1");
    Files.move(live, retired);
    Files.createDirectories(live); // something made the folder again, without a manifest
    age(tmp.resolve("audit-staging"), Duration.ofDays(2));
    age(live, Duration.ofDays(2));

    CliRunner.Result dry =
        CliRunner.run("vacuum", audit.toString(), "--retention", "0s", "--dry-run");
    assertThat(dry.code()).isZero();
    assertThat(dry.out())
        .contains(
            "kept (only copy of a committed epoch) file:"
                + retired
                + " (no later live generation of its epoch)")
        .contains("would remove file:" + live + " (");

    CliRunner.Result r = CliRunner.run("vacuum", audit.toString(), "--retention", "0s");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("removed file:" + live + " (")
        .contains("settled train epoch 1: an interrupted compaction was rolled back");
    assertThat(rows(audit)).containsExactlyElementsOf(before);
  }

  @Test
  void rejectsARetentionItCannotRead() {
    CliRunner.Result r = CliRunner.run("vacuum", tmp.toString(), "--retention", "a week");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "error: Invalid --retention 'a week': expected a whole number with s, m, h or d"
                + " (for example 24h)");
  }
}
