package io.batchaudit.store.parquet;

import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.OptionalColumns;
import io.batchaudit.store.hadoop.NewFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;

/**
 * Writes the batches of one task attempt to one new Parquet file. All batches of a file belong to
 * one phase and epoch (which the folder name, not the file, records).
 *
 * <p>Runs on an executor, in the task's thread. The file is created exclusively where the store can
 * exclude ({@link NewFiles}; an existing file is an error, never overwritten). Memory is bounded by
 * one row group ({@link WriterOptions#rowGroupBytes()}). Rows are written in the order of the
 * {@link #write} calls, which the capture code makes batch order. Not thread-safe.
 */
public final class AuditFileWriter implements Closeable {
  /** Footer key holding the run id, so that a lone file still says where it comes from. */
  public static final String RUN_ID_METADATA_KEY = "batch_audit.run_id";

  private final Path path;
  private final ParquetWriter<AuditWriteSupport.RowCursor> writer;
  private final DigestingOutputFile file;
  private String sha256;
  private final AuditWriteSupport.RowCursor cursor = new AuditWriteSupport.RowCursor();
  private long rows;
  private int batches;
  private BatchKey first;
  private boolean closed;

  private AuditFileWriter(
      Path path, ParquetWriter<AuditWriteSupport.RowCursor> writer, DigestingOutputFile file) {
    this.path = path;
    this.writer = writer;
    this.file = file;
  }

  /** Creates {@code path}; fails if it exists, where the store can tell ({@link NewFiles}). */
  public static AuditFileWriter create(
      Configuration conf,
      Path path,
      String runId,
      OptionalColumns optional,
      WriterOptions options) {
    AuditWriteSupport support = new AuditWriteSupport(optional, Map.of(RUN_ID_METADATA_KEY, runId));
    try {
      DigestingOutputFile out = new DigestingOutputFile(NewFiles.parquet(conf, path));
      Builder b =
          new Builder(out, support)
              .withConf(conf)
              .withWriteMode(ParquetFileWriter.Mode.CREATE)
              .withCompressionCodec(options.codec())
              .withRowGroupSize(options.rowGroupBytes())
              .withDictionaryEncoding(true)
              .withDictionaryEncoding(AuditSchema.SAMPLE_ID, false)
              .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0);
      if (!options.floatDictionary()) {
        // real-valued floats rarely repeat: a dictionary is built, then abandoned, per page
        for (String column : AuditSchema.floatListColumns(optional)) {
          if (!column.equals(AuditSchema.TARGET)) {
            b.withDictionaryEncoding(column + ".list.element", false);
          }
        }
      }
      ParquetWriter<AuditWriteSupport.RowCursor> w = b.build();
      AuditFileWriter writer = new AuditFileWriter(path, w, out);
      writer.cursor.runId = Binary.fromString(runId);
      return writer;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create audit file " + path + ": " + e.getMessage(), e);
    }
  }

  /** Appends one row per example of {@code batch}. */
  public void write(AuditBatch batch) {
    if (closed) {
      throw new IllegalStateException("Audit file " + path + " is closed");
    }
    BatchKey k = batch.key();
    if (batch.targets() == null || batch.predictions() == null) {
      throw new IllegalArgumentException(
          "Batch "
              + k
              + " has no "
              + (batch.targets() == null ? "targets" : "predictions")
              + ": a batch read with a column projection cannot be written (read it with"
              + " ValueColumn.ALL)");
    }
    if (first == null) {
      first = k;
    } else if (k.epoch() != first.epoch() || k.phase() != first.phase()) {
      throw new IllegalArgumentException(
          "Audit file "
              + path
              + " holds "
              + first.phase().label()
              + " epoch "
              + first.epoch()
              + "; batch "
              + k
              + " belongs to another file");
    }
    cursor.batch = batch;
    try {
      for (int r = 0; r < batch.size(); r++) {
        cursor.row = r;
        writer.write(cursor);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write to audit file " + path + ": " + e.getMessage(), e);
    }
    rows += batch.size();
    batches++;
  }

  /** Bytes written so far plus the buffered row group, as parquet-java estimates it. */
  public long dataSize() {
    return writer.getDataSize();
  }

  /** SHA-256 of the file's bytes, computed while writing; available after {@link #close()}. */
  public String sha256() {
    if (sha256 == null) {
      throw new IllegalStateException("Audit file " + path + " is not closed yet");
    }
    return sha256;
  }

  /**
   * The file's length, counted while writing (no call to the store); available after {@link
   * #close()}.
   */
  public long bytes() {
    if (sha256 == null) {
      throw new IllegalStateException("Audit file " + path + " is not closed yet");
    }
    return file.bytes();
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  /** Batches written so far. */
  public int batches() {
    return batches;
  }

  public Path path() {
    return path;
  }

  /** Flushes the last row group and writes the footer. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writer.close();
      sha256 = file.sha256();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close audit file " + path + ": " + e.getMessage(), e);
    }
  }

  private static final class Builder
      extends ParquetWriter.Builder<AuditWriteSupport.RowCursor, Builder> {
    private final AuditWriteSupport support;

    Builder(org.apache.parquet.io.OutputFile file, AuditWriteSupport support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<AuditWriteSupport.RowCursor> getWriteSupport(Configuration conf) {
      return support;
    }
  }
}
