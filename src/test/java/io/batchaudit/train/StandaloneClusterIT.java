package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchaudit.cli.CliRunner;
import io.batchaudit.read.AuditLog;
import io.batchaudit.read.VerificationReport;
import io.batchaudit.read.Verifier;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.testing.CommittedState;
import io.batchaudit.testing.LocalCluster;
import io.batchaudit.testing.Processes;
import io.batchaudit.testing.TestRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real Spark standalone cluster on this machine (jobs/local-cluster: a master and two workers,
 * each a separate JVM, executors in JVMs of their own), jobs submitted with jobs/submit: task
 * failures, speculation, a killed executor, and the driver halted at every step of the commit
 * protocol; and {@code dynamics} of a log computed on the cluster. Every run trains with the
 * default approach, DL4J's Export: the minibatch files in {@code <out>/export} on this machine's
 * disk, which every executor reads, are what a retried, speculative or replacement attempt loads
 * again.
 */
class StandaloneClusterIT {
  private static final String DATA = "synthetic:rows=160,features=5,classes=3";
  private static String master;
  private static SparkSession spark;
  @TempDir static Path tmp;

  @BeforeAll
  static void startCluster() {
    master = LocalCluster.start(tmp);
  }

  @AfterAll
  static void stopCluster() {
    if (spark != null) {
      spark.stop();
    }
    LocalCluster.stop(tmp);
  }

