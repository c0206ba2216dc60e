package io.batchaudit.source;

import io.batchaudit.config.Keys;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * Turns the rows of a file input into {@link ParsedRow}s, checking every cell. Runs on executors
 * (Serializable), once per partition through {@link #parse(Iterator)}.
 *
 * <p>The rows it reads are laid out by {@link TableReader}: for text and number cells, the
 * features, then the labels, then the id if any, then (CSV) the text of a line that did not have
 * one field per column, then the file path and split offset; for a LibSVM vector, the vector, the
 * label, the file path and the split offset.
 */
final class RowParser implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How cells are stored in the source. */
  enum Cells {
    /** CSV: every cell a string, parsed here. */
    TEXT,
    /** Parquet: numeric columns. */
    NUMBER,
    /** LibSVM: a vector of features (position 0) and a double label (position 1). */
    VECTOR
  }

  private final Cells cells;
  private final List<String> featureNames;
  private final List<String> labelNames;
  private final String idName;
  private final int[] featureIndex;
  private final Task task;
  private final int classes;
  private final String labelRange;
  private final String lineFix;

  /**
   * @param featureIndex for {@link Cells#VECTOR}, the vector entry of each feature (entries beyond
   *     the vector read as 0); otherwise unused
   * @param classes the number of classes, or 0 when it is inferred from the labels
   * @param labelRange the allowed class labels and where that comes from, for messages
   * @param lineFix for {@link Cells#TEXT}, the fix of a line with the wrong number of fields, whose
   *     text is in the cell after the id; null when there is no such cell
   */
  RowParser(
      Cells cells,
      List<String> featureNames,
      List<String> labelNames,
      String idName,
      int[] featureIndex,
      Task task,
      int classes,
      String labelRange,
      String lineFix) {
    this.cells = cells;
    this.featureNames = List.copyOf(featureNames);
    this.labelNames = List.copyOf(labelNames);
    this.idName = idName;
    this.featureIndex = featureIndex.clone();
    this.task = task;
    this.classes = classes;
    this.labelRange = labelRange;
    this.lineFix = lineFix;
  }

  /** Parses one partition; rows keep their order, numbered by their position in their split. */
  Iterator<ParsedRow> parse(Iterator<Row> rows) {
    int metaAt = cells == Cells.VECTOR ? 2 : lineAt() + (lineFix == null ? 0 : 1);
    Map<RowNumbering.Split, long[]> positions = new HashMap<>();
    Map<String, String> paths = new HashMap<>();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public ParsedRow next() {
        Row r = rows.next();
        // one String per file and partition, not one per cached row
        String file = paths.computeIfAbsent(r.getString(metaAt), f -> f);
        long start = r.getLong(metaAt + 1);
        long[] position =
            positions.computeIfAbsent(new RowNumbering.Split(file, start), s -> new long[1]);
        return parseRow(r, file, start, position[0]++);
      }
    };
  }

  /** Where the text of a malformed line is. */
  private int lineAt() {
    return featureNames.size() + labelNames.size() + (idName == null ? 0 : 1);
  }

  private ParsedRow parseRow(Row r, String file, long start, long position) {
    boolean hasId = false;
    long id = 0;
    try {
      if (lineFix != null && !r.isNullAt(lineAt())) {
        String line = r.getString(lineAt());
        if (line.length() > 80) {
          line = line.substring(0, 77) + "...";
        }
        throw new BadCell("Malformed CSV line '" + line + "'", lineFix);
      }
      if (idName != null) {
        id = id(r, featureNames.size() + labelNames.size());
        hasId = true;
      }
      float[] x = features(r);
      float[] y;
      if (task == Task.CLASSIFICATION) {
        y = new float[] {classLabel(r)};
      } else {
        y = new float[labelNames.size()];
        for (int k = 0; k < y.length; k++) {
          y[k] =
              cells == Cells.VECTOR
                  ? toFloat(r.getDouble(1), null, labelNames.get(k))
                  : value(r, featureNames.size() + k, labelNames.get(k));
        }
      }
      return ParsedRow.ok(file, start, position, hasId, id, x, y);
    } catch (BadCell b) {
      return ParsedRow.bad(file, start, position, hasId, id, b.problem, b.fix);
    }
  }

  private float[] features(Row r) throws BadCell {
    float[] x = new float[featureNames.size()];
    if (cells != Cells.VECTOR) {
      for (int j = 0; j < x.length; j++) {
        x[j] = value(r, j, featureNames.get(j));
      }
      return x;
    }
    Vector v = (Vector) r.get(0);
    for (int j = 0; j < x.length; j++) {
      int index = featureIndex[j];
      x[j] = toFloat(index < v.size() ? v.apply(index) : 0.0, null, featureNames.get(j));
    }
    return x;
  }

  private float classLabel(Row r) throws BadCell {
    String column = labelNames.get(0);
    double d;
    Object raw;
    if (cells == Cells.VECTOR) {
      d = r.getDouble(1);
      raw = plain(d);
    } else {
      int at = featureNames.size();
      if (cells == Cells.TEXT) {
        String text = text(r, at, column);
        Double parsed = decimal(text);
        if (parsed == null) {
          throw nonNumeric(text, column);
        }
        raw = text;
        d = parsed;
      } else {
        Number n = number(r, at, column);
        raw = n;
        d = n.doubleValue();
      }
    }
    checkFinite(d, raw, column);
    int limit = classes > 0 ? classes : Keys.MAX_CLASSES;
    boolean index = d == Math.rint(d) && d >= 0;
    if (!index || d >= limit) {
      // more classes help a label that is too large, never a fraction or a negative one
      String fix =
          index
              ? "fix the label or set key " + Keys.CLASSES.name()
              : "fix the label (class labels are class indices; real-valued targets need key "
                  + Keys.TASK.name()
                  + "="
                  + Task.REGRESSION.label()
                  + ")";
      throw new BadCell(
          "Invalid class label '" + raw + "' in column '" + column + "'",
          "expected an integer in " + labelRange + "; " + fix);
    }
    return (float) d;
  }

  /** A LibSVM label as the file most likely wrote it: 5 rather than 5.0. */
  private static String plain(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /** A feature or regression target in a text or number cell. */
  private float value(Row r, int at, String column) throws BadCell {
    if (cells == Cells.TEXT) {
      String raw = text(r, at, column);
      if (!plainDecimal(raw)) {
        Double special = special(raw);
        if (special == null) {
          throw nonNumeric(raw, column);
        }
        checkFinite(special, raw, column);
      }
      try {
        // Float.parseFloat rounds once; (float) Double.parseDouble could round twice
        return checkRange(Float.parseFloat(raw), raw, 0, column);
      } catch (NumberFormatException e) {
        throw nonNumeric(raw, column);
      }
    }
    Number n = number(r, at, column);
    if (n instanceof Float) {
      float f = n.floatValue();
      checkFinite(f, n, column);
      return f;
    }
    return toFloat(n.doubleValue(), n, column);
  }

  private long id(Row r, int at) throws BadCell {
    String fix =
        "expected an integral number (a long); fix the id or unset key "
            + Keys.ID_COLUMN.name()
            + " to number rows by position";
    if (cells == Cells.TEXT) {
      String raw = text(r, at, idName);
      try {
        return Long.parseLong(raw);
      } catch (NumberFormatException e) {
        try {
          return new BigDecimal(raw).longValueExact();
        } catch (ArithmeticException | NumberFormatException e2) {
          throw new BadCell("Invalid id '" + raw + "' in column '" + idName + "'", fix);
        }
      }
    }
    Number n = number(r, at, idName);
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return n.longValue();
    }
    try {
      return n instanceof BigDecimal
          ? ((BigDecimal) n).longValueExact()
          : new BigDecimal(n.doubleValue()).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new BadCell("Invalid id '" + n + "' in column '" + idName + "'", fix);
    }
  }

  private static String text(Row r, int at, String column) throws BadCell {
    String s = r.isNullAt(at) ? null : r.getString(at);
    if (s == null || s.isBlank()) {
      throw missing(column);
    }
    return s.trim();
  }

  private static Number number(Row r, int at, String column) throws BadCell {
    if (r.isNullAt(at)) {
      throw missing(column);
    }
    return (Number) r.get(at);
  }

  /**
   * The value of a decimal number ({@code nan} and {@code inf} or {@code infinity} in any case
   * included), or null when {@code s} is none.
   */
  static Double decimal(String s) {
    if (!plainDecimal(s)) {
      return special(s);
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Whether {@code s} has only the characters of a decimal number: Java's parser, which decides the
   * rest, would also take hexadecimal, suffixes like {@code 1f}, and {@code NaN}.
   */
  private static boolean plainDecimal(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
        return false;
      }
    }
    return true;
  }

  /** NaN or an infinity for {@code nan}, {@code inf} or {@code infinity} (any case, signed). */
  private static Double special(String s) {
    String t = s.toLowerCase(Locale.ROOT);
    boolean negative = t.startsWith("-");
    String u = negative || t.startsWith("+") ? t.substring(1) : t;
    if (u.equals("nan")) {
      return Double.NaN;
    }
    if (u.equals("inf") || u.equals("infinity")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return null;
  }

  /**
   * @param raw the value as stored, for messages; null when it is {@code d} itself
   */
  private static float toFloat(double d, Object raw, String column) throws BadCell {
    checkFinite(d, raw, column);
    return checkRange((float) d, raw, d, column);
  }

  private static void checkFinite(double d, Object raw, String column) throws BadCell {
    String fix = "features and labels must be finite numbers; fix the value or remove the row";
    if (Double.isNaN(d)) {
      throw new BadCell("NaN in column '" + column + "'", fix);
    }
    if (Double.isInfinite(d)) {
      throw new BadCell(
          "Infinite value '" + (raw == null ? d : raw) + "' in column '" + column + "'", fix);
    }
  }

  private static float checkRange(float f, Object raw, double d, String column) throws BadCell {
    if (Float.isInfinite(f)) {
      throw new BadCell(
          "Value '"
              + (raw == null ? d : raw)
              + "' outside the float32 range in column '"
              + column
              + "'",
          "features and labels are float32 (at most about 3.4e38 in magnitude); rescale the"
              + " column");
    }
    return f;
  }

  private static BadCell missing(String column) {
    return new BadCell(
        "Missing value in column '" + column + "'",
        "every feature, label and id needs a value; fill it in or remove the row");
  }

  private BadCell nonNumeric(String raw, String column) {
    String fix = "expected a number; fix the value";
    if (featureNames.contains(column)) {
      fix += " or leave the column out of key " + Keys.FEATURE_COLUMNS.name();
    }
    return new BadCell("Non-numeric value '" + raw + "' in column '" + column + "'", fix);
  }

  /** A bad cell; cheap (no stack trace), as a file may hold many. */
  private static final class BadCell extends Exception {
    private static final long serialVersionUID = 1L;
    final String problem;
    final String fix;

    BadCell(String problem, String fix) {
      super(problem, null, false, false);
      this.problem = problem;
      this.fix = fix;
    }
  }
}
