package io.batchaudit.store.parquet;

import io.batchaudit.store.ValueColumn;
import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.VersionParser;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Read-only columnar access to one audit file for aggregations that need no batches: the rows of
 * the file in file order, a slice of at most {@link #SLICE_ROWS} rows at a time, decoded by the
 * same column decoders as {@link AuditFileReader} ({@link DecodedRows}) straight into primitive
 * arrays. Only the key columns {@code sample_id, round, batch, partition, row, step} and the value
 * columns asked for are read from the file; rows are neither grouped into batches nor checked for
 * batch order (that is {@link AuditFileReader}'s job, whose behaviour this class does not change).
 *
 * <p>Ownership: the arrays of a {@link Slice} belong to the caller once {@link #next} returned it
 * (each slice has arrays of its own); they must be treated as read-only views of the file. Memory
 * holds the compressed column chunks of one row group and one slice. One thread; the caller closes.
 * A file that cannot be decoded raises {@link io.batchaudit.internal.AuditLogException} naming it.
 */
public final class ColumnSlices implements Iterator<ColumnSlices.Slice>, Closeable {
  /** The most rows a slice holds (as {@link EpochReader}'s slices of a compacted row group). */
  public static final int SLICE_ROWS = EpochReader.SLICE_ROWS;

  private static final Set<String> KEYS =
      Set.of(
          AuditSchema.SAMPLE_ID,
          AuditSchema.ROUND,
          AuditSchema.BATCH,
          AuditSchema.PARTITION,
          AuditSchema.ROW,
          AuditSchema.STEP);

  private final Path path;
  private final ParquetFileReader reader;
  private final FileProjection projection;
  private final VersionParser.ParsedVersion writer;
  private final List<BlockMetaData> blocks;
  private int block;
  private DecodedRows.Cursor cursor;
  private Slice next;

  private ColumnSlices(Path path, ParquetFileReader reader, Set<ValueColumn> values) {
    this.path = path;
    this.reader = reader;
    ParquetMetadata footer = reader.getFooter();
    FileProjection all = FileProjection.of(footer.getFileMetaData().getSchema(), values);
    List<ColumnDescriptor> keys =
        all.scalars().stream().filter(c -> KEYS.contains(c.getPath()[0])).toList();
    this.projection = all.part(keys, all.lists());
    reader.setRequestedSchema(projection.schema());
    this.writer = AuditFileReader.writer(footer);
    this.blocks = reader.getRowGroups();
  }

  /**
   * Opens {@code path} to read its key columns and the value columns {@code values} (only {@link
   * ValueColumn#TARGETS} and {@link ValueColumn#PREDICTIONS} are offered by {@link Slice#list}).
   */
  public static ColumnSlices open(Configuration conf, Path path, Set<ValueColumn> values) {
    ParquetFileReader r = null;
    try {
      r = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf));
      return new ColumnSlices(path, r, values);
    } catch (IOException | RuntimeException e) {
      if (r != null) {
        try {
          r.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw AuditFileReader.decodeFailure(path, e);
    }
  }

  /**
   * The smallest and largest {@code sample_id} of {@code path} as {@code {min, max}}, from the
   * footer's row-group statistics (a row group without them is decoded), or {@code null} for a file
   * without rows.
   */
  public static long[] sampleIdRange(Configuration conf, Path path) {
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf))) {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      boolean decode = false;
      for (BlockMetaData b : r.getRowGroups()) {
        if (b.getRowCount() == 0) {
          continue;
        }
        Statistics<?> s = sampleIdStatistics(b);
        if (s == null || s.isEmpty() || !s.hasNonNullValue()) {
          decode = true;
          break;
        }
        min = Math.min(min, ((Number) s.genericGetMin()).longValue());
        max = Math.max(max, ((Number) s.genericGetMax()).longValue());
      }
      if (decode) {
        min = Long.MAX_VALUE;
        max = Long.MIN_VALUE;
        try (ColumnSlices slices = open(conf, path, ValueColumn.NONE)) {
          while (slices.hasNext()) {
            for (long id : slices.next().sampleIds()) {
              min = Math.min(min, id);
              max = Math.max(max, id);
            }
          }
        }
      }
      return min > max ? null : new long[] {min, max};
    } catch (IOException | RuntimeException e) {
      throw AuditFileReader.decodeFailure(path, e);
    }
  }

  private static Statistics<?> sampleIdStatistics(BlockMetaData block) {
    for (ColumnChunkMetaData c : block.getColumns()) {
      if (c.getPath().size() == 1 && c.getPath().toArray()[0].equals(AuditSchema.SAMPLE_ID)) {
        return c.getStatistics();
      }
    }
    return null;
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    try {
      while (cursor == null || cursor.left() == 0) {
        if (block == blocks.size()) {
          return false;
        }
        BlockMetaData b = blocks.get(block++);
        PageReadStore pages = reader.readNextRowGroup();
        cursor = new DecodedRows.Cursor(pages, projection, writer, b);
      }
      DecodedRows d = cursor.next(Math.min(SLICE_ROWS, cursor.left()));
      d.fillAbsentKeys();
      next = new Slice(d);
      return true;
    } catch (IOException | RuntimeException e) {
      throw AuditFileReader.decodeFailure(path, e);
    }
  }

  @Override
  public Slice next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Slice s = next;
    next = null;
    return s;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  /**
   * A decoded float-list column of a slice: row {@code i}'s values are {@code values[offsets[i] ..
   * offsets[i + 1])}; {@code present} is {@code null} when the list is required, otherwise says
   * whether row {@code i} has a list (an absent list has no values).
   */
  public record FloatList(float[] values, int[] offsets, boolean[] present) {
    /** The number of values of row {@code row}. */
    public int length(int row) {
      return offsets[row + 1] - offsets[row];
    }

    /** Whether row {@code row} has a list. */
    public boolean present(int row) {
      return present == null || present[row];
    }
  }

  /**
   * Consecutive rows of one file, column by column; a key column the file lacks reads as 0 (as
   * {@link AuditFileReader} reads it).
   */
  public static final class Slice {
    private final DecodedRows rows;

    private Slice(DecodedRows rows) {
      this.rows = rows;
    }

    /** The number of rows. */
    public int count() {
      return rows.count;
    }

    public long[] sampleIds() {
      return rows.sampleId;
    }

    public int[] rounds() {
      return rows.round;
    }

    public int[] batches() {
      return rows.batch;
    }

    public int[] partitions() {
      return rows.partition;
    }

    /** The {@code row} column: each row's index in its batch. */
    public int[] rowIndexes() {
      return rows.row;
    }

    public long[] steps() {
      return rows.step;
    }

    /**
     * The list column of {@code column} ({@link ValueColumn#TARGETS} or {@link
     * ValueColumn#PREDICTIONS}), or {@code null} when it was not asked for or the file lacks it.
     */
    public FloatList list(ValueColumn column) {
      String name =
          switch (column) {
            case TARGETS -> AuditSchema.TARGET;
            case PREDICTIONS -> AuditSchema.PREDICTION;
            default ->
                throw new IllegalArgumentException(
                    "Slice.list offers targets and predictions, not " + column);
          };
      for (DecodedRows.FloatList l : rows.lists) {
        if (l.name().equals(name)) {
          return new FloatList(l.values(), l.offsets(), l.present());
        }
      }
      return null;
    }
  }
}
