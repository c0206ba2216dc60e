package io.batchaudit.store.hadoop;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * Creates the files of the audit log, exclusively where the store can exclude (an existing file is
 * an error, never overwritten: local disks, HDFS, whose NameNode creates a file only where none
 * is). On an object store (one whose output streams can be aborted, {@code
 * fs.capability.outputstream.abortable}: an object appears only when its stream closes, as with
 * S3A) nothing can: S3A's check is a HEAD request before an upload that becomes visible only at
 * {@code close()}, so two writers of one name would both pass it. There the check is not made (one
 * request less per file: a task attempt's data file and marker are two): every name the log creates
 * is unique to its writer by construction (the run and the Spark task attempt id in a task
 * attempt's file and marker, the generation in a compacted file, a random part in a temporary
 * file), and nothing else writes in the log's folders.
 *
 * <p>On {@code file://} paths it creates them with {@code java.nio} instead of Hadoop's local file
 * system: without Hadoop's native library (Spark distributions do not ship it) Hadoop forks a
 * {@code chmod} process for every file it creates, and its checksum layer writes a {@code .crc}
 * file beside each one: about 4 ms per file each, measured on the project machine, which is most of
 * what a task's staged file used to cost. The audit log needs neither: every file's SHA-256 is in
 * its marker or manifest. Files get the permissions of the process's umask. Every other scheme
 * (hdfs, s3a, ...) goes through its Hadoop {@link FileSystem}.
 *
 * <p>On HDFS the files are created through a {@link DistributedFileSystem} instance of the
 * project's own (one per file system and user in each JVM, closed with Hadoop's other cached
 * instances), whose client asks the NameNode again after {@value #CLOSE_POLL_MS} ms, not Hadoop's
 * 400, whether a closed file is complete. {@code close()} waits until the NameNode has the
 * DataNode's report of the file's last block; that report travels apart from the client's
 * acknowledgement, so the first ask often comes too early (on the project machine for 4 closes in
 * 10), and with Hadoop's default every such close waited 400 ms: most of what a task's two small
 * files (its data file and its marker) cost there. The file is closed with the same guarantee (its
 * last block complete at the NameNode); the client retries {@value #CLOSE_RETRIES} times, up to
 * about 20 s in all (Hadoop's default: 5 times, about 12 s), before {@code close()} fails. A
 * configuration that sets {@value #CLOSE_DELAY_KEY} or {@value #CLOSE_RETRIES_KEY} itself (in
 * {@code hdfs-site.xml} or as {@code spark.hadoop.*}) is used as it is, through Hadoop's shared
 * instance. Every other scheme uses Hadoop's shared instance.
 */
public final class NewFiles {
  /** The HDFS client's first wait before it asks again whether a closed file is complete. */
  static final String CLOSE_DELAY_KEY =
      "dfs.client.block.write.locateFollowingBlock.initial.delay.ms";

  /** How often the HDFS client asks again (each wait doubles the one before). */
  static final String CLOSE_RETRIES_KEY = "dfs.client.block.write.locateFollowingBlock.retries";

  static final int CLOSE_POLL_MS = 10;
  static final int CLOSE_RETRIES = 11; // 10 ms doubled 11 times: 20.5 s of waits in all

  private static final ConcurrentHashMap<List<Object>, FileSystem> WRITERS =
      new ConcurrentHashMap<>();

  private NewFiles() {}

  /** A byte stream to a new file at {@code path}; parent folders are created. */
  public static OutputStream create(Configuration conf, Path path) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    java.nio.file.Path local = localPath(fs, path);
    if (local == null) {
      return writer(fs, conf).create(path, objectStore(fs, path));
    }
    Files.createDirectories(local.getParent());
    return new BufferedOutputStream(
        Files.newOutputStream(local, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        64 * 1024);
  }

  /**
   * A Parquet output file at {@code path}, created (as {@link #create}) when the writer opens it.
   */
  public static OutputFile parquet(Configuration conf, Path path) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    java.nio.file.Path local = localPath(fs, path);
    if (local == null) {
      return hadoop(writer(fs, conf), path);
    }
    return new OutputFile() {
      @Override
      public PositionOutputStream create(long blockSizeHint) throws IOException {
        return positioned(NewFiles.create(conf, path));
      }

      @Override
      public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
        throw new UnsupportedOperationException("audit files are never overwritten: " + path);
      }

      @Override
      public boolean supportsBlockSize() {
        return false;
      }

      @Override
      public long defaultBlockSize() {
        return 0;
      }
    };
  }

  /** As parquet-java's {@code HadoopOutputFile}, through {@code fs}. */
  private static OutputFile hadoop(FileSystem fs, Path path) {
    return new OutputFile() {
      @Override
      public PositionOutputStream create(long blockSizeHint) throws IOException {
        return HadoopStreams.wrap(
            fs.create(
                path,
                objectStore(fs, path),
                4096,
                fs.getDefaultReplication(path),
                Math.max(fs.getDefaultBlockSize(path), blockSizeHint)));
      }

      @Override
      public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
        throw new UnsupportedOperationException("audit files are never overwritten: " + path);
      }

      @Override
      public boolean supportsBlockSize() {
        return true;
      }

      @Override
      public long defaultBlockSize() {
        return fs.getDefaultBlockSize(path);
      }

      @Override
      public String getPath() {
        return path.toString();
      }
    };
  }

  /**
   * The file system that creates the project's files on {@code fs}: on HDFS the project's own
   * instance (see the class comment), unless the configuration sets the close polling itself;
   * {@code fs} otherwise.
   */
  static FileSystem writer(FileSystem fs, Configuration conf) throws IOException {
    if (!(fs instanceof DistributedFileSystem)
        || setByUser(conf, CLOSE_DELAY_KEY)
        || setByUser(conf, CLOSE_RETRIES_KEY)) {
      return fs;
    }
    List<Object> key = List.of(fs.getUri(), UserGroupInformation.getCurrentUser());
    FileSystem own = WRITERS.get(key);
    if (own instanceof DistributedFileSystem d && d.getClient().isClientRunning()) {
      return own;
    }
    synchronized (WRITERS) {
      own = WRITERS.get(key);
      if (!(own instanceof DistributedFileSystem d && d.getClient().isClientRunning())) {
        // closed by FileSystem.closeAll (a shutdown hook, a test's server stop): a new one
        Configuration c = new Configuration(conf);
        c.setInt(CLOSE_DELAY_KEY, CLOSE_POLL_MS);
        c.setInt(CLOSE_RETRIES_KEY, CLOSE_RETRIES);
        own = FileSystem.newInstance(fs.getUri(), c);
        WRITERS.put(key, own);
      }
      return own;
    }
  }

  /** Whether {@code fs} is an object store, where no create excludes another (see above). */
  private static boolean objectStore(FileSystem fs, Path path) throws IOException {
    return fs.hasPathCapability(path, CommonPathCapabilities.ABORTABLE_STREAM);
  }

  /** Whether {@code key} has a value from somewhere else than Hadoop's default files. */
  private static boolean setByUser(Configuration conf, String key) {
    String[] sources = conf.getPropertySources(key);
    if (sources == null) {
      return false;
    }
    for (String source : sources) {
      if (!source.endsWith("-default.xml")) {
        return true;
      }
    }
    return false;
  }

  /** The local file behind {@code path}, or {@code null} when {@code fs} is not the local one. */
  private static java.nio.file.Path localPath(FileSystem fs, Path path) {
    if (!(fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem)) {
      return null;
    }
    return java.nio.file.Path.of(fs.makeQualified(path).toUri());
  }

  private static PositionOutputStream positioned(OutputStream out) {
    return new PositionOutputStream() {
      private long pos;

      @Override
      public long getPos() {
        return pos;
      }

      @Override
      public void write(int b) throws IOException {
        out.write(b);
        pos++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        pos += len;
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        out.close();
      }
    };
  }
}
