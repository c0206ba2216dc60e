package io.batchaudit.store.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.store.hadoop.HadoopSettings;
import io.batchaudit.testing.Processes;
import io.batchaudit.testing.PythonEnv;
import io.batchaudit.testing.StoreServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The jobs on a real S3 endpoint (jobs/s3: S3Proxy in a JVM of its own, its filesystem backend),
 * reached through s3a:// with path-style access. The endpoint and the key pair exist only in the
 * settings the commands are given (HADOOP_CONF_DIR, or spark.hadoop.* properties): without them a
 * command would go to AWS, which this machine cannot reach. The secret key is drawn at every server
 * start and searched for in everything the runs wrote.
 */
class S3StoreIT extends StoreJobsTestBase {
  private final List<Path> localOutputs = new ArrayList<>();

  @Override
  StoreServer start(Path logDir) {
    return StoreServer.startS3(logDir);
  }

  @Override
  CommitProtocol protocol() {
    return CommitProtocol.MANIFEST; // S3A declares itself an object store: a rename is a copy
  }

  private StoreServer.S3 s3() {
    return (StoreServer.S3) server;
  }

  /**
   * The store's settings as JVM options {@code -Dspark.hadoop.KEY=VALUE}, as jobs/batch-audit
   * --conf passes them.
   */
  private List<String> sparkHadoopOptions() {
    return server.sparkProperties().entrySet().stream()
        .map(e -> "-D" + e.getKey() + "=" + e.getValue())
        .toList();
  }

  private static Map<String, String> withoutConfDir() {
    Map<String, String> env = new HashMap<>();
    env.put(HadoopSettings.CONF_DIR, null);
    return env;
  }

  @Test
  @Order(4)
  void pyarrowsOwnS3ClientReadsTheSameRowsAsTheProjectsReader() {
    for (Run run : List.of(iris, csv)) {
      Path log = tmp.resolve("pyarrow-" + run.out().replaceAll(".*/", "") + ".out");
      Path list = tmp.resolve("files-" + run.out().replaceAll(".*/", "") + ".txt");
      Processes.Result files =
          cli("files-" + run.out().replaceAll(".*/", ""), env(), List.of(), "files", run.audit());
      assertThat(files.code()).as(files.output()).isZero();
      try {
        Files.writeString(
            list,
            String.join("\n", files.output().lines().filter(l -> l.startsWith("s3a://")).toList()));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      Processes.Result r =
          Processes.run(
              log,
              300,
              Map.of(
                  "AWS_ACCESS_KEY_ID", s3().accessKey(), "AWS_SECRET_ACCESS_KEY", s3().secretKey()),
              List.of(
                  PythonEnv.interpreter().toString(),
                  "src/test/python/s3_audit_rows.py",
                  s3().endpoint(),
                  run.audit().substring("s3a://".length()),
                  list.toString()));
      assertThat(r.code()).as(r.output()).isZero();
      List<String> expected = projectRows(run.audit());
      assertThat(expected).isNotEmpty();
      assertThat(r.output().lines().toList()).as(run.audit()).containsExactlyElementsOf(expected);
    }
  }

  @Test
  @Order(5)
  void everyReadingCommandReachesTheStoreThroughHadoopConfDir() throws IOException {
    String audit = iris.audit();
    Processes.Result show = cli("show", env(), List.of(), "show", audit, "--limit", "1");
    assertThat(show.code()).as(show.output()).isZero();
    assertThat(show.output()).contains("sample_id:");

    Processes.Result coverage = cli("coverage", env(), List.of(), "coverage", audit);
    assertThat(coverage.code()).as(coverage.output()).isZero();
    assertThat(coverage.output())
        .containsPattern("\\n\\s+9\\s+150\\s+150\\s+0\\s+0")
        .doesNotContain("never trained");

    Processes.Result query =
        cli(
            "query",
            env(),
            List.of(),
            "query",
            audit,
            "SELECT count(*) AS n FROM audit WHERE phase = 'train'",
            "--json");
    assertThat(query.code()).as(query.output()).isZero();
    assertThat(query.output().lines()).contains("{\"n\":1500}");

    Path report = tmp.resolve("report.html");
    localOutputs.add(report);
    Processes.Result rep =
        cli("report", env(), List.of(), "report", csv.audit(), "--out", report.toString());
    assertThat(rep.code()).as(rep.output()).isZero();
    assertThat(rep.output()).contains("verification OK");
    assertThat(Files.readString(report)).contains(csv.audit());

    Processes.Result compact = cli("compact", env(), List.of(), "compact", audit);
    assertThat(compact.code()).as(compact.output()).isZero();
    assertThat(compact.output()).contains("train epoch 4: already compacted (generation 1)");
  }

  @Test
  @Order(6)
  void sparkHadoopPropertiesAloneReachSparkSubmitAndTheCommands() throws IOException {
    String out = base + "submit";
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "bash",
                "jobs/submit",
                "--master",
                "local[2]",
                "--app-jar",
                Processes.projectJar()));
    server
        .sparkProperties()
        .forEach(
            (k, v) -> {
              cmd.add("--conf");
              cmd.add(k + "=" + v);
            });
    cmd.addAll(List.of("--train-conf", "jobs/iris.conf", "--out", out, "--set", "epochs=2"));
    Processes.Result submit = Processes.run(tmp.resolve("submit.log"), 600, withoutConfDir(), cmd);
    assertThat(submit.code()).as(submit.output()).isZero();
    assertThat(submit.output()).contains("epoch 2/2 committed");

