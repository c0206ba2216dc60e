package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.read.AuditLog;
import io.batchaudit.read.Verifier;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.CommittedFile;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.testing.SparkTests;
import io.batchaudit.testing.TestRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task failures injected into real training on local[2,4] (2 threads, up to 4 attempts per task):
 * the log must equal that of a fault-free run with the same seed, batch key for batch key, with the
 * rows of the attempt Spark accepted.
 */
class FaultToleranceTest {
  private static final String DATA = "data=synthetic:rows=150,features=5,classes=3";
  private static JavaSparkContext sc;
  private static List<String> cleanLog;

  @TempDir static Path tmp;

  @BeforeAll
  static void trainFaultFree() {
    sc = SparkTests.localContext("faults", "local[2,4]");
    cleanLog = describe(read(train("clean")));
  }

  @AfterAll
  static void stopSpark() {
    sc.stop();
  }

  private static RunSummary train(String name, String... extra) {
    // compaction off: these tests look at the files each attempt committed
    List<String> settings =
        new ArrayList<>(
            List.of(
                DATA,
                "epochs=2",
                "workers=2",
                "batch-size=8",
                "averaging-frequency=2",
                "seed=7",
                "validation-data=synthetic:rows=40,features=5,classes=3,seed=3",
                "audit.compaction=false"));
    settings.addAll(List.of(extra));
    return TestRuns.train(sc, tmp.resolve(name), settings.toArray(String[]::new));
  }

  private static AuditLog read(RunSummary run) {
    return AuditLog.open(run.audit(), new Configuration());
  }

  /** Everything of a log but the attempt ids: keys, sample ids, targets, predictions, score. */
  private static List<String> describe(AuditLog log) {
    try (Stream<AuditBatch> batches = log.batches()) {
      return batches
          .map(
              b ->
                  b.key()
                      + " step "
                      + b.step()
                      + " ids "
                      + Arrays.toString(b.sampleIds())
                      + " targets "
                      + Arrays.toString(b.targets().values())
                      + " predictions "
                      + Arrays.toString(b.predictions().values())
                      + " score "
                      + b.batchScore())
          .toList();
    }
  }

  private static List<AuditBatch> batches(AuditLog log) {
    try (Stream<AuditBatch> batches = log.batches()) {
      return batches.toList();
    }
  }

  private static void assertStagingEmpty(RunSummary run) throws Exception {
    Path tasks = Path.of(java.net.URI.create(run.audit())).resolveSibling("audit-staging/tasks");
    try (Stream<Path> left = Files.list(tasks)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aTaskThatFailsInTheMiddleOfARoundIsRetriedAndTheLogEqualsAFaultFreeRun() throws Exception {
    // injected: attempt 0 of partition 1 throws before its second minibatch of epoch 0, round 1
    RunSummary run =
        train(
            "throw-mid-round",
            "testing.fault-injection=throw:epoch=0,round=1,partition=1,batch=1,attempt=0");
    AuditLog log = read(run);

    assertThat(describe(log)).containsExactlyElementsOf(cleanLog);
    for (AuditBatch b : batches(log)) {
      boolean retried = b.key().epoch() == 0 && b.key().round() == 1 && b.key().partition() == 1;
      assertThat(b.attempt()).as("attempt of %s", b.key()).isEqualTo(retried ? 1 : 0);
    }
    assertThat(Verifier.verify(log, TestRuns.labels(DATA.substring(5))).ok()).isTrue();
    assertStagingEmpty(run);
  }

  @Test
  void validationTasksThatFailMidPartitionOrAfterSealingAreCommittedExactlyOnce() throws Exception {
    // injected: validation of epoch 0, partition 1: attempt 0 throws before its second batch;
    // validation of epoch 1, partition 0: attempt 0 throws after sealing its file
    RunSummary run =
        train(
            "validation-faults",
            "testing.fault-injection=throw:phase=validation,epoch=0,partition=1,batch=1,attempt=0;"
                + "throw-after-seal:phase=validation,epoch=1,partition=0,attempt=0");
    AuditLog log = read(run);

    assertThat(describe(log)).containsExactlyElementsOf(cleanLog);
    for (AuditBatch b : batches(log)) {
      boolean retried =
          b.key().phase() == io.batchaudit.store.Phase.VALIDATION
              && (b.key().epoch() == 0 && b.key().partition() == 1
                  || b.key().epoch() == 1 && b.key().partition() == 0);
      assertThat(b.attempt()).as("attempt of %s", b.key()).isEqualTo(retried ? 1 : 0);
    }
    for (EpochCommit c : log.commits()) {
      if (c.phase() == io.batchaudit.store.Phase.VALIDATION) {
        assertThat(c.files()).extracting(CommittedFile::partition).containsExactly(0, 1);
      }
    }
    assertThat(
            Verifier.verify(
                    log,
                    TestRuns.labels(DATA.substring(5)),
                    TestRuns.labels("synthetic:rows=40,features=5,classes=3,seed=3"))
                .ok())
        .isTrue();
    assertStagingEmpty(run);
  }

  @Test
  void anAttemptThatFailsAfterWritingItsMarkerIsNeverCommitted() throws Exception {
    // injected: attempt 0 of partition 0 in epoch 0, round 0 throws after sealing its file
    RunSummary run =
        train(
            "throw-after-seal",
            "testing.fault-injection=throw-after-seal:epoch=0,round=0,partition=0,attempt=0");
    AuditLog log = read(run);

    assertThat(describe(log)).containsExactlyElementsOf(cleanLog);
    for (EpochCommit c : log.commits()) {
      List<List<Integer>> keys =
          c.files().stream().map(f -> List.of(f.round(), f.partition())).toList();
      assertThat(keys).doesNotHaveDuplicates();
    }
    CommittedFile first = log.commits().get(0).files().get(0);
    assertThat(List.of(first.round(), first.partition(), first.attempt())).containsExactly(0, 0, 1);
    assertThat(Verifier.verify(log, TestRuns.labels(DATA.substring(5))).ok()).isTrue();
    assertStagingEmpty(run);
  }

  @Test
  void manifestsRecordDataFingerprintRoundStartsAndFileChecksums() {
    AuditLog log = read(train("provenance-a"));
    AuditLog again = read(train("provenance-b"));
    assertThat(log.run().dataFingerprint())
        .matches("[0-9a-f]{64}")
        .isEqualTo(again.run().dataFingerprint());
    EpochCommit c = trainCommit(log, 1);
    assertThat(c.rounds())
        .hasSize(c.roundCount())
        .allSatisfy(r -> assertThat(r.paramsSha256()).matches("[0-9a-f]{64}"));
    // same seed, same data: the same parameters at the start of every round
    assertThat(c.rounds()).isEqualTo(trainCommit(again, 1).rounds());
    assertThat(c.files()).allSatisfy(f -> assertThat(f.sha256()).matches("[0-9a-f]{64}"));
    assertThat(c.rounds().get(0).paramsSha256()).isNotEqualTo(c.rounds().get(1).paramsSha256());
    // and the validation data is fingerprinted like the training data
    assertThat(log.run().validationFingerprint())
        .matches("[0-9a-f]{64}")
        .isEqualTo(again.run().validationFingerprint());
  }

  private static EpochCommit trainCommit(AuditLog log, int epoch) {
    return log.commits().stream()
        .filter(c -> c.epoch() == epoch && c.phase() == io.batchaudit.store.Phase.TRAIN)
        .findFirst()
        .orElseThrow();
  }
}