  private static List<String> submit(Path out, List<String> sparkConf, String... settings)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "bash",
                "jobs/submit",
                "--master",
                master,
                "--app-jar",
                Processes.projectJar(),
                "--driver-java-options",
                Processes.TESTING));
    for (String c : sparkConf) {
      cmd.add("--conf");
      cmd.add(c);
    }
    cmd.addAll(
        List.of(
            "--out",
            out.toString(),
            "--set",
            "data=" + DATA,
            "--set",
            "workers=2",
            "--set",
            "batch-size=8",
            "--set",
            "averaging-frequency=2"));
    for (String s : settings) {
      cmd.add("--set");
      cmd.add(s);
    }
    return cmd;
  }

  /** Every committed epoch complete, each batch once, every target its source label. */
  private static AuditLog assertCompleteAndDuplicateFree(Path out, int epochs) {
    AuditLog log = AuditLog.open(out.resolve("audit").toString(), new Configuration());
    assertThat(log.commits())
        .extracting(EpochCommit::epoch)
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, epochs).boxed().toList());
    for (EpochCommit c : log.commits()) {
      assertThat(c.files())
          .extracting(f -> List.of(f.round(), f.partition()))
          .doesNotHaveDuplicates();
    }
    VerificationReport report = Verifier.verify(log, TestRuns.labels(DATA));
    assertThat(report.ok()).as(report.toString()).isTrue();
    return log;
  }

  /** The attempt numbers recorded in the rows of one (epoch, round, partition). */
  private static List<Integer> attempts(AuditLog log, int epoch, int round, int partition) {
    try (Stream<io.batchaudit.store.AuditBatch> batches = log.batches(epoch)) {
      return batches
          .filter(b -> b.key().round() == round && b.key().partition() == partition)
          .map(io.batchaudit.store.AuditBatch::attempt)
          .distinct()
          .toList();
    }
  }

  @Test
  void theGraphJobFileRunsOnTheClusterReadingCsvOnTheExecutors() throws Exception {
    Path out = tmp.resolve("graph-job");
    Processes.Result r =
        Processes.run(
            tmp.resolve("graph-job.log"),
            400,
            List.of(
                "bash",
                "jobs/submit",
                "--master",
                master,
                "--app-jar",
                Processes.projectJar(),
                "--train-conf",
                "jobs/graph.conf",
                "--out",
                out.toString(),
                "--set",
                "epochs=2"));
    assertThat(r.code()).as(r.output()).isZero();
    AuditLog log = AuditLog.open(out.resolve("audit").toString(), new Configuration());
    assertThat(log.committedEpochs(io.batchaudit.store.Phase.TRAIN)).containsExactly(0, 1);
    assertThat(log.committedEpochs(io.batchaudit.store.Phase.VALIDATION)).containsExactly(0, 1);
    io.batchaudit.cli.CliRunner.Result verify =
        io.batchaudit.cli.CliRunner.run("verify", out.resolve("audit").toString());
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
    // the default approach exported the minibatch files to <out>/export and deleted them at the end
    assertThat(
            io.batchaudit.store.Json.mapper()
                .readTree(out.resolve("summary.json").toFile())
                .get("config")
                .get("rdd-approach")
                .asText())
        .isEqualTo("export");
    assertThat(out.resolve("export")).doesNotExist();
  }

  private static Processes.Result speculationRun;

  /**
   * The job of the speculation test, run once in the class by whichever test needs it first (the
   * dynamics test reuses its log): one epoch in which a slow attempt gets a speculative copy.
   */
  private static synchronized Processes.Result speculationRun() throws IOException {
    if (speculationRun == null) {
      // injected: attempt 0 of partition 0 in epoch 0, round 1 sleeps 15 s before each minibatch
      speculationRun =
          Processes.run(
              tmp.resolve("speculation.log"),
              400,
              submit(
                  tmp.resolve("speculation"),
                  List.of(
                      "spark.speculation=true",
                      "spark.speculation.interval=200ms",
                      "spark.speculation.quantile=0.5",
                      "spark.speculation.multiplier=1.5",
                      "spark.speculation.minTaskRuntime=500ms",
                      "spark.speculation.efficiency.enabled=false"),
                  "epochs=1",
                  "testing.fault-injection=sleep:epoch=0,round=1,partition=0,attempt=0,millis=15000"));
    }
    return speculationRun;
  }

  @Test
  void aSlowAttemptAndItsSpeculativeCopyNeverDuplicateABatch() throws Exception {
    Path out = tmp.resolve("speculation");
    Processes.Result r = speculationRun();
    assertThat(r.code()).as(r.output()).isZero();
    AuditLog log = assertCompleteAndDuplicateFree(out, 1);
    // the speculative copy (attempt 1) was accepted; the slow original was not committed
    assertThat(attempts(log, 0, 1, 0)).containsExactly(1);
  }

  /**
   * {@code jobs/submit dynamics} of the speculation test's log runs on the cluster (a new
   * application whose executors the workers started) and writes the same table, row for row and
   * column for column, as {@code dynamics} with an embedded Spark in this JVM.
   */
  @Test
  void dynamicsSubmittedToTheClusterWritesTheTableOfTheEmbeddedDynamics() throws Exception {
    Processes.Result trained = speculationRun();
    assertThat(trained.code()).as(trained.output()).isZero();
    String audit = tmp.resolve("speculation/audit").toString();
    Path onCluster = tmp.resolve("dynamics-on-cluster");
    Path embedded = tmp.resolve("dynamics-embedded");
    List<String> appsBefore = clusterApps();

    Processes.Result r =
        Processes.run(
            tmp.resolve("dynamics-on-cluster.log"),
            300,
            List.of(
                "bash",
                "jobs/submit",
                "dynamics",
                "--master",
                master,
                "--app-jar",
                Processes.projectJar(),
                audit,
                "--out",
                onCluster.toString()));
    assertThat(r.code()).as(r.output()).isZero();
    List<String> newApps = new ArrayList<>(clusterApps());
    newApps.removeAll(appsBefore);
    assertThat(newApps).as("applications whose executors the workers started").hasSize(1);

    spark(); // the embedded dynamics below uses this JVM's session
    CliRunner.Result local = CliRunner.run("dynamics", audit, "--out", embedded.toString());
    assertThat(local.code()).as(local.out() + local.err()).isZero();

    List<List<Object>> expected = sortedRows(embedded);
    assertThat(expected).hasSize(160); // one row per source example of DATA
    assertThat(spark().read().parquet(onCluster.toString()).columns())
        .contains("confidence", "aum", "mislabel_rank"); // the classification table
    assertThat(sortedRows(onCluster)).containsExactlyElementsOf(expected);
  }

  /** The table in {@code dir}, every row's values in column order, sorted by sample id. */
  private static List<List<Object>> sortedRows(Path dir) {
    List<List<Object>> rows = new ArrayList<>();
    for (org.apache.spark.sql.Row r : spark().read().parquet(dir.toString()).collectAsList()) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        values.add(r.get(i));
      }
      rows.add(values);
    }
    rows.sort(java.util.Comparator.comparingLong(v -> (Long) v.get(0)));
    return rows;
  }

  /** The applications that ran executors on the workers: their folders in the work dirs. */
  private static List<String> clusterApps() throws IOException {
    List<String> apps = new ArrayList<>();
    try (Stream<Path> workers = Files.list(Path.of("target/local-cluster"))) {
      for (Path w : workers.filter(p -> p.getFileName().toString().startsWith("work-")).toList()) {
        try (Stream<Path> dirs = Files.list(w)) {
          dirs.map(d -> d.getFileName().toString())
              .filter(n -> n.startsWith("app-") && !apps.contains(n))
              .forEach(apps::add);
        }
      }
    }
    return apps;
  }

  @Test
  void anExecutorKilledMidEpochIsReplacedAndEveryCommittedEpochIsComplete() throws Exception {
    Path out = tmp.resolve("executor-kill");
    Path tasks = out.resolve("audit-staging/tasks");
    // injected: attempt 0 of partition 0 in epoch 1, round 1 hangs before its first minibatch,
    // with its staged file open; the test kills the executor JVM that holds it
    Processes.Running job =
        Processes.start(
            tmp.resolve("executor-kill.log"),
            submit(
                out,
                List.of(),
                "epochs=3",
                "testing.fault-injection=sleep:epoch=1,round=1,partition=0,attempt=0,millis=600000"));
    Path[] staged = new Path[1];
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              staged[0] =
                  find(tasks, "train-e00001-r000001-p00000-t", "-a0.parquet.staged").orElse(null);
              return staged[0] != null;
            });
    ProcessHandle executor =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> holder(staged[0]), Optional::isPresent)
            .orElseThrow();
    assertThat(executor.info().commandLine().orElse("")).contains("CoarseGrainedExecutorBackend");
    executor.destroyForcibly(); // SIGKILL

    Processes.Result r = job.await(400);
    assertThat(r.code()).as(r.output()).isZero();
    AuditLog log = assertCompleteAndDuplicateFree(out, 3);
    assertThat(attempts(log, 1, 1, 0)).singleElement().isNotEqualTo(0);
    // the killed attempt's truncated file was never committed, and is gone from staging
    assertThat(staged[0]).doesNotExist();
  }

  /** A local Spark session in the test JVM: the independent Spark SQL reader. */
  private static SparkSession spark() {
    if (spark == null) {
      spark =
          SparkSession.builder()
              .master("local[1]")
              .appName("StandaloneClusterIT-reader")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .getOrCreate();
    }
    return spark;
  }

  /**
   * The driver halted (exit 99, a real JVM halt) at one step of an epoch's commit or of its
   * compaction. Every reader then sees exactly the committed epochs, each row once: the project's
   * reader, DuckDB and Spark SQL, after whatever opens the log first settled an interrupted swap;
   * and {@code vacuum --retention 0s} loses nothing of it.
   */
  @ParameterizedTest(name = "halt at {0} of epoch {1}")
  @CsvSource({
    "commit-moving, 1, 1",
    "commit-assembled, 1, 1",
    "commit-published, 1, 2",
    "compact-written, 2, 3",
    "compact-retired, 2, 3",
    "compact-swapped, 2, 3"
  })
  void aDriverHaltedAtAnyStepOfTheCommitLosesNothingCommittedAndNoReaderSeesARowTwice(
      String step, int epoch, int committedEpochs) throws Exception {
    Path out = tmp.resolve("halt-" + step);
    Path audit = out.resolve("audit");
    Path staging = out.resolve("audit-staging");
    Processes.Result r =
        Processes.run(
            tmp.resolve("halt-" + step + ".log"),
            400,
            submit(
                out,
                List.of(),
                "epochs=3",
                "testing.fault-injection=halt:at=" + step + ",epoch=" + epoch));
    assertThat(r.code()).as(r.output()).isEqualTo(99);
    assertThat(r.output())
        .contains("injected fault: driver halts at " + step + " of train epoch " + epoch);
    assertThat(out.resolve("summary.json")).doesNotExist();

    // the fault fired where planned: what the dead driver left, before anything opens the log
    Path live = audit.resolve("phase=train/epoch=" + epoch);
    Path assembly = staging.resolve("commit/phase=train/epoch=" + epoch);
    Path next = staging.resolve("compact/phase=train/epoch=" + epoch);
    Path retired = staging.resolve("retired/train-e0000" + epoch + "-g0");
    long plainRowsInTheWindow = -1;
    switch (step) {
      case "commit-moving" -> {
        assertThat(live).doesNotExist();
        assertThat(assembly.resolve("_manifest.json")).doesNotExist();
        assertThat(parquetFiles(assembly)).isNotEmpty();
      }
      case "commit-assembled" -> {
        assertThat(live).doesNotExist();
        assertThat(assembly.resolve("_manifest.json")).exists();
      }
      case "commit-published" -> {
        assertThat(live.resolve("_manifest.json")).exists();
        assertThat(find(staging.resolve("tasks"), "train-e0000" + epoch + "-", ".marker.json"))
            .isPresent();
      }
      case "compact-written" -> {
        assertThat(next.resolve("_manifest.json")).exists();
        assertThat(Files.readString(live.resolve("_manifest.json")))
            .containsPattern("\"generation\"\\s*:\\s*0,");
      }
      case "compact-retired" -> {
        assertThat(live).doesNotExist();
        assertThat(retired.resolve("_manifest.json")).exists();
        plainRowsInTheWindow = CommittedState.duckDbRows(audit);
      }
      case "compact-swapped" -> {
        assertThat(Files.readString(live.resolve("_manifest.json")))
            .containsPattern("\"generation\"\\s*:\\s*1,");
        assertThat(retired.resolve("_manifest.json")).exists();
      }
      default -> throw new AssertionError(step);
    }

    CliRunner.Result verify = CliRunner.run("verify", audit.toString());
    assertThat(verify.code())
        .as(verify.out() + verify.err())
        .isEqualTo(committedEpochs == 3 ? 0 : 1);
    CommittedState before = CommittedState.of(audit, spark());
    assertThat(before.epochs())
        .containsExactlyElementsOf(
            java.util.stream.IntStream.range(0, committedEpochs)
                .mapToObj(e -> "train " + e)
                .toList());
    assertThat(before.batches()).doesNotHaveDuplicates();
    assertThat(before.duckDbRows()).isEqualTo(before.rows());
    assertThat(before.sparkRows()).isEqualTo(before.rows());
    if (plainRowsInTheWindow >= 0) {
      // plain readers missed the epoch until the first command opened the log and settled it
      assertThat(plainRowsInTheWindow).isLessThan(before.rows());
    }

    CliRunner.Result vacuum = CliRunner.run("vacuum", audit.toString(), "--retention", "0s");
    assertThat(vacuum.code()).as(vacuum.out() + vacuum.err()).isZero();
    CommittedState after = CommittedState.of(audit, spark());
    assertThat(after).isEqualTo(before);
    assertThat(CliRunner.run("verify", audit.toString()).code())
        .isEqualTo(committedEpochs == 3 ? 0 : 1);
    assertThat(staging.resolve("commit/phase=train")).isEmptyDirectory();
  }

  private static List<Path> parquetFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".parquet")).toList();
    }
  }

  private static Optional<Path> find(Path dir, String prefix, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(
              p ->
                  p.getFileName().toString().startsWith(prefix)
                      && p.getFileName().toString().endsWith(suffix))
          .findFirst();
    }
  }

  /** The executor JVM that has {@code file} open, from /proc. */
  private static Optional<ProcessHandle> holder(Path file) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
        .filter(p -> holds(p.pid(), file))
        .findFirst();
  }

  private static boolean holds(long pid, Path file) {
    try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
      return fds.anyMatch(
          fd -> {
            try {
              return Files.readSymbolicLink(fd).equals(file.toAbsolutePath());
            } catch (IOException e) {
              return false;
            }
          });
    } catch (IOException e) {
      return false;
    }
  }
}
