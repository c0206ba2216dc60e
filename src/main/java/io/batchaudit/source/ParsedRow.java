package io.batchaudit.source;

import java.io.Serializable;
import java.util.Comparator;

/**
 * One source row after parsing: either its values or the first problem found in it. A row is
 * addressed by its split of the source ({@code file}, {@code splitStart}) and its position in that
 * split; {@link RowNumbering} turns that into the row index once every split has been counted.
 *
 * <p>Built and cached on executors (hence Serializable); only rows with a problem and summaries
 * reach the driver.
 */
final class ParsedRow implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Source order: files by path, splits by offset, rows by position in the split. */
  static final Comparator<ParsedRow> SOURCE_ORDER = new SourceOrder();

  final String file;
  final long splitStart;
  final long position;
  final boolean hasId;
  final long id;
  final float[] features;

  /** The class index (as one float) for classification, the targets for regression. */
  final float[] label;

  /** What is wrong and where in the row, e.g. {@code Missing value in column 'x'}; null if ok. */
  final String problem;

  /** What was expected and how to fix it; null if ok. */
  final String fix;

  private ParsedRow(
      String file,
      long splitStart,
      long position,
      boolean hasId,
      long id,
      float[] features,
      float[] label,
      String problem,
      String fix) {
    this.file = file;
    this.splitStart = splitStart;
    this.position = position;
    this.hasId = hasId;
    this.id = id;
    this.features = features;
    this.label = label;
    this.problem = problem;
    this.fix = fix;
  }

  static ParsedRow ok(
      String file,
      long splitStart,
      long position,
      boolean hasId,
      long id,
      float[] features,
      float[] label) {
    return new ParsedRow(file, splitStart, position, hasId, id, features, label, null, null);
  }

  static ParsedRow bad(
      String file,
      long splitStart,
      long position,
      boolean hasId,
      long id,
      String problem,
      String fix) {
    return new ParsedRow(file, splitStart, position, hasId, id, null, null, problem, fix);
  }

  boolean isBad() {
    return problem != null;
  }

  private static final class SourceOrder implements Comparator<ParsedRow>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(ParsedRow a, ParsedRow b) {
      int c = a.file.compareTo(b.file);
      if (c == 0) {
        c = Long.compare(a.splitStart, b.splitStart);
      }
      return c != 0 ? c : Long.compare(a.position, b.position);
    }
  }
}
