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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;
import org.awaitility.Awaitility;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Task failures injected into real training on local[2,4] (2 threads, up to 4 attempts per task):
 * the log must equal that of a fault-free run with the same seed, batch key for batch key, with the
 * rows of the attempt Spark accepted. Every run here trains with {@link #approach()}: DL4J's Direct
 * approach; {@link ExportFaultToleranceTest} runs every case again with Export.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultToleranceTest {
  static final String DATA = "data=synthetic:rows=150,features=5,classes=3";
  private static JavaSparkContext sc;
  private static List<String> cleanLog;
  static RunSummary clean;
  // the approach of the class whose tests run (classes run one after the other)
  private static String approach;

  @TempDir static Path tmp;

  /** DL4J's training approach of every run of this class ({@code rdd-approach}). */
  String approach() {
    return "direct";
  }

  @BeforeAll
  void trainFaultFree() {
    approach = approach();
    // task attempt ids restart with every Spark context
    StagedFileProbe.SEEN.clear();
    sc = SparkTests.localContext("faults", "local[2,4]");
    clean = train("clean");
    cleanLog = describe(read(clean));
  }

  @AfterAll
  void stopSpark() {
    sc.stop();
  }

  private static RunSummary train(String name, String... extra) {
    return train(name, List.of(), extra);
  }

  private static RunSummary train(String name, List<TrainingHook> hooks, String... extra) {
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
                "audit.compaction=false",
                "rdd-approach=" + approach));
    settings.addAll(List.of(extra));
    return TestRuns.train(sc, tmp.resolve(name), hooks, settings.toArray(String[]::new));
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

  /** The names of the files of task attempt {@code taskAttemptId} in a staging folder. */
  private static List<String> filesOf(Path tasks, long taskAttemptId) {
    if (!Files.isDirectory(tasks)) {
      return List.of();
    }
    // AuditLayout.stagedFile names a staged file ...-t<task attempt id>-a<attempt>.parquet.staged
    // and its marker ...-t<task attempt id>-a<attempt>.marker.json
    String tag = "-t" + taskAttemptId + "-a";
    try (Stream<Path> files = Files.list(tasks)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.contains(tag))
          .sorted()
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Path tasksOf(String run) {
    return tmp.resolve(run).resolve("audit-staging/tasks");
  }

  /**
   * Driver-side witness of failed task attempts: when Spark reports that an attempt failed ({@code
   * onTaskEnd} on the driver's listener bus), it lists that attempt's files in the run's staging
   * folder and the epoch folders committed by then. Registered on the test's Spark context for one
   * run.
   */
  private static final class FailedAttempts extends SparkListener implements AutoCloseable {
    record Failed(
        long taskAttemptId,
        int attempt,
        int partition,
        List<String> files,
        List<String> committed) {}

    private final Path run;
    private final List<Failed> failed = new CopyOnWriteArrayList<>();

    FailedAttempts(String run) {
      this.run = tmp.resolve(run);
      sc.sc().addSparkListener(this);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      TaskInfo info = end.taskInfo();
      if (info.failed()) {
        failed.add(
            new Failed(
                info.taskId(),
                info.attemptNumber(),
                info.index(),
                filesOf(run.resolve("audit-staging/tasks"), info.taskId()),
                committedEpochs()));
      }
    }

    /** Epoch folders under the audit folder, as "phase=P/epoch=E". */
    private List<String> committedEpochs() {
      Path audit = run.resolve("audit");
      try (Stream<Path> all = Files.walk(audit, 2)) {
        return all.filter(p -> p.getFileName().toString().startsWith("epoch="))
            .map(p -> audit.relativize(p).toString())
            .sorted()
            .toList();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    /** The failed attempts, once the listener bus delivered {@code count} of them. */
    List<Failed> await(int count) {
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> failed.size() >= count);
      return List.copyOf(failed);
    }

    @Override
    public void close() {
      sc.sc().removeSparkListener(this);
    }
  }

  /**
   * Worker hook, run before the recorder on every minibatch: notes which files of its own task
   * attempt the staging folder holds at that moment (local mode: executors share the test's JVM).
   */
  private static final class StagedFileProbe implements TrainingHook {
    private static final long serialVersionUID = 1L;
    static final Map<Long, Set<String>> SEEN = new ConcurrentHashMap<>();
    private final String tasks;

    StagedFileProbe(Path tasks) {
      this.tasks = tasks.toString();
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
      long id = TaskContext.get().taskAttemptId();
      SEEN.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet())
          .addAll(filesOf(Path.of(tasks), id));
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {}

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {}

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {}
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
    RunSummary run;
    List<FailedAttempts.Failed> failed;
    try (FailedAttempts watcher = new FailedAttempts("throw-mid-round")) {
      run =
          train(
              "throw-mid-round",
              List.of(new StagedFileProbe(tasksOf("throw-mid-round"))),
              "testing.fault-injection=throw:epoch=0,round=1,partition=1,batch=1,attempt=0");
      failed = watcher.await(1);
    }
    // the fault fired: exactly that attempt failed
    assertThat(failed).hasSize(1);
    FailedAttempts.Failed f = failed.get(0);
    assertThat(List.of(f.partition(), f.attempt())).containsExactly(1, 0);
    // it had written its staged file (seen before its second minibatch) ...
    assertThat(StagedFileProbe.SEEN.get(f.taskAttemptId()))
        .containsExactly(
            "train-e00000-r000001-p00001-t" + f.taskAttemptId() + "-a0.parquet.staged");
    // ... and had deleted it, writing no marker, by the time Spark reported its failure, before
    // any epoch was committed
    assertThat(f.files()).isEmpty();
    assertThat(f.committed()).isEmpty();
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
    RunSummary run;
    List<FailedAttempts.Failed> failed;
    try (FailedAttempts watcher = new FailedAttempts("validation-faults")) {
      run =
          train(
              "validation-faults",
              "testing.fault-injection=throw:phase=validation,epoch=0,partition=1,batch=1,"
                  + "attempt=0;throw-after-seal:phase=validation,epoch=1,partition=0,attempt=0");
      failed = watcher.await(2);
    }
    // both faults fired, in this order; when Spark reported each failure, that epoch's validation
    // was not committed yet: the attempt that failed mid-partition had deleted its file and
    // written no marker, the one that failed after sealing left both for the driver to ignore
    assertThat(failed).hasSize(2);
    FailedAttempts.Failed mid = failed.get(0);
    assertThat(List.of(mid.partition(), mid.attempt())).containsExactly(1, 0);
    assertThat(mid.files()).isEmpty();
    assertThat(mid.committed()).containsExactly("phase=train/epoch=0");
    FailedAttempts.Failed sealed = failed.get(1);
    assertThat(List.of(sealed.partition(), sealed.attempt())).containsExactly(0, 0);
    String name = "validation-e00001-r000000-p00000-t" + sealed.taskAttemptId() + "-a0";
    assertThat(sealed.files()).containsExactly(name + ".marker.json", name + ".parquet.staged");
    assertThat(sealed.committed())
        .containsExactly("phase=train/epoch=0", "phase=train/epoch=1", "phase=validation/epoch=0");
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
    RunSummary run;
    List<FailedAttempts.Failed> failed;
    try (FailedAttempts watcher = new FailedAttempts("throw-after-seal")) {
      run =
          train(
              "throw-after-seal",
              "testing.fault-injection=throw-after-seal:epoch=0,round=0,partition=0,attempt=0");
      failed = watcher.await(1);
    }
    // the fault fired after the seal: when Spark reported the failure, the sealed file and its
    // marker were in staging (nothing deletes a file its attempt sealed; the driver does not
    // commit it, see below)
    assertThat(failed).hasSize(1);
    FailedAttempts.Failed failure = failed.get(0);
    assertThat(List.of(failure.partition(), failure.attempt())).containsExactly(0, 0);
    String name = "train-e00000-r000000-p00000-t" + failure.taskAttemptId() + "-a0";
    assertThat(failure.files()).containsExactly(name + ".marker.json", name + ".parquet.staged");
    assertThat(failure.committed()).isEmpty();
    AuditLog log = read(run);
    assertThat(log.commits())
        .flatExtracting(EpochCommit::files)
        .extracting(CommittedFile::taskAttemptId)
        .doesNotContain(failure.taskAttemptId());

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
