package io.batchaudit.store;

import io.batchaudit.internal.AuditLogException;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.InputFile;

/**
 * Reads the batches of one audit file in file order (the order its task trained them), grouping
 * consecutive rows with the same key into one {@link AuditBatch}. The file's phase and epoch come
 * from its manifest entry (they are partition columns, not stored in the file).
 *
 * <p>Memory holds one batch at a time. The caller closes the reader. A file that cannot be decoded,
 * or whose rows are not grouped by batch in row order, raises {@link AuditLogException} naming the
 * file.
 */
public final class AuditFileReader implements Iterator<AuditBatch>, Closeable {
  private final Path path;
  private final ParquetReader<AuditReadSupport.Row> reader;
  private AuditReadSupport.Row pending;
  private AuditBatch next;
  private boolean exhausted;
  private final Phase phase;
  private final int epoch;
  private String runId;

  private AuditFileReader(
      Path path, ParquetReader<AuditReadSupport.Row> reader, Phase phase, int epoch) {
    this.path = path;
    this.reader = reader;
    this.phase = phase;
    this.epoch = epoch;
  }

  /** Opens the file of {@code phase} and {@code epoch} at {@code path}. */
  public static AuditFileReader open(Configuration conf, Path path, Phase phase, int epoch) {
    return open(conf, path, phase, epoch, null);
  }

  /**
   * Opens the file of {@code phase} and {@code epoch} at {@code path}; with {@code round} not null,
   * only that round's rows are decoded (row groups whose statistics exclude it are skipped).
   */
  public static AuditFileReader open(
      Configuration conf, Path path, Phase phase, int epoch, Integer round) {
    try {
      InputFile file = HadoopInputFile.fromPath(path, conf);
      Builder builder = new Builder(file);
      builder.withConf(conf);
      if (round != null) {
        builder.withFilter(
            org.apache.parquet.filter2.compat.FilterCompat.get(
                org.apache.parquet.filter2.predicate.FilterApi.eq(
                    org.apache.parquet.filter2.predicate.FilterApi.intColumn(AuditSchema.ROUND),
                    round)));
      }
      ParquetReader<AuditReadSupport.Row> reader = builder.build();
      return new AuditFileReader(path, reader, phase, epoch);
    } catch (IOException | RuntimeException e) {
      throw new AuditLogException("Cannot open audit file " + path + ": " + e.getMessage(), e);
    }
  }

