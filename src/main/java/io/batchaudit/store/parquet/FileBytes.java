package io.batchaudit.store.parquet;

import io.batchaudit.store.hadoop.Checksums;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
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
    return new Stream(bytes);
  }

  @Override
  public String toString() {
    return path.toString();
  }

  /** A stream over the bytes; seeks past the end read nothing, as a file's stream does. */
  private static final class Stream extends SeekableInputStream {
    private final byte[] bytes;
    private int pos;

    Stream(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void seek(long newPos) throws IOException {
      if (newPos < 0 || newPos > bytes.length) {
        throw new EOFException("Cannot seek to " + newPos + " in " + bytes.length + " bytes");
      }
      pos = (int) newPos;
    }

    @Override
    public int read() {
      return pos < bytes.length ? bytes[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      int n = Math.min(len, bytes.length - pos);
      if (n <= 0) {
        return -1;
      }
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public void readFully(byte[] b) throws IOException {
      readFully(b, 0, b.length);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
      if (len > bytes.length - pos) {
        throw new EOFException(
            "Reached the end of the file with " + (len - (bytes.length - pos)) + " bytes left");
      }
      System.arraycopy(bytes, pos, b, off, len);
      pos += len;
    }

    @Override
    public int read(ByteBuffer buf) {
      int n = Math.min(buf.remaining(), bytes.length - pos);
      if (n <= 0) {
        return buf.hasRemaining() ? -1 : 0;
      }
      buf.put(bytes, pos, n);
      pos += n;
      return n;
    }

    @Override
    public void readFully(ByteBuffer buf) throws IOException {
      int n = buf.remaining();
      if (n > bytes.length - pos) {
        throw new EOFException(
            "Reached the end of the file with " + (n - (bytes.length - pos)) + " bytes left");
      }
      buf.put(bytes, pos, n);
      pos += n;
    }
  }
}
