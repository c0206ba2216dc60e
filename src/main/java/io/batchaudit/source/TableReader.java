package io.batchaudit.source;

import io.batchaudit.config.Keys;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Plans the read of a file input on the driver: finds the files, opens them with Spark SQL's source
 * for the format, resolves the feature, label and id columns against the schema, and lays out the
 * rows for {@link RowParser}. Reads no rows itself (LibSVM aside: Spark's source scans the files
 * once to count the features).
 */
final class TableReader {
  /** The column of CSV lines that do not have one field per column. */
  static final String MALFORMED = "_batch_audit_malformed_line";

  private static final Pattern LIBSVM_FEATURE = Pattern.compile("f(0|[1-9]\\d{0,8})");

  private TableReader() {}

  /** The training input that a validation input must match. */
  record Like(
      String uri, List<String> featureColumns, List<String> labelColumns, Task task, int classes) {}

  /**
   * A planned read.
   *
   * @param rows the columns laid out for {@code parser}: one row per source row
   * @param classes as given (0 = inferred from the labels), or the training data's
   */
  record Plan(
      TableInput input,
      Dataset<Row> rows,
      RowParser parser,
      List<String> featureColumns,
      List<String> labelColumns,
      Task task,
      int classes) {}

  /**
   * @param like the training input to match, or null for a training input
   * @throws IllegalArgumentException when the input is missing, empty, or lacks a named column, or
   *     a column has a type that cannot hold numbers
   */
  static Plan plan(SparkSession spark, TableSpec spec, Like like) {
    TableInput input = TableInput.locate(spark.sparkContext().hadoopConfiguration(), spec.uri());
    if (input.dataBytes() == 0) {
      throw TableErrors.empty(spec, true);
    }
    Task task = like == null ? spec.task() : like.task();
    int classes = like == null ? spec.classes() : like.classes();
    Dataset<Row> df = open(spark, spec, input);
    boolean libsvm = spec.format() == TableSpec.Format.LIBSVM;
    List<String> available = columns(df, libsvm);
    Set<String> known = new HashSet<>(available);

    List<String> labels =
        like != null
            ? like.labelColumns()
            : libsvm ? List.of(TableSpec.LIBSVM_LABEL) : spec.labelColumns();
    for (String label : labels) {
      require(label, Keys.LABEL_COLUMNS.name(), spec, like, known, available);
    }
    String id = spec.idColumn();
    if (id != null) {
      require(id, Keys.ID_COLUMN.name(), spec, null, known, available);
      if (labels.contains(id)) {
        throw TableErrors.idIsData(id, Keys.LABEL_COLUMNS.name(), spec);
      }
    }
    List<String> features = features(spec, like, available, labels, id);
    int[] vectorIndex = new int[libsvm ? features.size() : 0];
    for (int j = 0; j < features.size(); j++) {
      String f = features.get(j);
      if (f.equals(id)) {
        throw TableErrors.idIsData(id, Keys.FEATURE_COLUMNS.name(), spec);
      }
      if (labels.contains(f)) {
        throw TableErrors.labelIsFeature(f);
      }
      Matcher entry = LIBSVM_FEATURE.matcher(f);
      boolean isEntry = libsvm && entry.matches();
      // loadLike: a LibSVM line lists non-zero entries only, so an entry beyond this input's
      // largest one is 0
      if (!(isEntry && like != null)) {
        require(f, Keys.FEATURE_COLUMNS.name(), spec, like, known, available);
      }
      if (isEntry) {
        vectorIndex[j] = Integer.parseInt(entry.group(1));
      }
    }
    if (spec.format() == TableSpec.Format.PARQUET) {
      checkNumeric(df.schema(), spec, features, labels, id);
    }

    RowParser parser =
        new RowParser(
            libsvm
                ? RowParser.Cells.VECTOR
                : spec.format() == TableSpec.Format.CSV
                    ? RowParser.Cells.TEXT
                    : RowParser.Cells.NUMBER,
            features,
            labels,
            id,
            vectorIndex,
            task,
            classes,
            labelRange(task, classes, like),
            spec.format() == TableSpec.Format.CSV ? lineFix(spec, available) : null);
    return new Plan(
        input,
        df.select(layout(spec, features, labels, id)),
        parser,
        List.copyOf(features),
        List.copyOf(labels),
        task,
        classes);
  }

  /** The columns of the input (LibSVM: {@code label} and the vector's entries f0, f1, ...). */
  private static List<String> columns(Dataset<Row> df, boolean libsvm) {
    List<String> available = new ArrayList<>();
    if (libsvm) {
      available.add(TableSpec.LIBSVM_LABEL);
      int size = AttributeGroup.fromStructField(df.schema().apply("features")).size();
      for (int j = 0; j < size; j++) {
        available.add("f" + j);
      }
    } else {
      for (String c : df.columns()) {
        if (!c.equals(MALFORMED)) {
          available.add(c);
        }
      }
    }
    return available;
  }

  /** The feature columns: the training's, the spec's, or all that are not labels or the id. */
  private static List<String> features(
      TableSpec spec, Like like, List<String> available, List<String> labels, String id) {
    List<String> features = new ArrayList<>();
    if (like != null) {
      features.addAll(like.featureColumns());
    } else if (!spec.featureColumns().isEmpty()) {
      features.addAll(spec.featureColumns());
    } else {
      Set<String> exclude = new HashSet<>(labels);
      for (String c : available) {
        if (!exclude.contains(c) && !c.equals(id)) {
          features.add(c);
        }
      }
      if (features.isEmpty()) {
        throw TableErrors.noFeatures(spec, available);
      }
    }
    return features;
  }

