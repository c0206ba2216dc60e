package io.batchaudit.store.parquet;

import io.batchaudit.store.hadoop.Checksums;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * The bytes of one committed file, read from the store once, so that its SHA-256, its footer and
 * its rows all come from the same read: {@code verify} reads each file once instead of twice (once
 * to hash it, once to decode it) and parses each footer once. Committed files are a round's rows of
 * one task (about 100 KB at 2,500 rows of 10-class targets and predictions), so holding one is
 * cheap; compacted files are not read this way.
 *
 * <p>Built and read by one thread (a read-ahead worker). {@link #toString} is the file's path, so
 * that parquet-java's messages about it read as they do for the file itself.
 */
final class FileBytes implements InputFile {
  private final Path path;
  private final byte[] bytes;

  private FileBytes(Path path, byte[] bytes) {
    this.path = path;
    this.bytes = bytes;
  }

  /**
   * Reads {@code path}, expected to hold exactly {@code length} bytes.
   *
   * @return the bytes, or {@code null} when the file holds fewer or more (the caller's check words
   *     what is wrong)
   * @throws IOException when the file cannot be opened or read (missing, for example)
   */
  static FileBytes read(FileSystem fs, Path path, long length) throws IOException {
    if (length < 0 || length > Integer.MAX_VALUE - 8) {
      return null;
    }
    byte[] b = new byte[(int) length];
    try (InputStream in = fs.open(path)) {
      int at = 0;
      while (at < b.length) {
        int n = in.read(b, at, b.length - at);
        if (n < 0) {
          return null; // shorter than committed
        }
        at += n;
      }
      if (in.read() >= 0) {
        return null; // longer than committed
      }
    }
    return new FileBytes(path, b);
  }

  /** The SHA-256 of the bytes, as {@link Checksums#ofFile} gives it for the file. */
  String sha256() {
    return Checksums.hex(Checksums.sha256().digest(bytes));
  }

  @Override
  public long getLength() {
    return bytes.length;
  }

  @Override
  public SeekableInputStream newStream() {
    Bytes in = new Bytes(bytes);
    // parquet-java's adapter gives the reads of a seekable stream over a plain one, as in
    // TailInputFile; only the position is this stream's own
    return new DelegatingSeekableInputStream(in) {
      @Override
      public long getPos() {
        return in.position();
      }

      @Override
      public void seek(long newPos) throws IOException {
        in.seek(newPos);
      }
    };
  }

  @Override
  public String toString() {
    return path.toString();
  }

  /** The bytes as a stream with a position that can be set; seeks past the end read nothing. */
  private static final class Bytes extends ByteArrayInputStream {
    Bytes(byte[] bytes) {
      super(bytes);
    }

    long position() {
      return pos;
    }

    void seek(long newPos) throws EOFException {
      if (newPos < 0 || newPos > count) {
        throw new EOFException("Cannot seek to " + newPos + " in " + count + " bytes");
      }
      pos = (int) newPos;
    }
  }
}
