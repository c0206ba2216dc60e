package io.batchaudit.source;

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
      fix += " (if the first line holds column names, set key " + TableSpec.CSV_HEADER + "=true)";
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
                + TableSpec.CSV_HEADER
                + "=true the first line of each file holds column names)"
            : "";
    return new IllegalArgumentException(
        "No rows in "
            + spec.uri()
            + hint
            + ": training needs at least one example; check key "
            + TableSpec.DATA);
  }

  static IllegalArgumentException unknownColumn(
      String column, String key, TableSpec spec, List<String> available) {
    String hint =
        spec.format() == TableSpec.Format.CSV
            ? spec.csvHeader()
                ? " (check "
                    + TableSpec.CSV_DELIMITER
                    + " '"
                    + spec.csvDelimiter()
                    + "' and "
                    + TableSpec.CSV_HEADER
                    + "=true too)"
                : " (" + TableSpec.CSV_HEADER + "=false: Spark names them _c0, _c1, ...)"
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
            + TableSpec.LABEL_COLUMNS
            + ") and a feature ("
            + TableSpec.FEATURE_COLUMNS
            + "): the network would be given its own target; remove it from "
            + TableSpec.FEATURE_COLUMNS);
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
                ? "check key " + TableSpec.LABEL_COLUMNS
                : "leave it out of key " + TableSpec.FEATURE_COLUMNS));
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
            + TableSpec.ID_COLUMN
            + " to number rows by position");
  }

  static IllegalArgumentException idIsData(String column, String key, TableSpec spec) {
    return new IllegalArgumentException(
        "Column '"
            + column
            + "' of "
            + spec.uri()
            + " is the "
            + TableSpec.ID_COLUMN
            + " and also in "
            + key
            + ": sample ids are not data; choose another id column or unset key "
            + TableSpec.ID_COLUMN);
  }

  static IllegalArgumentException noFeatures(TableSpec spec, List<String> available) {
    return new IllegalArgumentException(
        "No feature columns in "
            + spec.uri()
            + ": its columns "
            + list(available)
            + " are all labels or the id; check keys "
            + TableSpec.LABEL_COLUMNS
            + " and "
            + TableSpec.ID_COLUMN);
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
            + TableSpec.ID_COLUMN
            + " to number rows by position");
  }

  static IllegalArgumentException oneClass(String column, TableSpec spec) {
    return new IllegalArgumentException(
        "Only class 0 in label column '"
            + column
            + "' of "
            + spec.uri()
            + ": classification needs at least 2 classes; check key "
            + TableSpec.LABEL_COLUMNS
            + ", or set key "
            + TableSpec.CLASSES
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
            : "check the file and key " + TableSpec.FORMAT;
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
