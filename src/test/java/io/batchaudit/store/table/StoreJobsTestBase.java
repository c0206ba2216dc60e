package io.batchaudit.store.table;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.batchaudit.read.AuditLog;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.CommittedFile;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.Json;
import io.batchaudit.store.Phase;
import io.batchaudit.store.hadoop.HadoopSettings;
import io.batchaudit.testing.Processes;
import io.batchaudit.testing.StoreServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ready Iris and CSV jobs on a real store started by the project's own script: trained by the
 * command line in a JVM of its own (embedded Spark, local[2]) that gets the store's settings
 * through {@code HADOOP_CONF_DIR} only, the CSV job reading its input files from the store; then
 * {@code verify}, the outputs on the store, and Spark SQL with default settings reading the audit
 * folder row for row as the project's reader does. Subclasses start the store and add what is
 * particular to it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class StoreJobsTestBase {
  @TempDir static Path tmp;

  StoreServer server;

  /** A fresh folder on the store for this test class's runs, ending in {@code /}. */
  String base;

  Run iris;
  Run csv;
  private SparkSession spark;

  /** One training run on the store: its output folder, the train and verify commands' results. */
  record Run(String out, Processes.Result train, Processes.Result verify) {
    String audit() {
      return out + "/audit";
    }
  }

  abstract StoreServer start(Path logDir);

  /** The commit protocol the log must detect on this store. */
  abstract CommitProtocol protocol();

  /**
   * What a plain reader is given to read exactly the committed rows: the folder itself where epochs
   * appear by a rename, the committed files ({@code batch-audit files}) on a store where files are
   * written in place.
   */
  List<String> plainReaderPaths(String audit) {
    return protocol() == CommitProtocol.RENAME
        ? List.of(audit)
        : AuditLog.open(audit, server.hadoopConf()).committedFiles();
  }

  /** The manifest of generation 0 of train epoch {@code epoch} of a log on this store. */
  String firstManifest(String audit, int epoch) {
    return protocol() == CommitProtocol.RENAME
        ? audit + "/phase=train/epoch=" + epoch + "/_manifest.json"
        : audit + String.format("/_batch_audit/commits/train-e%05d-g0.json", epoch);
  }

  @BeforeAll
  void startTheStoreAndTrainBothJobs() throws IOException {
    server = start(tmp);
    base = server.uri() + "it-" + System.currentTimeMillis() + "/";
    iris = train("iris", "--conf", "jobs/iris.conf", "--out", base + "iris");
    FileSystem fs = fs(base);
    for (String f : List.of("blobs-train.csv", "blobs-validation.csv")) {
      fs.copyFromLocalFile(
          new org.apache.hadoop.fs.Path(Path.of("jobs/data", f).toAbsolutePath().toUri()),
          new org.apache.hadoop.fs.Path(base + "input/" + f));
    }
    csv =
        train(
            "csv",
            "--conf",
            "jobs/csv-classification.conf",
            "--out",
            base + "csv",
            "--set",
            "data=" + base + "input/blobs-train.csv",
            "--set",
            "validation-data=" + base + "input/blobs-validation.csv");
  }

  @AfterAll
  void stopSparkAndTheStore() {
    if (spark != null) {
      spark.stop();
    }
    if (server != null) {
      server.stop(tmp);
    }
  }

  /** The environment of a command JVM: the store's settings through HADOOP_CONF_DIR only. */
  Map<String, String> env() {
    return Map.of(HadoopSettings.CONF_DIR, server.confDir().toString());
  }

  /** Runs the command line in a JVM of its own with {@code env} and the JVM options given. */
  Processes.Result cli(String log, Map<String, String> env, List<String> jvm, String... args) {
    List<String> cmd = new ArrayList<>(Processes.realCli(args));
    cmd.addAll(1, jvm);
    return Processes.run(tmp.resolve(log + ".log"), 600, env, cmd);
  }

  private Run train(String name, String... args) {
    String[] trainArgs = Stream.concat(Stream.of("train"), Stream.of(args)).toArray(String[]::new);
    Processes.Result train = cli(name + "-train", env(), List.of(), trainArgs);
    String out = args[java.util.Arrays.asList(args).indexOf("--out") + 1];
    Processes.Result verify = cli(name + "-verify", env(), List.of(), "verify", out + "/audit");
    return new Run(out, train, verify);
  }

  FileSystem fs(String uri) throws IOException {
    return new org.apache.hadoop.fs.Path(uri).getFileSystem(server.hadoopConf());
  }

  JsonNode json(String uri) throws IOException {
    try (InputStream in = fs(uri).open(new org.apache.hadoop.fs.Path(uri))) {
      return Json.mapper().readTree(in);
    }
  }

  /** Every file below {@code uri} on the store. */
  List<LocatedFileStatus> files(String uri) throws IOException {
    List<LocatedFileStatus> all = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> it =
        fs(uri).listFiles(new org.apache.hadoop.fs.Path(uri), true);
    while (it.hasNext()) {
      all.add(it.next());
    }
    return all;
  }

  /** Checks that a file the job wrote was written with the store's client settings. */
  void assertWrittenWithTheStoresSettings(LocatedFileStatus file) {}

  private void assertJobRanOnTheStore(Run run, int epochs, String dataSource) throws IOException {
    assertThat(run.train().code()).as(run.train().output()).isZero();
    assertThat(run.train().output())
        .contains("epoch " + epochs + "/" + epochs + " committed")
        .contains("audit log " + run.audit());
    assertThat(run.verify().code()).as(run.verify().output()).isZero();
    assertThat(run.verify().output())
        .contains("epochs committed: " + epochs + " of " + epochs + " planned")
        .contains("OK: every batch present exactly once");
    JsonNode summary = json(run.out() + "/summary.json");
    assertThat(summary.get("model").asText()).isEqualTo(run.out() + "/model.zip");
    assertThat(summary.get("audit").asText()).isEqualTo(run.audit());
    JsonNode runInfo = json(run.audit() + "/_batch_audit/run.json");
    assertThat(runInfo.get("dataSource").asText()).isEqualTo(dataSource);
    assertThat(runInfo.get("commitProtocol").asText()).isEqualTo(protocol().label());
    List<LocatedFileStatus> written = files(run.out());
    List<String> names = written.stream().map(f -> f.getPath().toString()).toList();
    assertThat(names)
        .contains(run.out() + "/model.zip", run.out() + "/summary.json")
        .anyMatch(
            n -> n.startsWith(run.audit() + "/phase=train/epoch=0/") && n.endsWith(".parquet"))
        .contains(firstManifest(run.audit(), epochs - 1));
    written.forEach(this::assertWrittenWithTheStoresSettings);
  }

  @Test
  @Order(1)
  void irisJobTrainsCommitsAndVerifiesOnTheStoreWithModelAndSummaryBesideTheLog()
      throws IOException {
    assertJobRanOnTheStore(iris, 10, "iris");
    assertThat(iris.verify().output()).contains("rows: 1500");
  }

  @Test
  @Order(2)
  void csvJobReadsItsInputFromTheStoreTrainsAndVerifiesBothPhases() throws IOException {
    assertJobRanOnTheStore(csv, 5, base + "input/blobs-train.csv");
    assertThat(csv.verify().output())
        .contains("validation epochs committed: 5")
        .contains("validation targets checked against");
    assertThat(json(csv.audit() + "/_batch_audit/run.json").get("validationSource").asText())
        .isEqualTo(base + "input/blobs-validation.csv");
  }

  @Test
  @Order(3)
  void sparkSqlWithDefaultSettingsReadsTheSameRowsAsTheProjectsReader() throws IOException {
    for (Run run : List.of(iris, csv)) {
      List<String> expected = projectRows(run.audit());
      assertThat(expected).isNotEmpty();
      assertThat(sparkSqlRows(run.audit())).as(run.audit()).containsExactlyElementsOf(expected);
    }
  }

  /** A small job on the store: synthetic data, 2 epochs, embedded Spark; more settings given. */
  private Processes.Result trainSmall(String name, String out, String... sets) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--out",
                out,
                "--set",
                "data=synthetic:rows=120,features=4,classes=3",
                "--set",
                "epochs=2"));
    for (String set : sets) {
      args.add("--set");
      args.add(set);
    }
    // the fault-injection key is honoured only in a JVM the test harness marks as a test's
    return cli(name, env(), List.of(Processes.TESTING), args.toArray(String[]::new));
  }

  /**
   * What every reader must see of a log after any fault: each committed file intact, every batch
   * key once, and the independent reader (Spark SQL with default settings, given what README says
   * plain readers read on this store) returning exactly the project's rows.
   */
  private List<String> assertExactlyOnceByBothReaders(String audit) {
    AuditLog log = AuditLog.open(audit, server.hadoopConf());
    for (EpochCommit c : log.commits()) {
      for (CommittedFile f : c.files()) {
        assertThat(log.check(c, f)).as(f.path()).isNull();
      }
    }
    List<String> rows = projectRows(audit);
    assertThat(rows).hasSize((int) log.rows());
    assertThat(
            rows.stream()
                .map(r -> r.split("\\|", 8))
                .map(k -> String.join("|", List.of(k).subList(1, 7)))
                .distinct())
        .as("every (phase, epoch, round, batch, partition, row) once")
        .hasSize(rows.size());
    assertThat(sparkSqlRows(audit)).as(audit).containsExactlyElementsOf(rows);
    return rows;
  }

  @Test
  @Order(20)
  void tasksThatFailMidRoundOrAfterSealingAreRetriedAndEveryBatchIsCommittedOnce() {
    String out = base + "task-faults";
    Processes.Result train =
        trainSmall(
            "task-faults",
            out,
            "master=local[2,3]",
            "testing.fault-injection=throw:epoch=0,round=1,partition=1,batch=1,attempt=0;"
                + "throw-after-seal:epoch=1,round=0,partition=0,attempt=0");
    assertThat(train.code()).as(train.output()).isZero();
    assertThat(train.output())
        .contains("injected fault: throw before minibatch")
        .contains("injected fault: throw after seal");
    List<String> rows = assertExactlyOnceByBothReaders(out + "/audit");
    // the committed rows of the two failed tasks are their retries' (attempt 1)
    assertThat(rows)
        .filteredOn(r -> r.contains("|train|0|1|") && r.split("\\|")[5].equals("1"))
        .isNotEmpty()
        .allMatch(r -> r.split("\\|")[9].equals("1"));
    assertThat(rows)
        .filteredOn(r -> r.contains("|train|1|0|") && r.split("\\|")[5].equals("0"))
        .isNotEmpty()
        .allMatch(r -> r.split("\\|")[9].equals("1"));
    Processes.Result verify = cli("task-faults-verify", env(), List.of(), "verify", out + "/audit");
    assertThat(verify.code()).as(verify.output()).isZero();
  }

  /** The steps of the protocol this store's form passes through, with the epoch to halt at. */
  private List<String[]> haltSteps() {
    List<String[]> steps = new ArrayList<>();
    if (protocol() == CommitProtocol.RENAME) {
      steps.add(new String[] {"commit-moving", "1"});
    }
    steps.add(new String[] {"commit-assembled", "1"});
    steps.add(new String[] {"commit-published", "1"});
    steps.add(new String[] {"compact-written", "0"});
    if (protocol() == CommitProtocol.RENAME) {
      steps.add(new String[] {"compact-retired", "0"});
    }
    steps.add(new String[] {"compact-swapped", "0"});
    return steps;
  }

  @Test
  @Order(21)
  void aDriverHaltedAtEveryStepOfACommitOrCompactionLosesNothingCommittedAndVacuumKeepsIt() {
    for (String[] step : haltSteps()) {
      String at = step[0];
      int epoch = Integer.parseInt(step[1]);
      String out = base + "halt-" + at;
      Processes.Result train =
          trainSmall(
              "halt-" + at, out, "testing.fault-injection=halt:at=" + at + ",epoch=" + epoch);
      assertThat(train.code()).as(train.output()).isEqualTo(99);
      assertThat(train.output())
          .contains("injected fault: driver halts at " + at + " of train epoch " + epoch);
      String audit = out + "/audit";
      AuditLog log = AuditLog.open(audit, server.hadoopConf());
      List<Integer> epochs = log.committedEpochs(Phase.TRAIN);
      switch (at) {
        case "commit-moving", "commit-assembled" -> assertThat(epochs).as(at).containsExactly(0);
        case "commit-published" -> assertThat(epochs).as(at).containsExactly(0, 1);
        default -> {
          // compaction runs beside training: epoch 1 may or may not be committed when it halts
          assertThat(epochs).as(at).startsWith(0);
          assertThat(log.commits().get(0).generation())
              .as(at + ": the generation of epoch 0")
              .isEqualTo(at.equals("compact-written") ? 0 : 1);
        }
      }
      List<String> rows = assertExactlyOnceByBothReaders(audit);

      Processes.Result vacuum =
          cli("halt-" + at + "-vacuum", env(), List.of(), "vacuum", audit, "--retention", "0s");
      assertThat(vacuum.output()).as(at).contains("committed epochs untouched");
      assertThat(vacuum.code()).as(vacuum.output()).isZero();
      assertThat(assertExactlyOnceByBothReaders(audit)).as(at).containsExactlyElementsOf(rows);
      // after vacuum a plain glob of the folder reads the committed rows on every store
      assertThat(sparkSqlGlobRows(audit)).as(at).containsExactlyElementsOf(rows);
    }
  }

  /** The rows of a log as the project's reader returns them, in training order. */
  List<String> projectRows(String audit) {
    List<String> rows = new ArrayList<>();
    try (Stream<AuditBatch> batches = AuditLog.open(audit, server.hadoopConf()).batches()) {
      batches.forEach(
          b -> {
            for (int r = 0; r < b.size(); r++) {
              rows.add(
                  row(
                      b.runId(),
                      b.key().phase().label(),
                      b.key().epoch(),
                      b.key().round(),
                      b.key().batch(),
                      b.key().partition(),
                      r,
                      b.sampleIds()[r],
                      b.step(),
                      b.attempt(),
                      b.batchScore(),
                      b.targets().row(r),
                      b.predictions().row(r)));
            }
          });
    }
    return rows;
  }

  /** The rows Spark SQL with default settings reads from {@link #plainReaderPaths}. */
  List<String> sparkSqlRows(String audit) {
    return sparkSqlRows(audit, plainReaderPaths(audit));
  }

  /**
   * The rows Spark SQL reads from a plain glob of the whole folder. With default settings, but on
   * the S3 server: S3Proxy's filesystem backend keeps a folder whose objects were all deleted (an
   * uncommitted epoch that {@code vacuum} removed) as an empty directory on its disk and still
   * names it as a common prefix in a listing, with no object under it (on AWS S3 a prefix exists
   * only while an object has it). Spark's listing then fails on that prefix with a {@code
   * FileNotFoundException} unless it is told to skip paths that vanish while it lists ({@code
   * spark.sql.files.ignoreMissingFiles}, Spark's own answer to folders deleted during a listing),
   * which is set for this read alone there.
   */
  List<String> sparkSqlGlobRows(String audit) {
    if (protocol() != CommitProtocol.MANIFEST) {
      return sparkSqlRows(audit, List.of(audit));
    }
    spark().conf().set("spark.sql.files.ignoreMissingFiles", "true");
    try {
      return sparkSqlRows(audit, List.of(audit));
    } finally {
      spark.conf().unset("spark.sql.files.ignoreMissingFiles");
    }
  }

  /**
   * The tests' Spark session (local, default settings but how to reach the store), started once.
   */
  private SparkSession spark() {
    if (spark == null) {
      SparkConf conf =
          new SparkConf()
              .setMaster("local[2]")
              .setAppName(getClass().getSimpleName())
              .set("spark.ui.enabled", "false")
              .set("spark.ui.showConsoleProgress", "false")
              .set("spark.driver.host", "127.0.0.1")
              .set("spark.driver.bindAddress", "127.0.0.1");
      server.sparkProperties().forEach(conf::set); // how to reach the store, not how to read
      spark = SparkSession.builder().config(conf).getOrCreate();
    }
    return spark;
  }

  /** The rows Spark SQL with default settings reads from {@code paths} of the log in audit. */
  List<String> sparkSqlRows(String audit, List<String> paths) {
    spark()
        .read()
        .option("basePath", audit) // files given one by one keep their epoch=, phase= columns
        .parquet(paths.toArray(String[]::new))
        .createOrReplaceTempView("audit");
    List<String> rows = new ArrayList<>();
    for (Row r :
        spark
            .sql(
                "SELECT run_id, phase, epoch, round, batch, partition, row, sample_id, step,"
                    + " attempt, batch_score, target, prediction FROM audit"
                    + " ORDER BY epoch, phase, round, batch, partition, row")
            .collectAsList()) {
      rows.add(
          row(
              r.getString(0),
              r.getString(1),
              ((Number) r.get(2)).longValue(),
              ((Number) r.get(3)).longValue(),
              ((Number) r.get(4)).longValue(),
              ((Number) r.get(5)).longValue(),
              ((Number) r.get(6)).longValue(),
              ((Number) r.get(7)).longValue(),
              ((Number) r.get(8)).longValue(),
              ((Number) r.get(9)).longValue(),
              r.getDouble(10),
              floats(r.getList(11)),
              floats(r.getList(12))));
    }
    return rows;
  }

  private static float[] floats(List<Object> values) {
    float[] f = new float[values.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = ((Number) values.get(i)).floatValue();
    }
    return f;
  }

  /**
   * One row as the readers are compared: keys, then the score and the arrays as their IEEE 754 bits
   * (as {@code src/test/python/s3_audit_rows.py} prints them).
   */
  static String row(
      String runId,
      String phase,
      long epoch,
      long round,
      long batch,
      long partition,
      long row,
      long sampleId,
      long step,
      long attempt,
      double score,
      float[] target,
      float[] prediction) {
    return String.join(
        "|",
        runId,
        phase,
        String.valueOf(epoch),
        String.valueOf(round),
        String.valueOf(batch),
        String.valueOf(partition),
        String.valueOf(row),
        String.valueOf(sampleId),
        String.valueOf(step),
        String.valueOf(attempt),
        Long.toUnsignedString(Double.doubleToRawLongBits(score)),
        bits(target),
        bits(prediction));
  }

  private static String bits(float[] values) {
    List<String> b = new ArrayList<>(values.length);
    for (float v : values) {
      b.add(Integer.toUnsignedString(Float.floatToRawIntBits(v)));
    }
    return b.toString();
  }

  /** A copy of {@code env} with more variables. */
  static Map<String, String> with(Map<String, String> env, String key, String value) {
    Map<String, String> m = new HashMap<>(env);
    m.put(key, value);
    return m;
  }
}