    Processes.Result verify =
        cli("submit-verify", withoutConfDir(), sparkHadoopOptions(), "verify", out + "/audit");
    assertThat(verify.code()).as(verify.output()).isZero();
    assertThat(verify.output()).contains("OK: every batch present exactly once");
  }

  @Test
  @Order(7)
  void aSparkHadoopPropertyWinsOverHadoopConfDirAndAWrongSecretIsNotShown() {
    String wrong = "WrongSecret" + System.nanoTime();
    Processes.Result r =
        cli(
            "wrong-secret",
            env(),
            List.of("-Dspark.hadoop.fs.s3a.secret.key=" + wrong),
            "verify",
            iris.audit());
    // (refused by the server, as a storage error: no exit code of its own yet)
    assertThat(r.code()).as(r.output()).isNotZero();
    assertThat(r.output()).contains("403 Forbidden").doesNotContain(wrong);
  }

  @Test
  @Order(8)
  // S3Proxy lists an emptied commit folder that it then cannot stat; vacuum takes a listed entry
  // that is gone as nothing to remove (it used to fail with FileNotFoundException there)
  void vacuumRemovesTheLeftoversOnS3AndLeavesTheLogVerifiable() {
    Processes.Result vacuum =
        cli("vacuum", env(), List.of(), "vacuum", iris.audit(), "--retention", "0s");
    assertThat(vacuum.code()).as(vacuum.output()).isZero();
    assertThat(vacuum.output())
        .contains("committed epochs untouched")
        .contains("(manifest of generation 0, replaced)");
    Processes.Result verify = cli("vacuum-verify", env(), List.of(), "verify", iris.audit());
    assertThat(verify.code()).as(verify.output()).isZero();
    // with the replaced generations gone, a plain glob of the folder reads the committed rows
    assertThat(sparkSqlRows(iris.audit(), List.of(iris.audit())))
        .containsExactlyElementsOf(projectRows(iris.audit()));
  }

  @Test
  @Order(9)
  void theSecretKeyIsInNoFileTheRunsWroteNorInAnyOutput() throws IOException {
    byte[] secret = s3().secretKey().getBytes(StandardCharsets.UTF_8);
    assertThat(secret.length).isGreaterThanOrEqualTo(32);
    List<String> searched = new ArrayList<>();
    for (LocatedFileStatus f : files(base)) { // run.json, manifests, summary.json, model, data
      try (InputStream in = fs(base).open(f.getPath())) {
        assertThat(indexOf(in.readAllBytes(), secret)).as(f.getPath().toString()).isEqualTo(-1);
      }
      searched.add(f.getPath().getName());
    }
    assertThat(searched)
        .contains("run.json", "train-e00000-g0.json", "summary.json", "model.zip")
        .anyMatch(n -> n.endsWith(".parquet"));
    List<Path> local = new ArrayList<>(localOutputs);
    try (Stream<Path> logs = Files.list(tmp)) { // every command's output, the server scripts'
      logs.filter(p -> p.toString().endsWith(".log")).forEach(local::add);
    }
    assertThat(local).hasSizeGreaterThan(10);
    for (Path p : local) {
      assertThat(indexOf(Files.readAllBytes(p), secret)).as(p.toString()).isEqualTo(-1);
    }
  }

  private static int indexOf(byte[] data, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= data.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (data[i + j] != part[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
