package io.batchaudit.store.parquet;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.VersionParser;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.api.PrimitiveConverter;

/**
 * The rows of one row group of an audit file, or of some of its columns, decoded column by column
 * straight into primitive arrays with parquet-java's column-level API ({@link ColumnReaderImpl}):
 * no record is materialized, nothing is boxed. A key column the part did not decode is {@code
 * null}; {@link #merge} joins the parts of one row group.
 *
 * <p>Built by one thread (a read-ahead worker), then handed over to the thread that assembles the
 * batches, which only reads it.
 */
final class DecodedRows {
  /**
   * One decoded float-list column: row {@code i}'s values are {@code values[offsets[i] ..
   * offsets[i+1])}; {@code present} is null when the list is required (every row has one).
   */
  record FloatList(String name, float[] values, int[] offsets, boolean[] present) {
    int length(int row) {
      return offsets[row + 1] - offsets[row];
    }

    boolean present(int row) {
      return present == null || present[row];
    }
  }

  private static final PrimitiveConverter NO_CONVERTER = new PrimitiveConverter() {};

  final int count;
  String runId;
  int[] round;
  int[] partition;
  int[] batch;
  long[] step;
  int[] attempt;
  long[] taskAttemptId;
  int[] row;
  long[] sampleId;
  double[] batchScore;
  float[] loss;
  final List<FloatList> lists = new ArrayList<>();

  private DecodedRows(int count) {
    this.count = count;
  }

  /**
   * Decodes the columns of {@code part} from {@code pages}, the column chunks of one row group.
   *
   * @param writer the file's writer version (parquet-java corrects known bugs of old writers by
   *     it), or {@code null}
   * @param block the row group's metadata: float lists whose encodings {@link ListPages} handles
   *     are decoded by it, page by page in bulk; {@code null}: every column value by value
   */
  static DecodedRows decode(
      PageReadStore pages,
      FileProjection part,
      VersionParser.ParsedVersion writer,
      BlockMetaData block) {
    Cursor c = new Cursor(pages, part, writer, block);
    return c.next(c.rows);
  }

  /**
   * Decodes the rows of one row group's columns {@code part} a slice at a time, so that a large row
   * group is never decoded whole into memory. One thread at a time.
   */
  static final class Cursor {
    private final FileProjection part;
    private final ColumnReaderImpl[] scalars;
    private final ScalarPages[] fastScalars;
    private final ColumnReaderImpl[] lists;
    private final ListPages[] fast;
    private final long[] listValuesLeft;
    final int rows;
    private int done;

    Cursor(
        PageReadStore pages,
        FileProjection part,
        VersionParser.ParsedVersion writer,
        BlockMetaData block) {
      long n = pages.getRowCount();
      if (n > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("Row group of " + n + " rows is too large");
      }
      this.rows = (int) n;
      this.part = part;
      this.scalars = new ColumnReaderImpl[part.scalars().size()];
      this.fastScalars = new ScalarPages[scalars.length];
      for (int i = 0; i < scalars.length; i++) {
        ColumnDescriptor c = part.scalars().get(i);
        if (ScalarPages.handles(block, c) && !c.getPath()[0].equals(AuditSchema.RUN_ID)) {
          fastScalars[i] = new ScalarPages(c, pages.getPageReader(c));
        } else {
          scalars[i] = new ColumnReaderImpl(c, pages.getPageReader(c), NO_CONVERTER, writer);
        }
      }
      this.lists = new ColumnReaderImpl[part.lists().size()];
      this.fast = new ListPages[lists.length];
      this.listValuesLeft = new long[lists.length];
      for (int i = 0; i < lists.length; i++) {
        ColumnDescriptor c = part.lists().get(i).leaf();
        PageReader pageReader = pages.getPageReader(c);
        listValuesLeft[i] = pageReader.getTotalValueCount();
        if (ListPages.handles(block, c)) {
          fast[i] = new ListPages(c, pageReader);
        } else {
          lists[i] = new ColumnReaderImpl(c, pageReader, NO_CONVERTER, writer);
        }
      }
    }

    /** Rows of the row group not decoded yet. */
    int left() {
      return rows - done;
    }

