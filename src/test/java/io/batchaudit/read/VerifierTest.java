package io.batchaudit.read;

import static io.batchaudit.testing.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.testing.LogBuilder;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
}
