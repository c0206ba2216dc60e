package io.batchaudit.store.parquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Set;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * The pages of one required top-level numeric column chunk (the key columns, {@code loss}), decoded
 * a page at a time in bulk: PLAIN values as little-endian arrays, or dictionary ids (one tight
 * RLE/bit-packed loop, {@link ListPages#rleInts}) mapped through the dictionary. A required column
 * has no levels. Only for the encodings the writers of audit files use ({@link #handles}); any
 * other chunk is read with {@code ColumnReaderImpl}. One thread at a time.
 */
final class ScalarPages {
  private static final Set<Encoding> HANDLED =
      EnumSet.of(
          Encoding.PLAIN,
          Encoding.RLE,
          Encoding.BIT_PACKED,
          Encoding.PLAIN_DICTIONARY,
          Encoding.RLE_DICTIONARY);

  private final ColumnDescriptor column;
  private final PageReader pages;
  private final PrimitiveTypeName type;
  private final long[] dictionaryLongs;
  private final double[] dictionaryDoubles;
  // the current page: dictionary ids, or PLAIN values
  private int[] ids = new int[0];
  private ByteBuffer plain;
  private int entries;
  private int at;

  static boolean handles(BlockMetaData block, ColumnDescriptor column) {
    PrimitiveTypeName t = column.getPrimitiveType().getPrimitiveTypeName();
    if (block == null
        || column.getMaxRepetitionLevel() != 0
        || column.getMaxDefinitionLevel() != 0
        || !(t == PrimitiveTypeName.INT32
            || t == PrimitiveTypeName.INT64
            || t == PrimitiveTypeName.DOUBLE
            || t == PrimitiveTypeName.FLOAT)) {
      return false;
    }
    for (ColumnChunkMetaData c : block.getColumns()) {
      if (java.util.Arrays.equals(c.getPath().toArray(), column.getPath())) {
        return HANDLED.containsAll(c.getEncodings());
      }
    }
    return false;
  }

  ScalarPages(ColumnDescriptor column, PageReader pages) {
    this.column = column;
    this.pages = pages;
    this.type = column.getPrimitiveType().getPrimitiveTypeName();
    DictionaryPage d = pages.readDictionaryPage();
    if (d == null) {
      dictionaryLongs = null;
      dictionaryDoubles = null;
    } else {
      try {
        Dictionary dict = d.getEncoding().initDictionary(column, d);
        int n = dict.getMaxId() + 1;
        if (type == PrimitiveTypeName.INT32 || type == PrimitiveTypeName.INT64) {
          dictionaryLongs = new long[n];
          dictionaryDoubles = null;
          for (int i = 0; i < n; i++) {
            dictionaryLongs[i] =
                type == PrimitiveTypeName.INT32 ? dict.decodeToInt(i) : dict.decodeToLong(i);
          }
        } else {
          dictionaryLongs = null;
          dictionaryDoubles = new double[n];
          for (int i = 0; i < n; i++) {
            dictionaryDoubles[i] =
                type == PrimitiveTypeName.FLOAT ? dict.decodeToFloat(i) : dict.decodeToDouble(i);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void expect(PrimitiveTypeName expected) {
    if (type != expected) {
      throw new IllegalStateException(
          "Column "
              + String.join(".", column.getPath())
              + " is "
              + type
              + ", expected "
              + expected);
    }
  }

  private void nextPage() {
    DataPage page = pages.readPage();
    if (page == null) {
      throw new IllegalStateException(
          "Column " + String.join(".", column.getPath()) + " ends before the row group");
    }
    entries = page.getValueCount();
    at = 0;
    byte[] data;
    Encoding encoding;
    try {
      if (page instanceof DataPageV1 v1) {
        data = v1.getBytes().toByteArray();
        encoding = v1.getValueEncoding();
      } else {
        DataPageV2 v2 = (DataPageV2) page;
        data = v2.getData().toByteArray();
        encoding = v2.getDataEncoding();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (encoding == Encoding.PLAIN) {
      plain = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    } else if (encoding.usesDictionary()
        && (dictionaryLongs != null || dictionaryDoubles != null)) {
      plain = null;
      if (ids.length < entries) {
        ids = new int[entries];
      }
      ListPages.rleInts(data, 1, data.length, data[0] & 0xff, ids, entries);
    } else {
      throw new IllegalStateException(
          "Column " + String.join(".", column.getPath()) + ": values encoded " + encoding);
    }
  }

  /** The next {@code n} values of an INT32 column. */
  int[] ints(int n) {
    expect(PrimitiveTypeName.INT32);
    int[] out = new int[n];
    for (int i = 0; i < n; ) {
      if (at == entries) {
        nextPage();
      }
      int k = Math.min(n - i, entries - at);
      if (plain != null) {
        plain.asIntBuffer().get(at, out, i, k);
      } else {
        for (int j = 0; j < k; j++) {
          out[i + j] = (int) dictionaryLongs[ids[at + j]];
        }
      }
      at += k;
      i += k;
    }
    return out;
  }

  /** The next {@code n} values of an INT64 column. */
  long[] longs(int n) {
    expect(PrimitiveTypeName.INT64);
    long[] out = new long[n];
    for (int i = 0; i < n; ) {
      if (at == entries) {
        nextPage();
      }
      int k = Math.min(n - i, entries - at);
      if (plain != null) {
        plain.asLongBuffer().get(at, out, i, k);
      } else {
        for (int j = 0; j < k; j++) {
          out[i + j] = dictionaryLongs[ids[at + j]];
        }
      }
      at += k;
      i += k;
    }
    return out;
  }

  /** The next {@code n} values of a DOUBLE column. */
  double[] doubles(int n) {
    expect(PrimitiveTypeName.DOUBLE);
    double[] out = new double[n];
    for (int i = 0; i < n; ) {
      if (at == entries) {
        nextPage();
      }
      int k = Math.min(n - i, entries - at);
      if (plain != null) {
        plain.asDoubleBuffer().get(at, out, i, k);
      } else {
        for (int j = 0; j < k; j++) {
          out[i + j] = dictionaryDoubles[ids[at + j]];
        }
      }
      at += k;
      i += k;
    }
    return out;
  }

  /** The next {@code n} values of a FLOAT column. */
  float[] floats(int n) {
    expect(PrimitiveTypeName.FLOAT);
    float[] out = new float[n];
    for (int i = 0; i < n; ) {
      if (at == entries) {
        nextPage();
      }
      int k = Math.min(n - i, entries - at);
      if (plain != null) {
        plain.asFloatBuffer().get(at, out, i, k);
      } else {
        for (int j = 0; j < k; j++) {
          out[i + j] = (float) dictionaryDoubles[ids[at + j]];
        }
      }
      at += k;
      i += k;
    }
    return out;
  }
}
