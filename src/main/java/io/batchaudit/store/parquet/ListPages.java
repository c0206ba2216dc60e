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

/**
 * The pages of one float-list column chunk, decoded a page at a time in bulk: repetition and
 * definition levels with a tight RLE/bit-packed loop, values as little-endian floats (PLAIN) or
 * dictionary ids mapped through the dictionary. parquet-java's {@code ColumnReaderImpl} decodes the
 * same one value at a time (two level reads and a value read per float), which is where a
 * record-free read spends most of its time.
 *
 * <p>Only for the encodings the writers of audit files use ({@link #handles}); any other chunk is
 * read with {@code ColumnReaderImpl}. One thread at a time.
 */
final class ListPages {
  private static final Set<Encoding> HANDLED =
      EnumSet.of(
          Encoding.PLAIN,
          Encoding.RLE,
          Encoding.BIT_PACKED,
          Encoding.PLAIN_DICTIONARY,
          Encoding.RLE_DICTIONARY);

  private final ColumnDescriptor column;
  private final PageReader pages;
  private final float[] dictionary;
  private final int maxDefinition;
  // the current page
  byte[] repetition = new byte[0];
  byte[] definition = new byte[0];
  float[] values = new float[0];
  private int[] ids = new int[0]; // dictionary ids of the current page, reused
  int entries;
  int at;
  int valueAt;

  /** Whether {@code block}'s chunk of {@code column} uses only encodings this class decodes. */
  static boolean handles(BlockMetaData block, ColumnDescriptor column) {
    if (block == null
        || column.getMaxRepetitionLevel() != 1
        || column.getMaxDefinitionLevel() > 2) {
      return false;
    }
    for (ColumnChunkMetaData c : block.getColumns()) {
      if (java.util.Arrays.equals(c.getPath().toArray(), column.getPath())) {
        return HANDLED.containsAll(c.getEncodings());
      }
    }
    return false;
  }

