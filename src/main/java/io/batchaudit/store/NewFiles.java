package io.batchaudit.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * Creates the files of the audit log, exclusively (an existing file is an error, never
 * overwritten).
 *
 * <p>On {@code file://} paths it creates them with {@code java.nio} instead of Hadoop's local file
 * system: without Hadoop's native library (Spark distributions do not ship it) Hadoop forks a
 * {@code chmod} process for every file it creates, and its checksum layer writes a {@code .crc}
 * file beside each one: about 4 ms per file each, measured on the project machine, which is most of
 * what a task's staged file used to cost. The audit log needs neither: every file's SHA-256 is in
 * its marker or manifest. Files get the permissions of the process's umask. Every other scheme
 * (hdfs, s3a, ...) goes through its Hadoop {@link FileSystem}.
 */
public final class NewFiles {
  private NewFiles() {}

  /** A byte stream to a new file at {@code path}; parent folders are created. */
  public static OutputStream create(Configuration conf, Path path) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    java.nio.file.Path local = localPath(fs, path);
    if (local == null) {
      return fs.create(path, false);
    }
    Files.createDirectories(local.getParent());
    return new BufferedOutputStream(
        Files.newOutputStream(local, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        64 * 1024);
  }

  /** A Parquet output file at {@code path}, created exclusively when the writer opens it. */
  static OutputFile parquet(Configuration conf, Path path) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    java.nio.file.Path local = localPath(fs, path);
    if (local == null) {
      return HadoopOutputFile.fromPath(path, conf);
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
