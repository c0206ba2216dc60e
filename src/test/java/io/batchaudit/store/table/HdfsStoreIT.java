package io.batchaudit.store.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.store.hadoop.HadoopSettings;
import io.batchaudit.testing.Processes;
import io.batchaudit.testing.StoreServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The jobs on a real HDFS (jobs/hdfs: a NameNode and a DataNode in a JVM of their own). Its
 * HADOOP_CONF_DIR sets one replica per block, where HDFS's default is three: every file the job
 * wrote, on the driver (model, summary, run.json, manifests, compacted files) and in its tasks,
 * having one replica proves the settings reached all of them.
 */
class HdfsStoreIT extends StoreJobsTestBase {
  @Override
  StoreServer start(Path logDir) {
    return StoreServer.startHdfs(logDir);
  }

  @Override
  CommitProtocol protocol() {
    return CommitProtocol.RENAME; // HDFS renames a folder atomically
  }

  @Override
  void assertWrittenWithTheStoresSettings(LocatedFileStatus file) {
    assertThat(file.getReplication()).as("replication of " + file.getPath()).isEqualTo((short) 1);
  }

  @Test
  @Order(4)
  void aHadoopConfDirThatIsNotAFolderIsRefusedWithExitCode2AndOneLine() {
    Path missing = tmp.resolve("no-such-conf");
    Processes.Result r =
        cli(
            "bad-conf-dir",
            Map.of(HadoopSettings.CONF_DIR, missing.toString()),
            List.of(),
            "verify",
            iris.audit());
    assertThat(r.code()).as(r.output()).isEqualTo(2);
    assertThat(r.output().lines().filter(l -> !l.isBlank()))
        .containsExactly(
            "error: HADOOP_CONF_DIR="
                + missing
                + " is not a folder: point it to the folder that holds core-site.xml, or unset"
                + " it");
  }
}
