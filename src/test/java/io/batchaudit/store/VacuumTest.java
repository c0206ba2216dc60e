package io.batchaudit.store;

import static io.batchaudit.testing.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.cli.CliRunner;
import io.batchaudit.read.AuditLog;
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