  ListPages(ColumnDescriptor column, PageReader pages) {
    this.column = column;
    this.pages = pages;
    this.maxDefinition = column.getMaxDefinitionLevel();
    DictionaryPage d = pages.readDictionaryPage();
    if (d == null) {
      dictionary = null;
    } else {
      try {
        Dictionary dict = d.getEncoding().initDictionary(column, d);
        dictionary = new float[dict.getMaxId() + 1];
        for (int i = 0; i < dictionary.length; i++) {
          dictionary[i] = dict.decodeToFloat(i);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Loads the next page; false after the last. */
  boolean nextPage() {
    DataPage page = pages.readPage();
    if (page == null) {
      return false;
    }
    entries = page.getValueCount();
    at = 0;
    valueAt = 0;
    if (repetition.length < entries) {
      repetition = new byte[entries];
      definition = new byte[entries];
    }
    try {
      if (page instanceof DataPageV1 v1) {
        byte[] bytes = v1.getBytes().toByteArray();
        int pos = 0;
        pos = levels(bytes, pos, v1.getRlEncoding(), 1, repetition);
        pos = levels(bytes, pos, v1.getDlEncoding(), maxDefinition, definition);
        values(bytes, pos, bytes.length, v1.getValueEncoding());
      } else {
        DataPageV2 v2 = (DataPageV2) page;
        byte[] rl = v2.getRepetitionLevels().toByteArray();
        rle(rl, 0, rl.length, 1, repetition, entries);
        byte[] dl = v2.getDefinitionLevels().toByteArray();
        rle(dl, 0, dl.length, bitWidth(maxDefinition), definition, entries);
        byte[] data = v2.getData().toByteArray();
        values(data, 0, data.length, v2.getDataEncoding());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return true;
  }

  /** Decodes one level section of a V1 page (4-byte length, then RLE) at {@code pos}. */
  private int levels(byte[] b, int pos, Encoding encoding, int max, byte[] out) {
    if (max == 0) {
      java.util.Arrays.fill(out, 0, entries, (byte) 0);
      return pos;
    }
    if (encoding != Encoding.RLE) {
      throw new IllegalStateException(
          "Column " + String.join(".", column.getPath()) + ": levels encoded " + encoding);
    }
    int length =
        (b[pos] & 0xff)
            | (b[pos + 1] & 0xff) << 8
            | (b[pos + 2] & 0xff) << 16
            | (b[pos + 3] & 0xff) << 24;
    pos += 4;
    rle(b, pos, pos + length, bitWidth(max), out, entries);
    return pos + length;
  }

  private void values(byte[] b, int from, int to, Encoding encoding) {
    int count = 0;
    for (int i = 0; i < entries; i++) {
      if (definition[i] == maxDefinition) {
        count++;
      }
    }
    if (values.length < count) {
      values = new float[Math.max(count, values.length * 2)];
    }
    if (encoding == Encoding.PLAIN) {
      ByteBuffer.wrap(b, from, to - from)
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(values, 0, count);
    } else if (encoding.usesDictionary() && dictionary != null) {
      int width = b[from] & 0xff;
      if (ids.length < count) {
        ids = new int[Math.max(count, ids.length * 2)];
      }
      rleInts(b, from + 1, to, width, ids, count);
      for (int i = 0; i < count; i++) {
        values[i] = dictionary[ids[i]];
      }
    } else {
      throw new IllegalStateException(
          "Column " + String.join(".", column.getPath()) + ": values encoded " + encoding);
    }
  }

  static int bitWidth(int max) {
    return 32 - Integer.numberOfLeadingZeros(max);
  }

  /**
   * The RLE/bit-packed hybrid run of levels in {@code b[from, to)}: {@code count} values, decoded
   * straight into bytes (levels fit in a byte), with no array of ints in between: a list column has
   * two levels per value, most of the decoding of one-hot targets (verify's profile), so runs are
   * filled at once and 1-bit groups (the repetition levels) unpacked a byte at a time.
   */
  private static void rle(byte[] b, int from, int to, int width, byte[] out, int count) {
    int pos = from;
    int i = 0;
    while (i < count) {
      if (pos >= to) {
        throw new IllegalStateException("RLE data ends after " + i + " of " + count + " values");
      }
      int header = 0;
      int shift = 0;
      int v;
      do {
        v = b[pos++] & 0xff;
        header |= (v & 0x7f) << shift;
        shift += 7;
      } while ((v & 0x80) != 0);
      if ((header & 1) == 0) {
        int run = header >>> 1;
        int value = width == 0 ? 0 : b[pos++] & 0xff; // levels: one byte per run value
        int end = Math.min(count, i + run);
        java.util.Arrays.fill(out, i, end, (byte) value);
        i = end;
      } else {
        int groups = header >>> 1;
        int end = Math.min(count, i + groups * 8);
        if (width == 0) {
          java.util.Arrays.fill(out, i, end, (byte) 0);
        } else if (width == 1) {
          int k = i;
          int p = pos;
          for (; k + 8 <= end; k += 8) {
            int x = b[p++];
            out[k] = (byte) (x & 1);
            out[k + 1] = (byte) (x >>> 1 & 1);
            out[k + 2] = (byte) (x >>> 2 & 1);
            out[k + 3] = (byte) (x >>> 3 & 1);
            out[k + 4] = (byte) (x >>> 4 & 1);
            out[k + 5] = (byte) (x >>> 5 & 1);
            out[k + 6] = (byte) (x >>> 6 & 1);
            out[k + 7] = (byte) (x >>> 7 & 1);
          }
          for (int x = k < end ? b[p] : 0; k < end; k++, x >>>= 1) {
            out[k] = (byte) (x & 1);
          }
        } else {
          long acc = 0;
          int bits = 0;
          int p = pos;
          int mask = (1 << width) - 1;
          for (int k = i; k < end; k++) {
            while (bits < width) {
              acc |= (long) (b[p++] & 0xff) << bits;
              bits += 8;
            }
            out[k] = (byte) (acc & mask);
            acc >>>= width;
            bits -= width;
          }
        }
        pos += groups * width;
        i = end;
      }
    }
  }

  /** Parquet's RLE/bit-packed hybrid encoding, {@code count} values of {@code width} bits. */
  static void rleInts(byte[] b, int from, int to, int width, int[] out, int count) {
    int pos = from;
    int i = 0;
    int bytesPerValue = (width + 7) / 8;
    while (i < count) {
      if (pos >= to) {
        throw new IllegalStateException("RLE data ends after " + i + " of " + count + " values");
      }
      int header = 0;
      int shift = 0;
      int v;
      do {
        v = b[pos++] & 0xff;
        header |= (v & 0x7f) << shift;
        shift += 7;
      } while ((v & 0x80) != 0);
      if ((header & 1) == 0) {
        int run = header >>> 1;
        int value = 0;
        for (int k = 0; k < bytesPerValue; k++) {
          value |= (b[pos++] & 0xff) << (8 * k);
        }
        int end = Math.min(count, i + run);
        java.util.Arrays.fill(out, i, end, value);
        i = end;
      } else {
        int n = (header >>> 1) * 8;
        int bytes = (header >>> 1) * width;
        int end = Math.min(count, i + n);
        if (width == 0) {
          java.util.Arrays.fill(out, i, end, 0);
        } else if (width == 1) { // a two-value dictionary: one-hot targets
          int k = i;
          int p = pos;
          for (; k + 8 <= end; k += 8) {
            int x = b[p++];
            out[k] = x & 1;
            out[k + 1] = x >>> 1 & 1;
            out[k + 2] = x >>> 2 & 1;
            out[k + 3] = x >>> 3 & 1;
            out[k + 4] = x >>> 4 & 1;
            out[k + 5] = x >>> 5 & 1;
            out[k + 6] = x >>> 6 & 1;
            out[k + 7] = x >>> 7 & 1;
          }
          for (int x = k < end ? b[p] : 0; k < end; k++, x >>>= 1) {
            out[k] = x & 1;
          }
        } else {
          long acc = 0;
          int bits = 0;
          int p = pos;
          int mask = (1 << width) - 1;
          for (int k = i; k < end; k++) {
            while (bits < width) {
              acc |= (long) (b[p++] & 0xff) << bits;
              bits += 8;
            }
            out[k] = (int) (acc & mask);
            acc >>>= width;
            bits -= width;
          }
        }
        pos += bytes;
        i = end;
      }
    }
  }
}
