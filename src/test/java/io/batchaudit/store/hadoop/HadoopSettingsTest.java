package io.batchaudit.store.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HadoopSettingsTest {
  @TempDir Path tmp;

  private static String site(String... nameValues) {
    StringBuilder s = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
    for (int i = 0; i < nameValues.length; i += 2) {
      s.append("  <property><name>")
          .append(nameValues[i])
          .append("</name><value>")
          .append(nameValues[i + 1])
          .append("</value></property>\n");
    }
    return s.append("</configuration>\n").toString();
  }

  @Test
  void sparkHadoopPropertiesWinOverHdfsSiteWhichWinsOverCoreSite() throws Exception {
    Files.writeString(
        tmp.resolve("core-site.xml"),
        site("fs.s3a.endpoint", "http://core:1", "a.only.in.core", "1", "b.in.both", "core"));
    Files.writeString(tmp.resolve("hdfs-site.xml"), site("b.in.both", "hdfs", "dfs.x", "2"));
    Files.writeString(tmp.resolve("yarn-site.xml"), site("not.read", "yarn"));

    HadoopSettings s =
        HadoopSettings.of(
            tmp.toString(),
            Map.of(
                "spark.hadoop.fs.s3a.endpoint", "http://spark:2",
                "spark.master", "local[2]",
                "spark.hadoop.", "empty key ignored",
                "fs.s3a.access.key", "not a spark.hadoop property"));

    Configuration conf = s.configuration();
    assertThat(conf.get("fs.s3a.endpoint")).isEqualTo("http://spark:2");
    assertThat(conf.get("a.only.in.core")).isEqualTo("1");
    assertThat(conf.get("b.in.both")).isEqualTo("hdfs");
    assertThat(conf.get("dfs.x")).isEqualTo("2");
    assertThat(conf.get("not.read")).isNull();
    assertThat(conf.get("fs.s3a.access.key")).isNull();
    assertThat(conf.get("master")).isNull();
    // Hadoop's defaults stay underneath
    assertThat(conf.get("fs.s3a.impl")).isEqualTo("org.apache.hadoop.fs.s3a.S3AFileSystem");
    assertThat(s.sparkProperties())
        .containsOnly(
            entry("spark.hadoop.fs.s3a.endpoint", "http://spark:2"),
            entry("spark.hadoop.a.only.in.core", "1"),
            entry("spark.hadoop.b.in.both", "hdfs"),
            entry("spark.hadoop.dfs.x", "2"));
  }

  @Test
  void withoutAConfigurationFolderOnlySparkHadoopPropertiesAreAdded() {
    for (String none : new String[] {null, ""}) {
      HadoopSettings s = HadoopSettings.of(none, Map.of("spark.hadoop.dfs.replication", "1"));
      assertThat(s.configuration().get("dfs.replication")).isEqualTo("1");
      assertThat(s.sparkProperties()).containsExactly(entry("spark.hadoop.dfs.replication", "1"));
    }
  }

  @Test
  void aFolderWithoutSiteFilesAddsNothing() {
    assertThat(HadoopSettings.of(tmp.toString(), Map.of()).sparkProperties()).isEmpty();
  }

  @Test
  void rejectsAConfigurationFolderThatDoesNotExist() {
    Path missing = tmp.resolve("nope");
    assertThatThrownBy(() -> HadoopSettings.of(missing.toString(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "HADOOP_CONF_DIR="
                + missing
                + " is not a folder: point it to the folder that holds core-site.xml, or unset"
                + " it");
  }

  @Test
  void rejectsAMalformedSiteFileNamingIt() throws Exception {
    Path core = tmp.resolve("core-site.xml");
    Files.writeString(core, "<configuration><property><name>x</name>");
    assertThatThrownBy(() -> HadoopSettings.of(tmp.toString(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot read " + core + " (from HADOOP_CONF_DIR): ")
        .hasMessageEndingWith("; fix the file or unset HADOOP_CONF_DIR");
  }
}
