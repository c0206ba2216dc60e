package io.batchaudit.source;

import io.batchaudit.config.JobConfig;
import io.batchaudit.config.Keys;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A file input and its options, as given by the job's configuration keys ({@link Keys}), which
 * check each key's own value; the constructor checks what depends on several keys (the labels a
 * task and a format allow, classes, columns in two roles), each invalid value rejected with its
 * key's name. {@link #of} reads the keys. Whether the file exists and holds the named columns is
 * checked by {@link TableData#load}.
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
    implements InputSpec {

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
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(csvDelimiter, "csvDelimiter");
    labelColumns = List.copyOf(labelColumns);
    featureColumns = List.copyOf(featureColumns);
    String labelKey = Keys.LABEL_COLUMNS.name();
    String featureKey = Keys.FEATURE_COLUMNS.name();
    String idKey = Keys.ID_COLUMN.name();
    if (format == Format.LIBSVM) {
      if (!labelColumns.isEmpty() && !labelColumns.equals(List.of(LIBSVM_LABEL))) {
        throw invalid(
            labelKey,
            String.join(",", labelColumns),
            "no value or 'label' for libsvm data (its label is the first number of each line)");
      }
      if (idColumn != null) {
        throw invalid(
            idKey,
            idColumn,
            "no value for libsvm data (it has no id column; sample ids are row indices)");
      }
    } else if (labelColumns.isEmpty()) {
      throw invalid(
          labelKey,
          "",
          "the label column (classification) or columns (regression), comma-separated");
    }
    if (task == Task.CLASSIFICATION) {
      if (labelColumns.size() > 1) {
        throw invalid(
            labelKey,
            String.join(",", labelColumns),
            "exactly one column of class indices for task classification (use task regression"
                + " for several targets)");
      }
      if (classes != 0 && (classes < 2 || classes > Keys.MAX_CLASSES)) {
        throw invalid(
            Keys.CLASSES.name(),
            String.valueOf(classes),
            "0 (the largest training label + 1) or 2.." + Keys.MAX_CLASSES);
      }
    } else if (classes != 0) {
      throw invalid(
          Keys.CLASSES.name(),
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
      boolean label = labelColumns.contains(idColumn);
      throw new IllegalArgumentException(
          "Column '"
              + idColumn
              + "' is the "
              + idKey
              + " and also a "
              + (label ? "label (" + labelKey : "feature (" + featureKey)
              + "): sample ids are not data; remove it from "
              + (label ? labelKey : featureKey));
    }
  }

  /**
   * The file input at {@code data} with the file keys of {@code config}.
   *
   * @param data the {@code data} (or {@code validation-data}) value, a file or folder
   * @throws IllegalArgumentException {@code Invalid <key> '<value>': expected ...} for options that
   *     do not go together, and when {@code format} is {@code auto} and the name of {@code data}
   *     does not tell the format: {@code .csv}, {@code .parquet}, {@code .libsvm} or {@code .svm}
   *     (compressed CSV and LibSVM too, e.g. {@code .csv.gz}); a folder needs {@code format}
   */
  public static TableSpec of(String data, JobConfig config) {
    if (data == null || data.isBlank()) {
      throw invalid(
          Keys.DATA.name(),
          data == null ? "" : data,
          "a file or folder (a local path or a Hadoop URI)");
    }
    String uri = data.trim();
    String task = config.get(Keys.TASK);
    String id = config.get(Keys.ID_COLUMN);
    return new TableSpec(
        uri,
        format(config.get(Keys.FORMAT), uri),
        config.get(Keys.LABEL_COLUMNS),
        config.get(Keys.FEATURE_COLUMNS),
        id.isEmpty() ? null : id,
        task.equals("auto") ? Task.CLASSIFICATION : Task.parse(task),
        config.get(Keys.CLASSES),
        config.get(Keys.CSV_HEADER),
        config.get(Keys.CSV_DELIMITER));
  }

  /** Whether the id is a column of the data rather than the row index. */
  public boolean hasIdColumn() {
    return idColumn != null;
  }

  /** The canonical text of a file input: its URI. */
  @Override
  public String toString() {
    return uri;
  }

  /** The format of key {@code format} ({@code auto}: from the extension of {@code uri}). */
  private static Format format(String format, String uri) {
    if (!format.equals("auto")) {
      return Format.valueOf(format.toUpperCase(Locale.ROOT));
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
            + Keys.DATA.name()
            + " '"
            + uri
            + "' from its name (a folder, or a file not ending in .csv, .parquet, .libsvm or .svm):"
            + " set key "
            + Keys.FORMAT.name()
            + " to csv, parquet or libsvm");
  }

  private static IllegalArgumentException invalid(String key, String value, String expected) {
    return new IllegalArgumentException(
        "Invalid " + key + " '" + value + "': expected " + expected);
  }
}