  private static void checkNumeric(
      StructType schema, TableSpec spec, List<String> features, List<String> labels, String id) {
    List<String> cells = new ArrayList<>(features);
    cells.addAll(labels);
    for (String c : cells) {
      DataType t = schema.apply(c).dataType();
      if (!(t instanceof NumericType)) {
        throw TableErrors.notNumeric(c, t.simpleString(), spec, labels.contains(c));
      }
    }
    if (id != null && !(schema.apply(id).dataType() instanceof NumericType)) {
      throw TableErrors.idNotNumeric(id, schema.apply(id).dataType().simpleString(), spec);
    }
  }

  /** The columns read, in the layout {@link RowParser} expects. */
  private static Column[] layout(
      TableSpec spec, List<String> features, List<String> labels, String id) {
    List<String> cells = new ArrayList<>();
    if (spec.format() == TableSpec.Format.LIBSVM) {
      cells.add("features");
      cells.add(TableSpec.LIBSVM_LABEL);
    } else {
      cells.addAll(features);
      cells.addAll(labels);
      if (id != null) {
        cells.add(id);
      }
      if (spec.format() == TableSpec.Format.CSV) {
        cells.add(MALFORMED);
      }
    }
    List<Column> columns = new ArrayList<>();
    for (String c : cells) {
      columns.add(functions.col("`" + c.replace("`", "``") + "`"));
    }
    columns.add(functions.col("_metadata.file_path"));
    columns.add(functions.col("_metadata.file_block_start"));
    return columns.toArray(new Column[0]);
  }

  /** The allowed class labels and where that comes from, for messages. */
  private static String labelRange(Task task, int classes, Like like) {
    if (task == Task.REGRESSION) {
      return "";
    }
    if (like != null) {
      return "[0, "
          + classes
          + ") (the classes of the training data "
          + like.uri()
          + ": key "
          + Keys.CLASSES.name()
          + ", or its largest label + 1)";
    }
    if (classes > 0) {
      return "[0, " + classes + ") (key " + Keys.CLASSES.name() + " = " + classes + ")";
    }
    return "[0, "
        + Keys.MAX_CLASSES
        + ") (key "
        + Keys.CLASSES.name()
        + " = 0: the number of classes is the largest label + 1)";
  }

  private static String lineFix(TableSpec spec, List<String> available) {
    return "expected "
        + available.size()
        + " fields ("
        + TableErrors.list(available)
        + ") separated by '"
        + spec.csvDelimiter()
        + "'; fix the line or check key "
        + Keys.CSV_DELIMITER.name();
  }

  /**
   * The error for an input that Spark could not read or parse; for LibSVM the first line that
   * Spark's source rejects, found by {@link LibSvmLines}.
   */
  static IllegalArgumentException unreadable(
      SparkSession spark, TableSpec spec, TableInput input, Exception e) {
    if (spec.format() == TableSpec.Format.LIBSVM) {
      Optional<IllegalArgumentException> line =
          LibSvmLines.firstBad(spark.sparkContext().hadoopConfiguration(), input);
      if (line.isPresent()) {
        line.get().addSuppressed(e);
        return line.get();
      }
    }
    return TableErrors.unreadable(spec, e);
  }

  private static Dataset<Row> open(SparkSession spark, TableSpec spec, TableInput input) {
    try {
      switch (spec.format()) {
        case CSV:
          // every cell as a string: parsed by RowParser, which reports the row and column
          DataFrameReader reader =
              spark
                  .read()
                  .option("header", spec.csvHeader())
                  .option("sep", spec.csvDelimiter())
                  .option("inferSchema", false)
                  .option("ignoreLeadingWhiteSpace", true)
                  .option("ignoreTrailingWhiteSpace", true);
          // the column names, from the first line of the first file in path order: the header
          // that the files named later are held to (Spark's own pick depends on file sizes)
          StructType schema = new StructType();
          for (String name : reader.csv(literal(input.dataFiles().get(0))).columns()) {
            schema = schema.add(name, DataTypes.StringType);
          }
          // a line with too few or too many fields lands in MALFORMED instead of being padded
          // or cut; and every file's header must name the same columns in the same order
          return reader
              .schema(schema.add(MALFORMED, DataTypes.StringType))
              .option("mode", "PERMISSIVE")
              .option("columnNameOfCorruptRecord", MALFORMED)
              .option("enforceSchema", false)
              .csv(spec.uri());
        case PARQUET:
          return spark.read().parquet(spec.uri());
        default:
          return spark.read().format("libsvm").load(spec.uri());
      }
    } catch (Exception e) {
      throw unreadable(spark, spec, input, e);
    }
  }

  /** A file path that Spark does not expand as a glob pattern. */
  private static String literal(String file) {
    return file.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
  }

  private static void require(
      String column,
      String key,
      TableSpec spec,
      Like like,
      Set<String> known,
      List<String> available) {
    if (!known.contains(column)) {
      throw like != null
          ? TableErrors.missingTrainingColumn(column, like.uri(), spec, available)
          : TableErrors.unknownColumn(column, key, spec, available);
    }
  }
}
