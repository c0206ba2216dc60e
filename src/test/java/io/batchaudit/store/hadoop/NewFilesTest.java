package io.batchaudit.store.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.junit.jupiter.api.Test;

/**
 * Which HDFS client creates the log's files. Nothing here reaches a NameNode: an HDFS client
 * connects at its first call, and none is made (HdfsStoreIT writes through it to a real one).
 */
class NewFilesTest {
  private static final URI NAMENODE = URI.create("hdfs://127.0.0.1:9/");

  @Test
  void hdfsFilesAreCreatedByAClientThatAsksAgainAfterTenMilliseconds() throws Exception {
    Configuration conf = new Configuration();
    FileSystem shared = FileSystem.newInstance(NAMENODE, conf); // as a job's Hadoop cache has it
    FileSystem writer = NewFiles.writer(shared, conf);
    assertThat(writer).isNotSameAs(shared).isInstanceOf(DistributedFileSystem.class);
    var client = ((DistributedFileSystem) writer).getClient().getConf();
    assertThat(client.getBlockWriteLocateFollowingInitialDelayMs()).isEqualTo(10);
    assertThat(client.getNumBlockWriteLocateFollowingRetry()).isEqualTo(11);
    var sharedClient = ((DistributedFileSystem) shared).getClient().getConf();
    assertThat(sharedClient.getBlockWriteLocateFollowingInitialDelayMs()).isEqualTo(400);
    assertThat(NewFiles.writer(shared, conf)).isSameAs(writer); // one per file system and user
    shared.close();
  }

  @Test
  void aUsersOwnCloseSettingIsUsedAsItIs() throws Exception {
    for (String key : new String[] {NewFiles.CLOSE_DELAY_KEY, NewFiles.CLOSE_RETRIES_KEY}) {
      Configuration conf = new Configuration();
      conf.set(key, "7");
      FileSystem shared = FileSystem.newInstance(NAMENODE, conf);
      assertThat(NewFiles.writer(shared, conf)).isSameAs(shared);
      shared.close();
    }
  }

  @Test
  void otherFileSystemsAreUsedAsTheyAre() throws Exception {
    Configuration conf = new Configuration();
    FileSystem local = FileSystem.getLocal(conf);
    assertThat(NewFiles.writer(local, conf)).isSameAs(local);
  }
}
