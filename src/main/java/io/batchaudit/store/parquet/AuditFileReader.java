package io.batchaudit.store.parquet;

import io.batchaudit.internal.AuditLogException;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.Phase;
import io.batchaudit.store.ValueColumn;
import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.VersionParser;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.InputFile;

/**
 * Reads the batches of one audit file in file order (the order its task trained them), grouping
 * consecutive rows with the same key into one {@link AuditBatch}. The file's phase and epoch come
 * from its manifest entry (they are partition columns, not stored in the file).
 *
 * <p>Rows are decoded a row group at a time, column by column, into primitive arrays ({@link
 * DecodedRows}); only the key columns and the value columns asked for are read from the file
 * ({@link ValueColumn}). Memory holds one decoded row group and one batch. The caller closes the
 * reader. A file that cannot be decoded, or whose rows are not grouped by batch in row order,
 * raises {@link AuditLogException} naming the file.
 */
public final class AuditFileReader implements Iterator<AuditBatch>, Closeable {
  /**
   * Where the decoded row groups of a file come from: decoded here, one after the other, or ahead
   * by {@link EpochReader}'s workers. Failures are already {@link AuditLogException}s naming the
   * file.
   */
  interface RowGroups extends Closeable {
    /** The next rows (a row group, or a slice of one), or {@code null} after the last. */
    DecodedRows next();

    /** The value columns the rows carry. */
    Set<ValueColumn> columns();
  }

  private final Path path;
  private final RowGroups source;
  private final Phase phase;
  private final int epoch;
  private final Integer roundFilter;
  private String runId;
  private DecodedRows rows;
  private int at;
  private AuditBatch next;
  private boolean exhausted;
  private Assembly assembly;

  AuditFileReader(Path path, RowGroups source, Phase phase, int epoch, Integer roundFilter) {
    this.path = path;
    this.source = source;
    this.phase = phase;
    this.epoch = epoch;
    this.roundFilter = roundFilter;
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
    return open(conf, path, phase, epoch, round, ValueColumn.ALL);
  }

  /**
   * Opens the file as {@link #open(Configuration, Path, Phase, int, Integer)}, decoding only the
   * value columns {@code columns} (the others' fields of the batches are {@code null}).
   */
  public static AuditFileReader open(
      Configuration conf,
      Path path,
      Phase phase,
      int epoch,
      Integer round,
      Set<ValueColumn> columns) {
    try {
      InputFile file = HadoopInputFile.fromPath(path, conf);
      return new AuditFileReader(
          path, new SequentialRowGroups(file, path, round, columns), phase, epoch, round);
    } catch (IOException | RuntimeException e) {
      throw new AuditLogException("Cannot open audit file " + path + ": " + e.getMessage(), e);
    }
  }

