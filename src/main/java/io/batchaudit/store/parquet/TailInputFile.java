package io.batchaudit.store.parquet;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A file on the store whose length the caller knows (a file it has just written), read for its
 * Parquet footer with as few calls to the store as there can be: the file is opened without asking
 * the store for its status, and its last {@value #TAIL} bytes (the whole of a small file) are read
 * in one positioned read when the stream is opened. Reads before them go to the store. On S3 that
 * is one HEAD (S3A's open) and one GET, where parquet-java's {@code HadoopInputFile.fromPath} makes
 * two HEADs and two GETs (the footer's length, then the footer); on HDFS one read from the DataNode
 * instead of two and no {@code getFileInfo}.
 *
 * <p>A file on the store that is shorter than the length given fails the read ({@link
 * EOFException}); one that is longer has no Parquet footer where the length says. Used by one
 * thread; the caller closes the stream.
 */
final class TailInputFile implements InputFile {
  static final int TAIL = 64 * 1024;

  private final Path path;
  private final Configuration conf;
  private final long length;
  private final int tailSize;

  TailInputFile(Path path, Configuration conf, long length) {
    this(path, conf, length, TAIL);
  }

  /** With a tail of {@code tailSize} bytes (tests: footers longer than the tail). */
  TailInputFile(Path path, Configuration conf, long length, int tailSize) {
    this.path = path;
    this.conf = conf;
    this.length = length;
    this.tailSize = tailSize;
  }

  @Override
  public long getLength() {
    return length;
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    FSDataInputStream in = path.getFileSystem(conf).open(path);
    try {
      int size = (int) Math.min(length, tailSize);
      byte[] tail = new byte[size];
      in.readFully(length - size, tail);
      return new Stream(new Window(in, tail, length - size));
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** The file as an input stream: the tail from memory, anything before it from the store. */
  private static final class Window extends InputStream {
    private final FSDataInputStream in;
    private final byte[] tail;
    private final long tailStart;
    private long pos;

    Window(FSDataInputStream in, byte[] tail, long tailStart) {
      this.in = in;
      this.tail = tail;
      this.tailStart = tailStart;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int n;
      if (pos >= tailStart) {
        int at = (int) (pos - tailStart);
        if (at >= tail.length) {
          return -1;
        }
        n = Math.min(len, tail.length - at);
        System.arraycopy(tail, at, b, off, n);
      } else {
        n = in.read(pos, b, off, (int) Math.min(len, tailStart - pos));
        if (n < 0) {
          throw new EOFException("Unexpected end of " + in + " at " + pos);
        }
      }
      pos += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private static final class Stream extends DelegatingSeekableInputStream {
    private final Window window;

    Stream(Window window) {
      super(window);
      this.window = window;
    }

    @Override
    public long getPos() {
      return window.pos;
    }

    @Override
    public void seek(long newPos) {
      window.pos = newPos;
    }
  }
}
