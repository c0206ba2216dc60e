package io.batchaudit.source;

import io.batchaudit.config.Keys;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The messages of bad file inputs, found on the driver. Each names the input, the place (column,
 * row), the value, and the fix. Problems inside a row are worded by {@link RowParser}, which runs
 * on executors, and placed here with {@link #inRow}.
 */
final class TableErrors {
  private static final int LISTED = 20;

  private TableErrors() {}

  static IllegalArgumentException inRow(String problem, String where, String fix) {
    return new IllegalArgumentException(problem + " at " + where + ": " + fix);
  }

  /**
   * A bad row, with a hint when it is the first line of a CSV file read without a header and holds
   * text: most likely column names.
   */
  static IllegalArgumentException inRow(ParsedRow bad, String where, long fileRow, TableSpec spec) {
    String fix = bad.fix;
    if (spec.format() == TableSpec.Format.CSV
        && !spec.csvHeader()
        && fileRow == 0
        && bad.problem.startsWith("Non-numeric")) {
      fix += " (if the first line holds column names, set key " + Keys.CSV_HEADER.name() + "=true)";
    }
    return inRow(bad.problem, where, fix);
  }

  /**
   * @param noBytes whether the files are empty (then a header line is not what is missing)
   */
  static IllegalArgumentException empty(TableSpec spec, boolean noBytes) {
    String hint =
        spec.format() == TableSpec.Format.CSV && spec.csvHeader() && !noBytes
            ? " (with "
                + Keys.CSV_HEADER.name()
                + "=true the first line of each file holds column names)"
            : "";
    return new IllegalArgumentException(
        "No rows in "
            + spec.uri()
            + hint
            + ": training needs at least one example; check key "
            + Keys.DATA.name());
  }

  static IllegalArgumentException unknownColumn(
      String column, String key, TableSpec spec, List<String> available) {
    String hint =
        spec.format() == TableSpec.Format.CSV
            ? spec.csvHeader()
                ? " (check "
                    + Keys.CSV_DELIMITER.name()
                    + " '"
                    + spec.csvDelimiter()
                    + "' and "
                    + Keys.CSV_HEADER.name()
                    + "=true too)"
                : " (" + Keys.CSV_HEADER.name() + "=false: Spark names them _c0, _c1, ...)"
            : "";
    return new IllegalArgumentException(
        "Unknown column '"
            + column
            + "' in key "
            + key
            + ": "
            + spec.uri()
            + " has columns "
            + list(available)
            + hint
            + "; fix key "
            + key);
  }

  static IllegalArgumentException missingTrainingColumn(
      String column, String trainingUri, TableSpec spec, List<String> available) {
    return new IllegalArgumentException(
        "Column '"
            + column
            + "' of the training data "
            + trainingUri
            + " is missing in "
            + spec.uri()
            + ", which has columns "
            + list(available)
            + ": validation data needs every feature and label column of the training data");
  }

  static IllegalArgumentException labelIsFeature(String column) {
    return new IllegalArgumentException(
        "Column '"
            + column
            + "' is both a label ("
            + Keys.LABEL_COLUMNS.name()
            + ") and a feature ("
            + Keys.FEATURE_COLUMNS.name()
            + "): the network would be given its own target; remove it from "
            + Keys.FEATURE_COLUMNS.name());
  }

  static IllegalArgumentException notNumeric(
      String column, String type, TableSpec spec, boolean label) {
    return new IllegalArgumentException(
        "Column '"
            + column
            + "' of "
            + spec.uri()
            + " has type "
            + type
            + ": features and labels must be numeric (an integral or floating type); convert it or "
            + (label
                ? "check key " + Keys.LABEL_COLUMNS.name()
                : "leave it out of key " + Keys.FEATURE_COLUMNS.name()));
  }

  static IllegalArgumentException idNotNumeric(String column, String type, TableSpec spec) {
    return new IllegalArgumentException(
        "Id column '"
            + column
            + "' of "
            + spec.uri()
            + " has type "
            + type
            + ": sample ids must be integral numbers; convert it or unset key "
            + Keys.ID_COLUMN.name()
            + " to number rows by position");
  }

  static IllegalArgumentException idIsData(String column, String key, TableSpec spec) {
    return new IllegalArgumentException(
        "Column '"
            + column
            + "' of "
            + spec.uri()
            + " is the "
            + Keys.ID_COLUMN.name()
            + " and also in "
            + key
            + ": sample ids are not data; choose another id column or unset key "
            + Keys.ID_COLUMN.name());
  }

  static IllegalArgumentException noFeatures(TableSpec spec, List<String> available) {
    return new IllegalArgumentException(
        "No feature columns in "
            + spec.uri()
            + ": its columns "
            + list(available)
            + " are all labels or the id; check keys "
            + Keys.LABEL_COLUMNS.name()
            + " and "
            + Keys.ID_COLUMN.name());
  }

  static IllegalArgumentException duplicateId(
      long id, String column, TableSpec spec, long count, List<Long> rows) {
    String listed =
        rows.stream().map(String::valueOf).collect(Collectors.joining(", "))
            + (count > rows.size() ? ", ..." : "");
    return new IllegalArgumentException(
        "Duplicate id "
            + id
            + " in column '"
            + column
            + "' of "
            + spec.uri()
            + ": it occurs "
            + count
            + " times (rows "
            + listed
            + "); sample ids must be unique: fix the ids or unset key "
            + Keys.ID_COLUMN.name()
            + " to number rows by position");
  }

  static IllegalArgumentException oneClass(String column, TableSpec spec) {
    return new IllegalArgumentException(
        "Only class 0 in label column '"
            + column
            + "' of "
            + spec.uri()
            + ": classification needs at least 2 classes; check key "
            + Keys.LABEL_COLUMNS.name()
            + ", or set key "
            + Keys.CLASSES.name()
            + " (>= 2) if this data lacks some classes");
  }

  static IllegalArgumentException unreadable(TableSpec spec, Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage()).strip().replaceAll("\\s*\n\\s*", " ");
    String fix =
        message.startsWith("CSV header does not conform")
            ? "every file needs the same header (the same columns in the same order)"
            : "check the file and key " + Keys.FORMAT.name();
    return new IllegalArgumentException(
        "Cannot read " + spec.uri() + " as " + spec.format().label() + ": " + message + "; " + fix,
        e);
  }

  /** Column names, at most {@value #LISTED} of them. */
  static String list(List<String> names) {
    if (names.size() <= LISTED) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, LISTED)) + ", ... (" + names.size() + " in all)";
  }
}
