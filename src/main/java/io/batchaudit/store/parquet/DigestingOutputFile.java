package io.batchaudit.store.parquet;

import io.batchaudit.store.hadoop.Checksums;
import java.io.IOException;
import java.security.MessageDigest;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * An {@link OutputFile} that computes the SHA-256 of everything written through it, so that a
 * sealed file's checksum costs no second read of the file.
 */
final class DigestingOutputFile implements OutputFile {
  private final OutputFile delegate;
  private final MessageDigest digest = Checksums.sha256();
  private long bytes;

  DigestingOutputFile(OutputFile delegate) {
    this.delegate = delegate;
  }

  /** The number of bytes written: the file's length once its stream is closed. */
  long bytes() {
    return bytes;
  }

  /** The SHA-256 of the bytes written, as hex; call once, after the stream is closed. */
  String sha256() {
    return Checksums.hex(digest.digest());
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    return wrap(delegate.create(blockSizeHint));
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    return wrap(delegate.createOrOverwrite(blockSizeHint));
  }

  @Override
  public boolean supportsBlockSize() {
    return delegate.supportsBlockSize();
  }

  @Override
  public long defaultBlockSize() {
    return delegate.defaultBlockSize();
  }

  private PositionOutputStream wrap(PositionOutputStream out) {
    return new PositionOutputStream() {
      @Override
      public long getPos() throws IOException {
        return out.getPos();
      }

      @Override
      public void write(int b) throws IOException {
        digest.update((byte) b);
        out.write(b);
        bytes++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        digest.update(b, off, len);
        out.write(b, off, len);
        bytes += len;
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
