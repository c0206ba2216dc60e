package io.batchaudit.source;

import io.batchaudit.config.ConfigKey;
import java.io.File;
import java.io.Serializable;
import java.util.Map;

/**
 * What a job reads for training or validation: a built-in generator ({@link DataSpec}: {@code
 * iris}, {@code synthetic:...}) or files ({@link TableSpec}: CSV, Parquet, LibSVM). Exactly one is
 * set.
 */
public record InputSpec(DataSpec builtIn, TableSpec table) implements Serializable {
  public InputSpec {
    if ((builtIn == null) == (table == null)) {
      throw new IllegalArgumentException("exactly one of builtIn and table must be set");
    }
  }

  /**
   * Parses a data value ({@code data} or {@code validation-data}) with the file options of {@code
   * values} (keys format, label-columns, feature-columns, id-column, task, classes, csv.header,
   * csv.delimiter). A local path without a scheme is made absolute against the working directory,
   * so that executors on other machines or in other folders read the same file.
   */
  public static InputSpec parse(String data, Map<String, String> values) {
    String s = data.trim();
    String task = values.get(ConfigKey.TASK.key());
    if (s.equals("iris") || s.startsWith("synthetic:")) {
      DataSpec spec = DataSpec.parse(s);
      if (!task.equals("auto")
          && Task.parse(task).equals(Task.CLASSIFICATION) != spec.classification()) {
        throw new IllegalArgumentException(
            "data '"
                + s
                + "' is "
                + (spec.classification() ? "classification" : "regression")
                + " data, but task is "
                + task
                + ": set task=auto (or leave it out) for built-in data");
      }
      return new InputSpec(spec, null);
    }
    String classes = values.get(ConfigKey.CLASSES.key());
    return new InputSpec(
        null,
        TableSpec.of(
            absolute(s),
            values.get(ConfigKey.FORMAT.key()),
            values.get(ConfigKey.LABEL_COLUMNS.key()),
            values.get(ConfigKey.FEATURE_COLUMNS.key()),
            values.get(ConfigKey.ID_COLUMN.key()),
            task.equals("auto") ? "" : task,
            classes.equals("auto") ? "" : classes,
            values.get(ConfigKey.CSV_HEADER.key()),
            values.get(ConfigKey.CSV_DELIMITER.key())));
  }

  private static String absolute(String path) {
    boolean hasScheme =
        path.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") && !path.matches("^[A-Za-z]:\\\\.*");
    return hasScheme ? path : new File(path).getAbsolutePath();
  }

  public boolean isFile() {
    return table != null;
  }

  /** The canonical text of the input: the data specification, or the file URI. */
  @Override
  public String toString() {
    return builtIn != null ? builtIn.toString() : table.uri();
  }
}
