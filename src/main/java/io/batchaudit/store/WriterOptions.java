package io.batchaudit.store;

import java.io.Serializable;
import java.util.Locale;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Parquet writer settings for audit files. Serializable: travels to the executors.
 *
 * @param compression the codec name: {@code uncompressed}, {@code snappy}, {@code gzip} or {@code
 *     zstd}
 * @param rowGroupBytes target row-group size; bounds the writer's buffer per task
 */
public record WriterOptions(String compression, long rowGroupBytes) implements Serializable {

  public static final WriterOptions DEFAULTS = new WriterOptions("snappy", 32L * 1024 * 1024);

  public WriterOptions {
    codec(compression); // validates
    if (rowGroupBytes < 64 * 1024) {
      throw new IllegalArgumentException(
          "Row group size must be at least 65536 bytes, got " + rowGroupBytes);
    }
  }

  CompressionCodecName codec() {
    return codec(compression);
  }

  private static CompressionCodecName codec(String name) {
    switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
      case "uncompressed":
        return CompressionCodecName.UNCOMPRESSED;
      case "snappy":
        return CompressionCodecName.SNAPPY;
      case "gzip":
        return CompressionCodecName.GZIP;
      case "zstd":
        return CompressionCodecName.ZSTD;
      default:
        throw new IllegalArgumentException(
            "Unknown compression '" + name + "': use uncompressed, snappy, gzip or zstd");
    }
  }
}
