package io.batchaudit.source;

import io.batchaudit.config.ConfigKey;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Options of a file input, as given by the job's configuration keys. Every component is checked by
 * the constructor, each invalid value rejected with its key's name; {@link #of} parses the raw key
 * strings. Whether the file exists and holds the named columns is checked by {@link
 * TableData#load}.
 *
 * <p>Serializable: small and immutable, it may travel with a job's configuration.
 *
 * @param uri key {@code data}: a file or a folder of files (any Hadoop URI or a path of the default
 *     file system; Spark's glob patterns allowed)
 * @param format key {@code format}
 * @param labelColumns key {@code label-columns}: exactly one column for classification (holding
 *     class indices), one or more for regression; for LibSVM empty or {@code [label]}
 * @param featureColumns key {@code feature-columns}: empty means every column that is neither a
 *     label nor the id, in the order of the data (LibSVM: the vector's entries, named {@code f0} ..
 *     {@code f<n-1>})
 * @param idColumn key {@code id-column}: a column of integral, unique sample ids; null means the
 *     sample id is the 0-based row index (files of a folder in path order, rows in file order)
 * @param task key {@code task}
 * @param classes key {@code classes}: 0 means the largest training label + 1; classification only
 * @param csvHeader key {@code csv.header} (default true): whether each CSV file starts with a line
 *     of column names; without one, columns are named {@code _c0}, {@code _c1}, ... as Spark names
 *     them
 * @param csvDelimiter key {@code csv.delimiter} (default {@code ,})
 */
public record TableSpec(
    String uri,
    Format format,
    List<String> labelColumns,
    List<String> featureColumns,
    String idColumn,
    Task task,
    int classes,
    boolean csvHeader,
    String csvDelimiter)
    implements Serializable {

  public static final String DATA = ConfigKey.DATA.key();
  public static final String FORMAT = ConfigKey.FORMAT.key();
  public static final String LABEL_COLUMNS = ConfigKey.LABEL_COLUMNS.key();
  public static final String FEATURE_COLUMNS = ConfigKey.FEATURE_COLUMNS.key();
  public static final String ID_COLUMN = ConfigKey.ID_COLUMN.key();
  public static final String TASK = ConfigKey.TASK.key();
  public static final String CLASSES = ConfigKey.CLASSES.key();
  public static final String CSV_HEADER = ConfigKey.CSV_HEADER.key();
  public static final String CSV_DELIMITER = ConfigKey.CSV_DELIMITER.key();

  /** Upper bound of {@code classes}: a one-hot label of this width per example is already big. */
  public static final int MAX_CLASSES = 100_000;

  /** The label column of LibSVM data, as Spark's {@code libsvm} source names it. */
  public static final String LIBSVM_LABEL = "label";

  /** File formats read through Spark SQL's sources of the same name. */
  public enum Format {
    CSV,
    PARQUET,
    LIBSVM;

    /** The lower-case name used in configuration and messages (and Spark's source name). */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public TableSpec {
    if (uri == null || uri.isBlank()) {
      throw invalid(DATA, uri, "a file or folder (a local path or a Hadoop URI)");
    }
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(task, "task");
    labelColumns = List.copyOf(labelColumns);
    featureColumns = List.copyOf(featureColumns);
    checkNames(LABEL_COLUMNS, labelColumns);
    checkNames(FEATURE_COLUMNS, featureColumns);
    if (idColumn != null && idColumn.isBlank()) {
      throw invalid(ID_COLUMN, idColumn, "a column name, or no value to number rows by position");
    }
    if (csvDelimiter == null || csvDelimiter.isEmpty()) {
      throw invalid(CSV_DELIMITER, csvDelimiter, "one or more characters, for example , or ;");
    }
    if (format == Format.LIBSVM) {
      if (!labelColumns.isEmpty() && !labelColumns.equals(List.of(LIBSVM_LABEL))) {
        throw invalid(
            LABEL_COLUMNS,
            String.join(",", labelColumns),
            "no value or 'label' for libsvm data (its label is the first number of each line)");
      }
      if (idColumn != null) {
        throw invalid(
            ID_COLUMN,
            idColumn,
            "no value for libsvm data (it has no id column; sample ids are row indices)");
      }
    } else if (labelColumns.isEmpty()) {
      throw invalid(
          LABEL_COLUMNS,
          "",
          "the label column (classification) or columns (regression), comma-separated");
    }
    if (task == Task.CLASSIFICATION) {
      if (labelColumns.size() > 1) {
        throw invalid(
            LABEL_COLUMNS,
            String.join(",", labelColumns),
            "exactly one column of class indices for task classification (use task regression"
                + " for several targets)");
      }
      if (classes != 0 && (classes < 2 || classes > MAX_CLASSES)) {
        throw invalid(
            CLASSES,
            String.valueOf(classes),
            "0 (the largest training label + 1) or 2.." + MAX_CLASSES);
      }
    } else if (classes != 0) {
      throw invalid(
          CLASSES,
          String.valueOf(classes),
          "0 with task regression (classes applies to classification only)");
    }
    for (String label : labelColumns) {
      if (featureColumns.contains(label)) {
        throw TableErrors.labelIsFeature(label);
      }
    }
    if (idColumn != null
        && (labelColumns.contains(idColumn) || featureColumns.contains(idColumn))) {
      throw new IllegalArgumentException(
          "Column '"
              + idColumn
              + "' is the "
              + ID_COLUMN
              + " and also a "
              + (labelColumns.contains(idColumn)
                  ? "label (" + LABEL_COLUMNS
                  : "feature (" + FEATURE_COLUMNS)
              + "): sample ids are not data; remove it from "
              + (labelColumns.contains(idColumn) ? LABEL_COLUMNS : FEATURE_COLUMNS));
    }
  }

  /**
   * Parses the raw strings of the keys (null or blank = the key's default). Each invalid value is
   * rejected with {@code Invalid <key> '<value>': expected ...}.
   *
   * @param format {@code auto} (or no value) takes the format from the extension of {@code data}:
   *     {@code .csv}, {@code .parquet}, {@code .libsvm} or {@code .svm} (compressed CSV and LibSVM
   *     too, e.g. {@code .csv.gz}); a folder or a name without one of these needs {@code format}
   * @param task no value = classification
   * @param classes no value = 0
   * @param csvHeader {@code true} or {@code false}; no value = true
   * @param csvDelimiter no value = {@code ,}; {@code \t} stands for a tab
   */
  public static TableSpec of(
      String data,
      String format,
      String labelColumns,
      String featureColumns,
      String idColumn,
      String task,
      String classes,
      String csvHeader,
      String csvDelimiter) {
    if (data == null || data.isBlank()) {
      throw invalid(
          DATA, data == null ? "" : data, "a file or folder (a local path or a Hadoop URI)");
    }
    String uri = data.trim();
    return new TableSpec(
        uri,
        parseFormat(format, uri),
        columns(labelColumns),
        columns(featureColumns),
        blank(idColumn) ? null : idColumn.trim(),
        blank(task) ? Task.CLASSIFICATION : Task.parse(task),
        parseClasses(classes),
        parseHeader(csvHeader),
        blank(csvDelimiter) ? "," : csvDelimiter.equals("\\t") ? "\t" : csvDelimiter);
  }

  /** Whether the id is a column of the data rather than the row index. */
  public boolean hasIdColumn() {
    return idColumn != null;
  }

  private static Format parseFormat(String text, String uri) {
    String s = blank(text) ? "auto" : text.trim().toLowerCase(Locale.ROOT);
    if (!s.equals("auto")) {
      for (Format f : Format.values()) {
        if (f.label().equals(s)) {
          return f;
        }
      }
      throw invalid(FORMAT, text, "auto, csv, parquet or libsvm");
    }
    String name = uri.toLowerCase(Locale.ROOT);
    while (name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    name = name.replaceFirst("\\.(gz|bz2|deflate|lz4|snappy|zst|zstd)$", "");
    if (name.endsWith(".csv")) {
      return Format.CSV;
    }
    if (name.endsWith(".parquet")) {
      return Format.PARQUET;
    }
    if (name.endsWith(".libsvm") || name.endsWith(".svm")) {
      return Format.LIBSVM;
    }
    throw new IllegalArgumentException(
        "Cannot tell the format of "
            + DATA
            + " '"
            + uri
            + "' from its name (a folder, or a file not ending in .csv, .parquet, .libsvm or .svm):"
            + " set key "
            + FORMAT
            + " to csv, parquet or libsvm");
  }

  private static int parseClasses(String text) {
    if (blank(text)) {
      return 0;
    }
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw invalid(CLASSES, text, "0 (the largest training label + 1) or 2.." + MAX_CLASSES);
    }
  }

  private static boolean parseHeader(String text) {
    if (blank(text)) {
      return true;
    }
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return s.equals("true");
    }
    throw invalid(CSV_HEADER, text, "true (each file starts with column names) or false");
  }

  private static List<String> columns(String text) {
    List<String> names = new ArrayList<>();
    if (!blank(text)) {
      for (String part : text.split(",", -1)) {
        names.add(part.trim());
      }
    }
    return names;
  }

  private static void checkNames(String key, List<String> names) {
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (name.isEmpty()) {
        throw invalid(key, String.join(",", names), "column names separated by commas");
      }
      if (!seen.add(name)) {
        throw invalid(
            key, String.join(",", names), "distinct column names ('" + name + "' is repeated)");
      }
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static IllegalArgumentException invalid(String key, String value, String expected) {
    return new IllegalArgumentException(
        "Invalid " + key + " '" + value + "': expected " + expected);
  }
}
