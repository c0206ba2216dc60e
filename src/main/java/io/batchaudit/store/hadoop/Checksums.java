package io.batchaudit.store.hadoop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** SHA-256 fingerprints of files and float arrays, as lower-case hex. */
public final class Checksums {
  private Checksums() {}

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM has no SHA-256", e);
    }
  }

  /** SHA-256 of a file's bytes, streamed. */
  public static String ofFile(FileSystem fs, Path path) throws IOException {
    MessageDigest md = sha256();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = fs.open(path)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        md.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** Feeds floats to a digest as little-endian float32. */
  public static void update(MessageDigest md, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    md.update(b.array());
  }

  /** SHA-256 of floats as little-endian float32. */
  public static String ofFloats(float[] values) {
    MessageDigest md = sha256();
    update(md, values);
    return hex(md.digest());
  }

  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }
}
