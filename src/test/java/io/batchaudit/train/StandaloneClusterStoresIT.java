package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchaudit.read.AuditLog;
import io.batchaudit.read.VerificationReport;
import io.batchaudit.read.Verifier;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.CommittedFile;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.hadoop.HadoopSettings;
import io.batchaudit.store.table.CommitProtocol;
import io.batchaudit.testing.LocalCluster;
import io.batchaudit.testing.Processes;
import io.batchaudit.testing.StoreServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's standalone cluster (jobs/local-cluster: a master, two workers, executors in JVMs of
 * their own) writing its audit log to HDFS (jobs/hdfs) and to S3 (jobs/s3), the store's settings
 * reaching the driver through {@code HADOOP_CONF_DIR} and the executors through the driver's {@code
 * spark.hadoop.*} properties: the Iris job, and the CSV job reading its input from the store while
 * the executor running one attempt is killed with SIGKILL as that attempt has its file open. After
 * each: every epoch committed and complete, each batch once, targets equal to the source, and Spark
 * SQL reading exactly the project reader's rows.
 *
 * <p>Every run trains with DL4J's Direct approach ({@code rdd-approach=direct}, not the default):
 * what is proven here is the commit protocol on each store, as it was before Export became the
 * default; Export's minibatch files on each store are {@code ExportStoreIT}'s, and Export on the
 * cluster is {@code StandaloneClusterIT}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneClusterStoresIT {
  @TempDir static Path tmp;
  private String master;
  private final List<StoreServer> servers = new ArrayList<>();
  private SparkSession spark;

  @BeforeAll
  void startTheClusterAndBothStores() {
    master = LocalCluster.start(tmp);
    servers.add(StoreServer.startHdfs(tmp));
    servers.add(StoreServer.startS3(tmp));
  }

  @AfterAll
  void stopEverything() {
    if (spark != null) {
      spark.stop();
    }
    for (StoreServer s : servers) {
      s.stop(tmp);
    }
    LocalCluster.stop(tmp);
  }

  private List<String> submit(String conf, String out, String... settings) throws IOException {
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
                Processes.TESTING,
                "--train-conf",
                conf,
                "--out",
                out,
                "--set",
                "rdd-approach=direct"));
    for (String s : settings) {
      cmd.add("--set");
      cmd.add(s);
    }
    return cmd;
  }

  private static Map<String, String> env(StoreServer s) {
    return Map.of(HadoopSettings.CONF_DIR, s.confDir().toString());
  }

  /** Every executor JVM of the cluster. */
  private static List<ProcessHandle> executors() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
        .toList();
  }

  /** Whether process {@code pid} has a file open whose path contains {@code part}. */
  private static boolean holdsFileNamed(long pid, String part) {
    try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
      return fds.anyMatch(
          fd -> {
            try {
              return Files.readSymbolicLink(fd).toString().contains(part);
            } catch (IOException e) {
              return false;
            }
          });
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The executor JVM running the attempt the fault holds (epoch 1, round 1, partition 0, attempt
   * 0), once that attempt has its file open on the store: the one executor whose threads sleep in
   * the fault ({@code jstack}), and whose file is open: on HDFS (rename form) the attempt's staged
   * file exists in the namespace, being written; on S3 an object appears only when its stream
   * closes, so the open file is S3A's local upload buffer ({@code s3ablock-*}) held by that JVM.
   * Only that executor is killed: killing all of them would lose every shuffle output, and the
   * stage's next attempt would start the held task's attempts at 0 again.
   */
  private Optional<ProcessHandle> holderOfTheHeldAttempt(StoreServer s, String out)
      throws IOException {
    List<ProcessHandle> sleeping =
        executors().stream().filter(StandaloneClusterStoresIT::sleepsInTheFault).toList();
    if (sleeping.size() != 1) {
      return Optional.empty();
    }
    ProcessHandle executor = sleeping.get(0);
    if (s instanceof StoreServer.S3) {
      return holdsFileNamed(executor.pid(), "s3ablock") ? Optional.of(executor) : Optional.empty();
    }
    FileSystem fs = fs(s, out);
    org.apache.hadoop.fs.Path tasks = new org.apache.hadoop.fs.Path(out + "/audit-staging/tasks");
    if (!fs.exists(tasks)) {
      return Optional.empty();
    }
    for (FileStatus st : fs.listStatus(tasks)) {
      String n = st.getPath().getName();
      if (n.startsWith("train-e00001-r000001-p00000-t") && n.endsWith("-a0.parquet.staged")) {
        return Optional.of(executor);
      }
    }
    return Optional.empty();
  }

  /** Whether a thread of the JVM is inside the fault plan's sleep (from a thread dump). */
  private static boolean sleepsInTheFault(ProcessHandle p) {
    try {
      Process jstack =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                  String.valueOf(p.pid()))
              .redirectErrorStream(true)
              .start();
      String dump = new String(jstack.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      jstack.waitFor();
      return dump.contains("io.batchaudit.capture.FaultPlan.beforeBatch");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static FileSystem fs(StoreServer s, String uri) throws IOException {
    return new org.apache.hadoop.fs.Path(uri).getFileSystem(s.hadoopConf());
  }

  /** The log complete and duplicate-free, verified, and read the same by Spark SQL. */
  private AuditLog assertExactlyOnce(StoreServer s, String audit, int epochs, Configuration conf) {
    AuditLog log = AuditLog.open(audit, conf);
    assertThat(log.run().protocol())
        .isEqualTo(s instanceof StoreServer.S3 ? CommitProtocol.MANIFEST : CommitProtocol.RENAME);
    assertThat(log.committedEpochs(io.batchaudit.store.Phase.TRAIN))
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, epochs).boxed().toList());
    for (EpochCommit c : log.commits()) {
      assertThat(c.files())
          .extracting(f -> List.of(f.round(), f.partition()))
          .doesNotHaveDuplicates();
      for (CommittedFile f : c.files()) {
        assertThat(log.check(c, f)).as(f.path()).isNull();
      }
    }
    VerificationReport report = Verifier.verify(log, null);
    assertThat(report.ok()).as(report.toString()).isTrue();
    List<String> rows = new ArrayList<>();
    try (Stream<AuditBatch> batches = log.batches()) {
      batches.forEach(
          b -> {
            for (int r = 0; r < b.size(); r++) {
              rows.add(
                  b.key().phase().label()
                      + "|"
                      + b.key().epoch()
                      + "|"
                      + b.key().round()
                      + "|"
                      + b.key().batch()
                      + "|"
                      + b.key().partition()
                      + "|"
                      + r
                      + "|"
                      + b.sampleIds()[r]
                      + "|"
                      + b.attempt());
            }
          });
    }
    assertThat(sparkRows(s, audit, log)).containsExactlyElementsOf(rows);
    // verify reloads the source named in run.json (on the store for the CSV job): targets equal it
    Processes.Result verify =
        Processes.run(
            tmp.resolve("verify-" + Math.abs(audit.hashCode()) + ".log"),
            300,
            env(s),
            Processes.realCli("verify", audit));
    assertThat(verify.code()).as(verify.output()).isZero();
    assertThat(verify.output()).contains("OK: every batch present exactly once");
    return log;
  }

  /** Spark SQL with default settings over what README says plain readers read on the store. */
  private List<String> sparkRows(StoreServer s, String audit, AuditLog log) {
    if (spark != null) {
      spark.stop();
    }
    SparkSession.Builder b =
        SparkSession.builder()
            .master("local[1]")
            .appName("StandaloneClusterStoresIT-reader")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1");
    s.sparkProperties().forEach(b::config);
    spark = b.getOrCreate();
    List<String> paths =
        s instanceof StoreServer.S3 ? log.committedFiles() : List.of(audit); // README, Storage
    spark
        .read()
        .option("basePath", audit)
        .parquet(paths.toArray(String[]::new))
        .createOrReplaceTempView("audit");
    List<String> rows = new ArrayList<>();
    for (Row r :
        spark
            .sql(
                "SELECT phase, epoch, round, batch, partition, row, sample_id, attempt FROM audit"
                    + " ORDER BY epoch, phase, round, batch, partition, row")
            .collectAsList()) {
      rows.add(
          r.getString(0)
              + "|"
              + r.get(1)
              + "|"
              + r.get(2)
              + "|"
              + r.get(3)
              + "|"
              + r.get(4)
              + "|"
              + r.get(5)
              + "|"
              + r.get(6)
              + "|"
              + r.get(7));
    }
    return rows;
  }

  @Test
  void theIrisJobOnTheClusterCommitsToEachStore() throws IOException {
    for (StoreServer s : servers) {
      String out = s.uri() + "cluster-iris";
      Processes.Result r =
          Processes.run(
              tmp.resolve("iris-" + s.script().replace('/', '-') + ".log"),
              600,
              env(s),
              submit("jobs/iris.conf", out, "epochs=2"));
      assertThat(r.code()).as(r.output()).isZero();
      assertThat(r.output()).contains("epoch 2/2 committed");
      assertExactlyOnce(s, out + "/audit", 2, s.hadoopConf());
    }
  }

  @Test
  void theCsvJobReadingFromEachStoreSurvivesItsExecutorsKilledWhileAnAttemptHasItsFileOpen()
      throws Exception {
    for (StoreServer s : servers) {
      String base = s.uri() + "cluster-csv/";
      FileSystem fs = fs(s, base);
      for (String f : List.of("blobs-train.csv", "blobs-validation.csv")) {
        fs.copyFromLocalFile(
            new org.apache.hadoop.fs.Path(Path.of("jobs/data", f).toAbsolutePath().toUri()),
            new org.apache.hadoop.fs.Path(base + "input/" + f));
      }
      String out = base + "run";
      // injected: attempt 0 of partition 0 in epoch 1, round 1 hangs before its first minibatch,
      // with its file open; the test kills every executor of the application then
      Processes.Running job =
          Processes.start(
              tmp.resolve("csv-kill-" + s.script().replace('/', '-') + ".log"),
              env(s),
              submit(
                  "jobs/csv-classification.conf",
                  out,
                  "data=" + base + "input/blobs-train.csv",
                  "validation-data=" + base + "input/blobs-validation.csv",
                  "epochs=3",
                  "testing.fault-injection=sleep:epoch=1,round=1,partition=0,attempt=0,"
                      + "stage-attempt=0,millis=600000"));
      ProcessHandle executor =
          await()
              .atMost(Duration.ofMinutes(5))
              .pollInterval(Duration.ofMillis(500))
              .until(() -> holderOfTheHeldAttempt(s, out), Optional::isPresent)
              .orElseThrow();
      assertThat(executor.info().commandLine().orElse("")).contains("CoarseGrainedExecutorBackend");
      executor.destroyForcibly(); // SIGKILL

      Processes.Result r = job.await(600);
      assertThat(r.code()).as(r.output()).isZero();
      AuditLog log = assertExactlyOnce(s, out + "/audit", 3, s.hadoopConf());
      // the attempts Spark lost with the killed executor (its log: "Lost task 0.0 in stage 61.0
      // (TID 62) ... ExecutorLostFailure"); none of them is committed, a later attempt is
      java.util.regex.Matcher lost =
          java.util.regex.Pattern.compile(
                  "Lost task \\S+ in stage \\S+ \\(TID (\\d+)\\)[^\\n]*ExecutorLostFailure")
              .matcher(r.output());
      List<Long> lostAttempts = new ArrayList<>();
      while (lost.find()) {
        lostAttempts.add(Long.parseLong(lost.group(1)));
      }
      assertThat(lostAttempts).as("attempts lost with the killed executor").isNotEmpty();
      try (Stream<AuditBatch> batches = log.batches(1)) {
        assertThat(
                batches
                    .filter(b -> b.key().round() == 1 && b.key().partition() == 0)
                    .map(AuditBatch::taskAttemptId)
                    .distinct()
                    .toList())
            .as("round 1, partition 0 of epoch 1 comes from one attempt, not a lost one")
            .singleElement()
            .matches(id -> !lostAttempts.contains(id));
      }
      assertThat(executor.isAlive()).as("the fault fired: its executor was killed").isFalse();
    }
  }
}
