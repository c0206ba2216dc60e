package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.store.hadoop.HadoopSettings;
import io.batchaudit.testing.Processes;
import io.batchaudit.testing.StoreServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rdd-approach=export} on a real HDFS and a real S3 endpoint (the project's {@code
 * jobs/hdfs} and {@code jobs/s3}): the Iris job trained by the command line in a JVM of its own
 * that gets the store's settings through {@code HADOOP_CONF_DIR} only, once with the default export
 * folder ({@code <out>/export}) and once with an explicit {@code export-directory} on the store;
 * both verify, the default folder is gone after the run, and the explicit one is left empty (the
 * run's folder inside it deleted; on HDFS the folder itself stays, which shows the export wrote
 * there).
 */
class ExportStoreIT {
  @TempDir Path tmp;

  @Test
  void exportRunsOnHdfsVerifyAndLeaveNoMinibatchFiles() throws IOException {
    assertExportRunsOn(StoreServer::startHdfs);
  }

  @Test
  void exportRunsOnS3VerifyAndLeaveNoMinibatchFiles() throws IOException {
    assertExportRunsOn(StoreServer::startS3);
  }

  private void assertExportRunsOn(Function<Path, StoreServer> start) throws IOException {
    StoreServer server = start.apply(tmp);
    try {
      String base = server.uri() + "export-it-" + System.currentTimeMillis() + "/";
      FileSystem fs = new org.apache.hadoop.fs.Path(base).getFileSystem(server.hadoopConf());
      Map<String, String> env = Map.of(HadoopSettings.CONF_DIR, server.confDir().toString());

      String byDefault = base + "iris-default";
      trainAndVerify(env, "default", byDefault);
      assertThat(fs.exists(new org.apache.hadoop.fs.Path(byDefault + "/export"))).isFalse();
      assertThat(fs.exists(new org.apache.hadoop.fs.Path(byDefault + "/model.zip"))).isTrue();

      String explicit = base + "minibatches";
      trainAndVerify(env, "explicit", base + "iris-explicit", "export-directory=" + explicit);
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(explicit);
      if (server instanceof StoreServer.Hdfs) {
        // HDFS keeps the folder the export created; S3 has folders only while they hold objects
        assertThat(fs.exists(dir)).as("%s was written", explicit).isTrue();
      }
      if (fs.exists(dir)) {
        FileStatus[] left = fs.listStatus(dir);
        assertThat(left).as("left in %s", explicit).isEmpty();
      }
      assertThat(fs.exists(new org.apache.hadoop.fs.Path(base + "iris-explicit/export"))).isFalse();
    } finally {
      server.stop(tmp);
    }
  }

  private void trainAndVerify(
      Map<String, String> env, String name, String out, String... settings) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--conf",
                "jobs/iris.conf",
                "--out",
                out,
                "--set",
                "master=local[2]",
                "--set",
                "epochs=2",
                "--set",
                "rdd-approach=export"));
    for (String s : settings) {
      args.addAll(List.of("--set", s));
    }
    Processes.Result train =
        Processes.run(
            tmp.resolve(name + "-train.log"),
            900,
            env,
            Processes.realCli(args.toArray(String[]::new)));
    assertThat(train.code()).as(train.output()).isZero();
    assertThat(train.output()).contains("epoch 2/2 committed");
    Processes.Result verify =
        Processes.run(
            tmp.resolve(name + "-verify.log"),
            600,
            env,
            Processes.realCli("verify", out + "/audit"));
    assertThat(verify.code()).as(verify.output()).isZero();
    assertThat(verify.output())
        .contains("OK: every batch present exactly once")
        .contains("epochs committed: 2 of 2 planned");
  }
}