    /** Decodes the next {@code n} rows (at most {@link #left}). */
    DecodedRows next(int n) {
      if (n > left()) {
        throw new IllegalArgumentException(n + " rows asked, " + left() + " left");
      }
      DecodedRows d = new DecodedRows(n);
      for (int i = 0; i < scalars.length; i++) {
        if (fastScalars[i] != null) {
          d.decodeScalar(fastScalars[i], part.scalars().get(i));
        } else {
          d.decodeScalar(scalars[i], part.scalars().get(i), done == 0);
        }
      }
      for (int i = 0; i < lists.length; i++) {
        d.lists.add(fast[i] != null ? d.decodePages(i, this) : d.decodeList(i, this));
      }
      done += n;
      return d;
    }
  }

  private void decodeScalar(ColumnReaderImpl r, ColumnDescriptor c, boolean first) {
    String name = c.getPath()[0];
    int n = count;
    switch (name) {
      case AuditSchema.RUN_ID -> {
        // the run id of the file's first row names every batch of the file: nothing else is read
        if (n > 0 && first) {
          runId = r.getBinary().toStringUsingUTF8();
        }
      }
      case AuditSchema.ROUND -> round = ints(r, n);
      case AuditSchema.PARTITION -> partition = ints(r, n);
      case AuditSchema.BATCH -> batch = ints(r, n);
      case AuditSchema.ATTEMPT -> attempt = ints(r, n);
      case AuditSchema.ROW -> row = ints(r, n);
      case AuditSchema.STEP -> step = longs(r, n);
      case AuditSchema.TASK_ATTEMPT_ID -> taskAttemptId = longs(r, n);
      case AuditSchema.SAMPLE_ID -> sampleId = longs(r, n);
      case AuditSchema.BATCH_SCORE -> {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
          a[i] = r.getDouble();
          r.consume();
        }
        batchScore = a;
      }
      case AuditSchema.LOSS -> {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
          a[i] = r.getFloat();
          r.consume();
        }
        loss = a;
      }
      default -> {
        // a column FileProjection does not select
      }
    }
  }

  /** As {@link #decodeScalar(ColumnReaderImpl, ColumnDescriptor, boolean)}, from pages in bulk. */
  private void decodeScalar(ScalarPages p, ColumnDescriptor c) {
    int n = count;
    switch (c.getPath()[0]) {
      case AuditSchema.ROUND -> round = p.ints(n);
      case AuditSchema.PARTITION -> partition = p.ints(n);
      case AuditSchema.BATCH -> batch = p.ints(n);
      case AuditSchema.ATTEMPT -> attempt = p.ints(n);
      case AuditSchema.ROW -> row = p.ints(n);
      case AuditSchema.STEP -> step = p.longs(n);
      case AuditSchema.TASK_ATTEMPT_ID -> taskAttemptId = p.longs(n);
      case AuditSchema.SAMPLE_ID -> sampleId = p.longs(n);
      case AuditSchema.BATCH_SCORE -> batchScore = p.doubles(n);
      case AuditSchema.LOSS -> loss = p.floats(n);
      default -> {
        // a column FileProjection does not select
      }
    }
  }

  private static int[] ints(ColumnReaderImpl r, int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.getInteger();
      r.consume();
    }
    return a;
  }

  private static long[] longs(ColumnReaderImpl r, int n) {
    long[] a = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.getLong();
      r.consume();
    }
    return a;
  }

  /**
   * The next {@link #count} rows of list {@code index} of {@code cursor}, from the repetition
   * levels (0 starts a row) and definition levels (the maximum: a value; at least the list's own:
   * the list is there, possibly empty).
   */
  private FloatList decodeList(int index, Cursor cursor) {
    ColumnReaderImpl r = cursor.lists[index];
    FileProjection.ListLeaf l = cursor.part.lists().get(index);
    int maxDefinition = l.leaf().getMaxDefinitionLevel();
    int listDefinition = l.listDefinition();
    long left = cursor.listValuesLeft[index];
    int rowsLeft = cursor.left();
    long guess = rowsLeft == 0 ? 0 : left / rowsLeft * count + 16;
    float[] values = new float[(int) Math.min(guess, Integer.MAX_VALUE - 8)];
    int[] offsets = new int[count + 1];
    boolean[] present = listDefinition > 0 ? new boolean[count] : null;
    int rowIndex = -1;
    int size = 0;
    while (left > 0) {
      int d = r.getCurrentDefinitionLevel();
      if (r.getCurrentRepetitionLevel() == 0) {
        if (rowIndex == count - 1) {
          break; // the first row of the next slice
        }
        rowIndex++;
        offsets[rowIndex] = size;
        if (present != null) {
          present[rowIndex] = d >= listDefinition;
        }
      }
      if (d == maxDefinition) {
        if (size == values.length) {
          values = java.util.Arrays.copyOf(values, Math.max(16, size * 2));
        }
        values[size++] = r.getFloat();
      }
      r.consume();
      left--;
    }
    cursor.listValuesLeft[index] = left;
    if (rowIndex != count - 1) {
      throw new IllegalStateException(
          "Column " + l.name() + " holds " + (rowIndex + 1) + " rows, expected " + count);
    }
    offsets[count] = size;
    return new FloatList(l.name(), values, offsets, present);
  }

  /** As {@link #decodeList}, from the pages {@link ListPages} decoded in bulk. */
  private FloatList decodePages(int index, Cursor cursor) {
    ListPages p = cursor.fast[index];
    FileProjection.ListLeaf l = cursor.part.lists().get(index);
    int maxDefinition = l.leaf().getMaxDefinitionLevel();
    int listDefinition = l.listDefinition();
    long left = cursor.listValuesLeft[index];
    int rowsLeft = cursor.left();
    long guess = rowsLeft == 0 ? 0 : left / rowsLeft * count + 16;
    float[] values = new float[(int) Math.min(guess, Integer.MAX_VALUE - 8)];
    int[] offsets = new int[count + 1];
    boolean[] present = listDefinition > 0 ? new boolean[count] : null;
    int rowIndex = -1;
    int size = 0;
    boolean stop = false;
    while (!stop) {
      if (p.at == p.entries && !p.nextPage()) {
        break;
      }
      byte[] rep = p.repetition;
      byte[] def = p.definition;
      float[] pageValues = p.values;
      int a = p.at;
      int va = p.valueAt;
      int e = p.entries;
      for (; a < e; a++) {
        int d = def[a];
        if (rep[a] == 0) {
          if (rowIndex == count - 1) {
            stop = true; // the first row of the next slice
            break;
          }
          rowIndex++;
          offsets[rowIndex] = size;
          if (present != null) {
            present[rowIndex] = d >= listDefinition;
          }
        }
        if (d == maxDefinition) {
          if (size == values.length) {
            values = java.util.Arrays.copyOf(values, Math.max(16, size * 2));
          }
          values[size++] = pageValues[va++];
        }
      }
      left -= a - p.at;
      p.at = a;
      p.valueAt = va;
    }
    cursor.listValuesLeft[index] = left;
    if (rowIndex != count - 1) {
      throw new IllegalStateException(
          "Column " + l.name() + " holds " + (rowIndex + 1) + " rows, expected " + count);
    }
    offsets[count] = size;
    return new FloatList(l.name(), values, offsets, present);
  }

  /** The parts of one row group, decoded apart, as one. */
  static DecodedRows merge(List<DecodedRows> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    DecodedRows m = new DecodedRows(parts.get(0).count);
    for (DecodedRows p : parts) {
      m.runId = p.runId != null ? p.runId : m.runId;
      m.round = p.round != null ? p.round : m.round;
      m.partition = p.partition != null ? p.partition : m.partition;
      m.batch = p.batch != null ? p.batch : m.batch;
      m.step = p.step != null ? p.step : m.step;
      m.attempt = p.attempt != null ? p.attempt : m.attempt;
      m.taskAttemptId = p.taskAttemptId != null ? p.taskAttemptId : m.taskAttemptId;
      m.row = p.row != null ? p.row : m.row;
      m.sampleId = p.sampleId != null ? p.sampleId : m.sampleId;
      m.batchScore = p.batchScore != null ? p.batchScore : m.batchScore;
      m.loss = p.loss != null ? p.loss : m.loss;
      m.lists.addAll(p.lists);
    }
    return m;
  }

  /** Key columns the file lacks read as 0, as the record reader left them. */
  void fillAbsentKeys() {
    round = round != null ? round : new int[count];
    partition = partition != null ? partition : new int[count];
    batch = batch != null ? batch : new int[count];
    step = step != null ? step : new long[count];
    attempt = attempt != null ? attempt : new int[count];
    taskAttemptId = taskAttemptId != null ? taskAttemptId : new long[count];
    row = row != null ? row : new int[count];
    sampleId = sampleId != null ? sampleId : new long[count];
    batchScore = batchScore != null ? batchScore : new double[count];
  }
}
