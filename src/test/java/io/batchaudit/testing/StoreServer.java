package io.batchaudit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.store.hadoop.HadoopSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;

/**
 * A storage server on this machine, started and stopped with the project's own scripts ({@code
 * jobs/hdfs}, {@code jobs/s3}) as a user does: its URI and the folder of the client settings its
 * {@code start} printed. One per test class.
 */
public sealed interface StoreServer permits StoreServer.Hdfs, StoreServer.S3 {
  /** The root URI to write under, ending in {@code /}. */
  String uri();

  /** The folder of the generated {@code core-site.xml}: the {@code HADOOP_CONF_DIR} to use. */
  Path confDir();

  /** The script that started it. */
  String script();

  /** A Hadoop configuration with the server's client settings, for the test's own reads. */
  default Configuration hadoopConf() {
    return HadoopSettings.of(confDir().toString(), Map.of()).configuration();
  }

  /** The server's client settings as {@code spark.hadoop.*} Spark properties. */
  default Map<String, String> sparkProperties() {
    return HadoopSettings.of(confDir().toString(), Map.of()).sparkProperties();
  }

  /**
   * Stops the server with its script, and closes this JVM's cached Hadoop file systems: Hadoop
   * caches one per scheme and authority, and every S3 server of the tests has the bucket {@code
   * batch-audit}, so a later test class would otherwise get the client of a server that is gone
   * (its endpoint and key), and retry against it for many minutes.
   */
  default void stop(Path logDir) {
    Processes.run(logDir.resolve("stop.log"), 60, List.of("bash", script(), "stop"));
    try {
      org.apache.hadoop.fs.FileSystem.closeAll();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** An HDFS (jobs/hdfs): a NameNode and a DataNode in a JVM of their own. */
  record Hdfs(String uri, Path confDir) implements StoreServer {
    @Override
    public String script() {
      return "jobs/hdfs";
    }
  }

  /** An S3 endpoint (jobs/s3): S3Proxy in a JVM of its own, reached through s3a://. */
  record S3(String uri, Path confDir, String endpoint, String accessKey, String secretKey)
      implements StoreServer {
    @Override
    public String script() {
      return "jobs/s3";
    }

    @Override
    public String toString() { // keeps the secret key out of test reports
      return "S3[" + uri + ", endpoint " + endpoint + "]";
    }
  }

  /** Starts HDFS with {@code jobs/hdfs start} (stopping a leftover first). */
  static Hdfs startHdfs(Path logDir) {
    List<String> lines = start("jobs/hdfs", logDir);
    assertThat(lines.get(0)).matches("hdfs://127\\.0\\.0\\.1:\\d+/");
    return new Hdfs(lines.get(0), confDir(lines));
  }

  /** Starts S3Proxy with {@code jobs/s3 start} (stopping a leftover first). */
  static S3 startS3(Path logDir) {
    List<String> lines = start("jobs/s3", logDir);
    assertThat(lines.get(0)).isEqualTo("s3a://batch-audit/");
    Path conf = confDir(lines);
    String site;
    try {
      site = Files.readString(conf.resolve("core-site.xml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new S3(
        lines.get(0),
        conf,
        property(site, "fs.s3a.endpoint"),
        property(site, "fs.s3a.access.key"),
        property(site, "fs.s3a.secret.key"));
  }

  private static List<String> start(String script, Path logDir) {
    Processes.run(logDir.resolve("stop-before.log"), 60, List.of("bash", script, "stop"));
    Processes.Result r =
        Processes.run(logDir.resolve("start.log"), 300, List.of("bash", script, "start"));
    assertThat(r.code()).as(r.output()).isZero();
    Processes.Result status =
        Processes.run(logDir.resolve("status.log"), 30, List.of("bash", script, "status"));
    assertThat(status.code()).as(status.output()).isZero();
    return status.output().lines().toList();
  }

  private static Path confDir(List<String> statusLines) {
    String dir =
        statusLines.stream()
            .filter(l -> l.startsWith("HADOOP_CONF_DIR="))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no HADOOP_CONF_DIR= line in " + statusLines))
            .substring("HADOOP_CONF_DIR=".length());
    Path p = Path.of(dir);
    assertThat(p.resolve("core-site.xml")).isRegularFile();
    return p;
  }

  private static String property(String siteXml, String name) {
    Matcher m =
        Pattern.compile("<name>" + Pattern.quote(name) + "</name><value>([^<]*)</value>")
            .matcher(siteXml);
    assertThat(m.find()).as(name + " in core-site.xml").isTrue();
    return m.group(1);
  }
}