  /** The row count in the footer of {@code path}; the error names the file and the cause. */
  public static long footerRowCount(Configuration conf, Path path) {
    try {
      return footerRowCount(path, HadoopInputFile.fromPath(path, conf));
    } catch (IOException e) {
      throw new AuditLogException(
          "Cannot read the Parquet footer of " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * The row count in the footer of {@code path}, a file of {@code length} bytes (one just written:
   * its length is known, the store is not asked; see {@link TailInputFile}).
   */
  public static long footerRowCount(Configuration conf, Path path, long length) {
    return footerRowCount(path, new TailInputFile(path, conf, length));
  }

  private static long footerRowCount(Path path, InputFile file) {
    try (ParquetFileReader r = ParquetFileReader.open(file)) {
      return r.getRecordCount();
    } catch (IOException | RuntimeException e) {
      throw new AuditLogException(
          "Cannot read the Parquet footer of " + path + ": " + e.getMessage(), e);
    }
  }

  /** The failure to decode {@code path}, as every reader of audit files words it. */
  static AuditLogException decodeFailure(Path path, Exception e) {
    return e instanceof AuditLogException a
        ? a
        : new AuditLogException("Cannot decode audit file " + path + ": " + e.getMessage(), e);
  }

  /** The writer version of a footer, for parquet-java's corrections of old writers' bugs. */
  static VersionParser.ParsedVersion writer(ParquetMetadata footer) {
    try {
      return VersionParser.parse(footer.getFileMetaData().getCreatedBy());
    } catch (VersionParser.VersionParseException | RuntimeException e) {
      return null;
    }
  }

  /** Whether the statistics of {@code block}'s round column exclude {@code round}. */
  static boolean excludes(BlockMetaData block, int round) {
    for (ColumnChunkMetaData c : block.getColumns()) {
      if (c.getPath().size() == 1 && c.getPath().toArray()[0].equals(AuditSchema.ROUND)) {
        Statistics<?> s = c.getStatistics();
        if (s == null || s.isEmpty() || !s.hasNonNullValue()) {
          return false;
        }
        return round < ((Number) s.genericGetMin()).intValue()
            || round > ((Number) s.genericGetMax()).intValue();
      }
    }
    return false;
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

  @Override
  public void close() throws IOException {
    source.close();
  }

  /** Moves to the next row the round filter keeps; false at the end of the file. */
  private boolean haveRow() {
    while (true) {
      if (rows != null && at < rows.count) {
        if (roundFilter == null || rows.round[at] == roundFilter) {
          return true;
        }
        at++;
        continue;
      }
      rows = source.next();
      at = 0;
      if (rows == null) {
        return false;
      }
      rows.fillAbsentKeys();
      if (runId == null && rows.count > 0) {
        runId = rows.runId;
      }
    }
  }

  /**
   * The next batch: the rows from the current one while they carry its key, across row groups (a
   * compacted file's batch may straddle two). With a round filter, rows of other rounds are
   * skipped.
   */
  private AuditBatch readBatch() {
    if (!haveRow()) {
      exhausted = true;
      return null;
    }
    if (assembly == null) {
      assembly = new Assembly(path, source.columns(), rows);
    }
    assembly.start(rows, at, runId, phase, epoch);
    int from = at;
    while (true) {
      int end = assembly.run(rows, from);
      if (end < rows.count) {
        at = end;
        return assembly.build(rows, from, end);
      }
      assembly.append(rows, from, end);
      at = end;
      if (!haveRow()) {
        exhausted = true;
        return assembly.buildAppended();
      }
      if (!assembly.sameBatch(rows, at)) {
        return assembly.buildAppended();
      }
      from = at;
    }
  }

  /**
   * The rows of the batch being assembled. Its key, step, attempt and score are those of its first
   * row; every further row must carry the next row index, and every list the width of the first
   * row's.
   */
  private static final class Assembly {
    private final Path path;
    private final Set<ValueColumn> columns;
    private final String[] names;
    private final int[] widths;
    private final boolean[] anyPresent;
    private final float[][] buffers;
    private long[] ids = new long[64];
    private float[] loss = new float[64];
    private boolean hasLoss;
    private String runId;
    private BatchKey key;
    private long step;
    private int attempt;
    private long taskAttemptId;
    private double score;
    private int size;

    Assembly(Path path, Set<ValueColumn> columns, DecodedRows first) {
      this.path = path;
      this.columns = columns;
      this.names = first.lists.stream().map(DecodedRows.FloatList::name).toArray(String[]::new);
      this.widths = new int[names.length];
      this.anyPresent = new boolean[names.length];
      this.buffers = new float[names.length][];
      for (int i = 0; i < names.length; i++) {
        buffers[i] = new float[256];
      }
    }

    void start(DecodedRows d, int i, String runId, Phase phase, int epoch) {
      this.runId = runId;
      this.key = new BatchKey(epoch, phase, d.round[i], d.batch[i], d.partition[i]);
      this.step = d.step[i];
      this.attempt = d.attempt[i];
      this.taskAttemptId = d.taskAttemptId[i];
      this.score = d.batchScore[i];
      this.hasLoss = d.loss != null;
      this.size = 0;
      for (int l = 0; l < names.length; l++) {
        DecodedRows.FloatList list = d.lists.get(l);
        widths[l] = list.present(i) ? list.length(i) : 0;
        anyPresent[l] = false;
      }
    }

    boolean sameBatch(DecodedRows d, int i) {
      return d.round[i] == key.round()
          && d.batch[i] == key.batch()
          && d.partition[i] == key.partition()
          && d.taskAttemptId[i] == taskAttemptId;
    }

    /**
     * Checks the rows of this batch from {@code from} (the first of them at index {@link #size}
     * counted so far) and returns where the batch ends in {@code d}: the first row of another
     * batch, or {@code d.count}.
     */
    int run(DecodedRows d, int from) {
      int expected = size;
      int i = from;
      boolean first = size == 0;
      for (; i < d.count; i++, expected++) {
        if (i > from || !first) {
          if (!sameBatch(d, i)) {
            break;
          }
          if (d.row[i] != expected) {
            throw new AuditLogException(
                String.format(
                    "Audit file %s: batch %s has row %d where row %d was expected (rows out of"
                        + " order or missing)",
                    path, key, d.row[i], expected));
          }
        }
        checkWidths(d, i);
      }
      return i;
    }

    private void checkWidths(DecodedRows d, int i) {
      for (int l = 0; l < names.length; l++) {
        DecodedRows.FloatList list = d.lists.get(l);
        if (list.present(i)) {
          int n = list.length(i);
          if (n != widths[l]) {
            throw new AuditLogException(
                String.format(
                    "Audit file %s: batch %s column %s has %d values in row %d and %d in row 0",
                    path, key, names[l], n, d.row[i], widths[l]));
          }
          anyPresent[l] = true;
        }
      }
    }

    /** The batch of rows {@code [from, end)} of {@code d}, none appended before: copied once. */
    AuditBatch build(DecodedRows d, int from, int end) {
      if (size > 0) {
        append(d, from, end);
        return buildAppended();
      }
      int n = end - from;
      float[][] values = new float[names.length][];
      for (int l = 0; l < names.length; l++) {
        if (anyPresent[l]) {
          values[l] = copy(d.lists.get(l), from, end, widths[l], new float[n * widths[l]], 0);
        }
      }
      return batch(
          Arrays.copyOfRange(d.sampleId, from, end),
          hasLoss ? Arrays.copyOfRange(d.loss, from, end) : null,
          values,
          n);
    }

    /** Appends rows {@code [from, end)} of {@code d} to the batch's buffers. */
    void append(DecodedRows d, int from, int end) {
      int n = end - from;
      int total = size + n;
      if (total > ids.length) {
        int capacity = Math.max(total, ids.length * 2);
        ids = Arrays.copyOf(ids, capacity);
        loss = Arrays.copyOf(loss, capacity);
      }
      System.arraycopy(d.sampleId, from, ids, size, n);
      if (hasLoss) {
        System.arraycopy(d.loss, from, loss, size, n);
      }
      for (int l = 0; l < names.length; l++) {
        int w = widths[l];
        if ((long) total * w > buffers[l].length) {
          buffers[l] = Arrays.copyOf(buffers[l], Math.max(total * w, buffers[l].length * 2));
        }
        copy(d.lists.get(l), from, end, w, buffers[l], size * w);
      }
      size = total;
    }

    /**
     * Copies the values of rows {@code [from, end)} to {@code out} at {@code offset}, {@code width}
     * per row; a row without the list leaves zeros.
     */
    private static float[] copy(
        DecodedRows.FloatList list, int from, int end, int width, float[] out, int offset) {
      if (list.present() == null) {
        int start = list.offsets()[from];
        System.arraycopy(list.values(), start, out, offset, list.offsets()[end] - start);
        return out;
      }
      for (int i = from; i < end; i++) {
        int at = offset + (i - from) * width;
        if (list.present(i)) {
          System.arraycopy(list.values(), list.offsets()[i], out, at, width);
        } else {
          Arrays.fill(out, at, at + width, 0f);
        }
      }
      return out;
    }

    AuditBatch buildAppended() {
      float[][] values = new float[names.length][];
      for (int l = 0; l < names.length; l++) {
        if (anyPresent[l]) {
          values[l] = Arrays.copyOf(buffers[l], size * widths[l]);
        }
      }
      return batch(
          Arrays.copyOf(ids, size), hasLoss ? Arrays.copyOf(loss, size) : null, values, size);
    }

    private AuditBatch batch(long[] sampleIds, float[] lossValues, float[][] values, int n) {
      Map<String, FloatMatrix> matrices = new LinkedHashMap<>();
      Map<String, FloatMatrix> activations = new LinkedHashMap<>();
      for (int l = 0; l < names.length; l++) {
        if (values[l] != null) {
          FloatMatrix m = new FloatMatrix(n, widths[l], values[l]);
          matrices.put(names[l], m);
          if (names[l].startsWith(AuditSchema.ACTIVATION_PREFIX)) {
            activations.put(names[l].substring(AuditSchema.ACTIVATION_PREFIX.length()), m);
          }
        }
      }
      FloatMatrix targets = matrices.get(AuditSchema.TARGET);
      FloatMatrix predictions = matrices.get(AuditSchema.PREDICTION);
      if (targets == null && columns.contains(ValueColumn.TARGETS)) {
        throw new AuditLogException("Audit file " + path + " has no column " + AuditSchema.TARGET);
      }
      if (predictions == null && columns.contains(ValueColumn.PREDICTIONS)) {
        throw new AuditLogException(
            "Audit file " + path + " has no column " + AuditSchema.PREDICTION);
      }
      return new AuditBatch(
          runId,
          key,
          step,
          attempt,
          taskAttemptId,
          score,
          sampleIds,
          targets,
          predictions,
          matrices.get(AuditSchema.FEATURES),
          matrices.get(AuditSchema.LABEL_MASK),
          lossValues,
          activations);
    }
  }

  /** Decodes the row groups of one file here, one after the other, skipping excluded rounds. */
  private static final class SequentialRowGroups implements RowGroups {
    private final InputFile file;
    private final Path path;
    private final Integer round;
    private final Set<ValueColumn> columns;
    private ParquetFileReader reader;
    private FileProjection projection;
    private VersionParser.ParsedVersion writer;
    private List<BlockMetaData> blocks;
    private int block;

    SequentialRowGroups(InputFile file, Path path, Integer round, Set<ValueColumn> columns) {
      this.file = file;
      this.path = path;
      this.round = round;
      this.columns = Set.copyOf(columns);
    }

    @Override
    public Set<ValueColumn> columns() {
      return columns;
    }

    @Override
    public DecodedRows next() {
      try {
        if (reader == null) {
          reader = ParquetFileReader.open(file);
          ParquetMetadata footer = reader.getFooter();
          projection = FileProjection.of(footer.getFileMetaData().getSchema(), columns);
          reader.setRequestedSchema(projection.schema());
          writer = writer(footer);
          blocks = reader.getRowGroups();
        }
        while (block < blocks.size()) {
          BlockMetaData b = blocks.get(block++);
          if (round != null && excludes(b, round)) {
            reader.skipNextRowGroup();
            continue;
          }
          PageReadStore pages = reader.readNextRowGroup();
          return DecodedRows.decode(pages, projection, writer, b);
        }
        return null;
      } catch (IOException | RuntimeException e) {
        throw decodeFailure(path, e);
      }
    }

    @Override
    public void close() throws IOException {
      if (reader != null) {
        reader.close();
      }
    }
  }
}