  /** The row count in the footer of {@code path}; the error names the file and the cause. */
  public static long footerRowCount(Configuration conf, Path path) {
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf))) {
      return r.getRecordCount();
    } catch (IOException | RuntimeException e) {
      throw new AuditLogException(
          "Cannot read the Parquet footer of " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean hasNext() {
    if (next == null && !exhausted) {
      next = readBatch();
    }
    return next != null;
  }

  @Override
  public AuditBatch next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    AuditBatch b = next;
    next = null;
    return b;
  }

  private AuditReadSupport.Row readRow() {
    try {
      return reader.read();
    } catch (IOException | RuntimeException e) {
      throw new AuditLogException("Cannot decode audit file " + path + ": " + e.getMessage(), e);
    }
  }

  private AuditBatch readBatch() {
    AuditReadSupport.Row row = pending != null ? pending : readRow();
    pending = null;
    if (row == null) {
      exhausted = true;
      return null;
    }
    if (runId == null) {
      runId = row.runId.toStringUsingUTF8();
    }
    Assembly a = new Assembly(row, runId, phase, epoch);
    while (true) {
      AuditReadSupport.Row r = readRow();
      if (r == null) {
        exhausted = true;
        break;
      }
      if (!a.sameBatch(r)) {
        pending = r;
        break;
      }
      a.add(r, path);
    }
    return a.build();
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  /** Collects the rows of one batch. Captures the key from its first row. */
  private static final class Assembly {
    private final String runId;
    private final BatchKey key;
    private final long step;
    private final int attempt;
    private final long taskAttemptId;
    private final double score;
    private final String[] listNames;
    private final int[] widths;
    private final float[][] lists;
    private final boolean[] anyPresent;
    private final boolean hasLoss;
    private long[] sampleIds = new long[8];
    private float[] loss = new float[8];
    private int rows;

    Assembly(AuditReadSupport.Row first, String runId, Phase phase, int epoch) {
      this.runId = runId;
      this.key = new BatchKey(epoch, phase, first.round, first.batch, first.partition);
      this.step = first.step;
      this.attempt = first.attempt;
      this.taskAttemptId = first.taskAttemptId;
      this.score = first.batchScore;
      this.listNames = first.listNames;
      this.hasLoss = first.hasLoss;
      this.widths = new int[listNames.length];
      this.lists = new float[listNames.length][];
      this.anyPresent = new boolean[listNames.length];
      for (int i = 0; i < listNames.length; i++) {
        widths[i] = first.lists[i].size;
        lists[i] = new float[Math.max(16, widths[i] * 8)];
      }
      addUnchecked(first);
    }

    boolean sameBatch(AuditReadSupport.Row r) {
      return r.round == key.round()
          && r.batch == key.batch()
          && r.partition == key.partition()
          && r.taskAttemptId == taskAttemptId;
    }

    void add(AuditReadSupport.Row r, Path path) {
      if (r.row != rows) {
        throw new AuditLogException(
            String.format(
                "Audit file %s: batch %s has row %d where row %d was expected (rows out of order"
                    + " or missing)",
                path, key, r.row, rows));
      }
      for (int i = 0; i < listNames.length; i++) {
        if (r.listPresent[i] && r.lists[i].size != widths[i]) {
          throw new AuditLogException(
              String.format(
                  "Audit file %s: batch %s column %s has %d values in row %d and %d in row 0",
                  path, key, listNames[i], r.lists[i].size, r.row, widths[i]));
        }
      }
      addUnchecked(r);
    }

    private void addUnchecked(AuditReadSupport.Row r) {
      if (rows == sampleIds.length) {
        sampleIds = Arrays.copyOf(sampleIds, rows * 2);
        loss = Arrays.copyOf(loss, rows * 2);
      }
      sampleIds[rows] = r.sampleId;
      loss[rows] = r.loss;
      for (int i = 0; i < listNames.length; i++) {
        int w = widths[i];
        int needed = (rows + 1) * w;
        if (needed > lists[i].length) {
          lists[i] = Arrays.copyOf(lists[i], Math.max(needed, lists[i].length * 2));
        }
        if (r.listPresent[i]) {
          anyPresent[i] = true;
          System.arraycopy(r.lists[i].values, 0, lists[i], rows * w, w);
        }
      }
      rows++;
    }

    AuditBatch build() {
      Map<String, FloatMatrix> matrices = new LinkedHashMap<>();
      for (int i = 0; i < listNames.length; i++) {
        if (anyPresent[i]) {
          matrices.put(
              listNames[i],
              new FloatMatrix(rows, widths[i], Arrays.copyOf(lists[i], rows * widths[i])));
        }
      }
      Map<String, FloatMatrix> activations = new LinkedHashMap<>();
      List<String> names = new ArrayList<>(matrices.keySet());
      for (String name : names) {
        if (name.startsWith(AuditSchema.ACTIVATION_PREFIX)) {
          activations.put(
              name.substring(AuditSchema.ACTIVATION_PREFIX.length()), matrices.get(name));
        }
      }
      return new AuditBatch(
          runId,
          key,
          step,
          attempt,
          taskAttemptId,
          score,
          Arrays.copyOf(sampleIds, rows),
          matrices.get(AuditSchema.TARGET),
          matrices.get(AuditSchema.PREDICTION),
          matrices.get(AuditSchema.FEATURES),
          matrices.get(AuditSchema.LABEL_MASK),
          hasLoss ? Arrays.copyOf(loss, rows) : null,
          activations);
    }
  }

  private static final class Builder extends ParquetReader.Builder<AuditReadSupport.Row> {
    Builder(InputFile file) {
      super(file);
    }

    @Override
    protected ReadSupport<AuditReadSupport.Row> getReadSupport() {
      return new AuditReadSupport();
    }
  }
}
