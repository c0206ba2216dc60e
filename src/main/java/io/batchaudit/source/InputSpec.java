package io.batchaudit.source;

import io.batchaudit.config.JobConfig;
import io.batchaudit.config.Keys;
import java.io.File;
import java.io.Serializable;

/**
 * What a job reads for training or validation, one implementation per kind: a built-in generator
 * ({@link DataSpec}: {@code iris}, {@code synthetic:...}) or files ({@link TableSpec}: CSV,
 * Parquet, LibSVM).
 *
 * <p>Serializable: small and immutable, it may travel with a job's configuration.
 */
public sealed interface InputSpec extends Serializable permits DataSpec, TableSpec {

  /**
   * The training input: key {@code data}, with the file keys (format, label-columns,
   * feature-columns, id-column, task, classes, csv.header, csv.delimiter) for files.
   *
   * @throws IllegalArgumentException {@code Invalid data '<value>': ...}, or a file key's own
   *     {@code Invalid <key> ...}
   */
  static InputSpec training(JobConfig config) {
    return Keys.DATA.interpret(config, data -> parse(data, config));
  }

  /**
   * The validation input of key {@code validation-data} (read as {@link #training} reads {@code
   * data}), or null when the key is empty.
   */
  static InputSpec validation(JobConfig config) {
    return config.get(Keys.VALIDATION_DATA).isBlank()
        ? null
        : Keys.VALIDATION_DATA.interpret(config, data -> parse(data, config));
  }

  /**
   * A local path without a scheme is made absolute against the working directory, so that executors
   * on other machines or in other folders read the same file.
   */
  private static InputSpec parse(String data, JobConfig config) {
    String s = data.trim();
    String task = config.get(Keys.TASK);
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
                + config.text(Keys.TASK)
                + ": set task=auto (or leave it out) for built-in data");
      }
      return spec;
    }
    return TableSpec.of(absolute(s), config);
  }

  private static String absolute(String path) {
    boolean hasScheme =
        path.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") && !path.matches("^[A-Za-z]:\\\\.*");
    return hasScheme ? path : new File(path).getAbsolutePath();
  }

  /**
   * The canonical text of the input, stored with the run so that {@code verify} can reload it: the
   * data specification, or the file URI.
   */
  @Override
  String toString();
}
