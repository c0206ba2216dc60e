package io.batchaudit.store.table;

import static io.batchaudit.testing.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.read.AuditLog;
import io.batchaudit.read.Verifier;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionTest {
  private static final String RUN = LogBuilder.RUN_ID;
  private final Configuration conf = new Configuration();
  @TempDir Path tmp;

  /** Two epochs of 3 rounds x 2 partitions x 2 batches of 3 rows, ids unique per epoch. */
  private LogBuilder twoEpochs(Path root) {
    LogBuilder b = new LogBuilder(root, 2);
    for (int epoch = 0; epoch < 2; epoch++) {
      for (int round = 0; round < 3; round++) {
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
      b.commit(epoch, 3);
    }
    return b;
  }

  private static List<String> describe(AuditLog log) {
    try (Stream<io.batchaudit.store.AuditBatch> s = log.batches()) {
      return s.map(
              b ->
                  b.key()
                      + " "
                      + b.attempt()
                      + " "
                      + b.taskAttemptId()
                      + " "
                      + b.step()
                      + " "
                      + Arrays.toString(b.sampleIds())
                      + " "
                      + Arrays.toString(b.targets().values())
                      + " "
                      + Arrays.toString(b.predictions().values())
                      + " "
                      + b.batchScore())
          .toList();
    }
  }

  private Compactor.Result compact(LogBuilder b, int epoch, long bytes, Duration grace) {
    return Compactor.compact(b.table(), conf, Phase.TRAIN, epoch, bytes, grace);
  }

  /** Compacts while {@code between} runs at the instant between the swap's two renames. */
  private Compactor.Result compact(
      LogBuilder b, int epoch, long bytes, Duration grace, Runnable between) {
    try (CommitProbes.Installed p =
        CommitProbes.install(
            (step, phase, e) -> {
              if (step == CommitStep.GENERATION_RETIRED) {
                between.run();
              }
            })) {
      return compact(b, epoch, bytes, grace);
    }
  }

  private static long duckDbRows(Path audit, String where) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT count(*) FROM read_parquet('"
                    + audit
                    + "/**/*.parquet', hive_partitioning = true) WHERE "
                    + where)) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void compactionRewritesAnEpochIntoFilesInTrainingOrderWithIdenticalRows() throws Exception {
    Path audit = tmp.resolve("audit");
    LogBuilder b = twoEpochs(audit);
    List<String> before = describe(AuditLog.open(audit.toString(), conf));

    Compactor.Result r = compact(b, 0, 1500, Duration.ofMinutes(10));

    assertThat(r.compacted()).isTrue();
    EpochCommit after = r.after();
    assertThat(after.generation()).isEqualTo(1);
    assertThat(after.sorted()).isTrue();
    assertThat(after.rows()).isEqualTo(36);
    assertThat(after.files()).hasSizeBetween(2, 11);
    for (int i = 1; i < after.files().size(); i++) {
      assertThat(after.files().get(i).round())
          .isGreaterThanOrEqualTo(after.files().get(i - 1).lastRound());
    }
    assertThat(after.rounds()).isEqualTo(r.before().rounds());
    AuditLog log = AuditLog.open(audit.toString(), conf);
    assertThat(describe(log)).containsExactlyElementsOf(before);
    assertThat(log.commits().get(0).generation()).isEqualTo(1);
    assertThat(log.round(0, 1))
        .extracting(x -> x.key().toString())
        .containsExactly(
            "(train epoch 0, round 1, batch 0, partition 0)",
                "(train epoch 0, round 1, batch 0, partition 1)",
            "(train epoch 0, round 1, batch 1, partition 0)",
                "(train epoch 0, round 1, batch 1, partition 1)");
    assertThat(Verifier.verify(log, null).fileProblems()).isEmpty();
    // plain readers see the new files only: every row once
    assertThat(duckDbRows(audit, "epoch = 0")).isEqualTo(36);
    // a compacted epoch is not compacted again
    assertThat(compact(b, 0, 1500, Duration.ofMinutes(10)).compacted()).isFalse();
  }

  @Test
  void aReaderThatListedTheEpochsBeforeTheSwapKeepsReadingTheOldGeneration() throws Exception {
    Path audit = tmp.resolve("audit");
    LogBuilder b = twoEpochs(audit);
    AuditLog listedBefore = AuditLog.open(audit.toString(), conf);
    List<String> rows = describe(listedBefore);
    List<Object> during = new ArrayList<>();

    compact(
        b,
        1,
        1 << 20,
        Duration.ofMinutes(10),
        () -> {
          // between the two renames: the epoch folder is gone from the table
          try {
            during.add(duckDbRows(audit, "true"));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          during.add(describe(listedBefore));
        });

    assertThat(during.get(0)).isEqualTo(36L); // plain readers: epoch 1 absent for one rename
    // a reader that listed the old generation reads it from the retired folder, during the swap
    // and after it
    assertThat(during.get(1)).isEqualTo(rows);
    assertThat(describe(listedBefore)).containsExactlyElementsOf(rows);
    assertThat(listedBefore.commits().get(1).generation()).isZero();
    AuditLog after = AuditLog.open(audit.toString(), conf);
    assertThat(after.commits().get(1).generation()).isEqualTo(1);
    assertThat(describe(after)).containsExactlyElementsOf(rows);
  }

  @Test
  void aReaderOpeningTheLogBetweenTheRenamesFinishesTheSwapAndTheCompactionTakesItAsItsOwn()
      throws Exception {
    Path audit = tmp.resolve("audit");
    LogBuilder b = twoEpochs(audit);
    List<String> rows = describe(AuditLog.open(audit.toString(), conf));
    List<Object> during = new ArrayList<>();

    Compactor.Result r =
        compact(
            b,
            1,
            1 << 20,
            Duration.ofMinutes(10),
            () -> {
              assertThat(audit.resolve("phase=train/epoch=1")).doesNotExist();
              AuditLog opened = AuditLog.open(audit.toString(), conf); // settles forward
              during.add(opened.commits().get(1).generation());
              during.add(describe(opened));
              try {
                during.add(duckDbRows(audit, "true"));
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });

    assertThat(during.get(0)).isEqualTo(1); // the new generation, complete
    assertThat(during.get(1)).isEqualTo(rows);
    assertThat(during.get(2)).isEqualTo(72L); // and plain readers see every row once again
    assertThat(r.compacted()).isTrue();
    assertThat(r.after().generation()).isEqualTo(1);
    AuditLog log = AuditLog.open(audit.toString(), conf);
    assertThat(describe(log)).containsExactlyElementsOf(rows);
    assertThat(Verifier.verify(log, null).fileProblems()).isEmpty();
    assertThat(tmp.resolve("audit-staging/compact/phase=train/epoch=1")).doesNotExist();
  }

  @Test
  void aSwapBetweenTheReadersTwoListingsLeavesTheEpochInTheFirst() throws Exception {
    Path audit = tmp.resolve("audit");
    LogBuilder b = twoEpochs(audit);
    List<String> rows = describe(AuditLog.open(audit.toString(), conf));
    Path live = audit.resolve("phase=train/epoch=1");
    Path retired = tmp.resolve("audit-staging/retired/train-e00001-g0");
    Files.createDirectories(retired.getParent());
    boolean[] renamed = {false};
    AuditLog log;
    // the compaction's first rename happens after the reader listed the epoch folders and before
    // it lists the retired generations
    try (CommitProbes.Installed p =
        CommitProbes.install(
            (step, phase, epoch) -> {
              if (step == CommitStep.EPOCHS_LISTED && !renamed[0]) {
                try {
                  Files.move(live, retired);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
                renamed[0] = true;
              }
            })) {
      log = AuditLog.open(audit.toString(), conf);
    }
    assertThat(renamed[0]).isTrue();
    assertThat(live).doesNotExist();
    assertThat(log.commits()).extracting(EpochCommit::epoch).containsExactly(0, 1);
    assertThat(describe(log)).containsExactlyElementsOf(rows); // epoch 1 read from retired/
  }

  @Test
  void retiredGenerationsAreDeletedAfterTheirGracePeriod() {
    Path audit = tmp.resolve("audit");
    LogBuilder b = twoEpochs(audit);
    Path retired = tmp.resolve("audit-staging/retired");
    compact(b, 0, 1 << 20, Duration.ofMinutes(10));
    assertThat(retired.resolve("train-e00000-g0")).isDirectory();
    compact(b, 1, 1 << 20, Duration.ZERO);
    assertThat(retired.resolve("train-e00000-g0")).doesNotExist();
    assertThat(retired.resolve("train-e00001-g0")).isDirectory();
  }
}
