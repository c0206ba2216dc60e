package io.batchaudit.source;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The 0-based row index of every row of a file input: files in the order of their paths, rows in
 * file order. Built on the driver from the number of rows in each split of the source, so it does
 * not depend on how Spark grouped the splits into partitions (by size, not by name). Serializable:
 * the functions that number rows on executors carry it.
 */
final class RowNumbering implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A split of a source file: its path (as Spark's {@code _metadata.file_path}) and offset. */
  record Split(String file, long start) implements Serializable, Comparable<Split> {
    @Override
    public int compareTo(Split o) {
      int c = file.compareTo(o.file);
      return c != 0 ? c : Long.compare(start, o.start);
    }
  }

  /** Per split: the row index of its first row in the input, and in its file. */
  private final Map<Split, long[]> offsets;

  private final long size;

  private RowNumbering(Map<Split, long[]> offsets, long size) {
    this.offsets = offsets;
    this.size = size;
  }

  /** Numbers the rows of splits holding {@code counts} rows each (splits without rows may lack). */
  static RowNumbering of(Map<Split, Long> counts) {
    List<Split> splits = new ArrayList<>(counts.keySet());
    splits.sort(null);
    Map<Split, long[]> offsets = new HashMap<>();
    long row = 0;
    long fileRow = 0;
    String file = null;
    for (Split s : splits) {
      if (!s.file().equals(file)) {
        file = s.file();
        fileRow = 0;
      }
      offsets.put(s, new long[] {row, fileRow});
      long n = counts.get(s);
      row += n;
      fileRow += n;
    }
    return new RowNumbering(offsets, row);
  }

  long size() {
    return size;
  }

  /** The row index of {@code p} in the input. */
  long row(ParsedRow p) {
    return offset(p)[0] + p.position;
  }

  /** The row index of {@code p} in its file. */
  long fileRow(ParsedRow p) {
    return offset(p)[1] + p.position;
  }

  private long[] offset(ParsedRow p) {
    long[] o = offsets.get(new Split(p.file, p.splitStart));
    if (o == null) {
      throw new IllegalStateException(
          "Split at " + p.splitStart + " of " + p.file + " was not counted: the input changed?");
    }
    return o;
  }
}
