package io.batchaudit.source;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * A validated file input (CSV, Parquet or LibSVM), loaded with Spark SQL: every row parsed,
 * checked, and numbered with its sample id before {@link #load} returns. Lives on the driver; the
 * RDD of {@link #examples()} is cached by Spark (the parsed rows, at {@code MEMORY_AND_DISK}) until
 * {@link #unpersist()}.
 *
 * <p>Sample ids are the values of {@code id-column}, or else the 0-based row index of the input:
 * files of a folder in the order of their paths, rows in file order, whatever Spark's partitioning
 * (which orders file splits by size).
 *
 * <p>A row is a data row as Spark reads it: CSV header lines and blank lines are not rows. Messages
 * give its 0-based index in the input (and, for a folder, the file and its index there).
 *
 * <p>{@link #featureStats()}, {@link #labels()} and {@link #fingerprint()} run Spark jobs on their
 * first call only; they are synchronized. Not Serializable: functions shipped to executors should
 * capture {@link #examples()} or plain values, not this object.
 */
public final class TableData {
  /**
   * Sample ids and labels on the driver, sorted by sample id, for checking an audit log's targets.
   *
   * @param sortedIds ascending, distinct
   * @param labels row-major, {@code width} per id, in the order of {@code sortedIds}
   * @param width the label width ({@link TableData#labelWidth()})
   */
  public record LabelTable(long[] sortedIds, float[] labels, int width) {
    /** The position of {@code id} in {@link #sortedIds()} (binary search), or -1 when absent. */
    public int indexOf(long id) {
      int i = Arrays.binarySearch(sortedIds, id);
      return i >= 0 ? i : -1;
    }

    /** The label of the id at {@code index} (a copy). */
    public float[] label(int index) {
      return Arrays.copyOfRange(labels, index * width, (index + 1) * width);
    }

    public int size() {
      return sortedIds.length;
    }
  }

  private final TableSpec spec;
  private final List<String> featureColumns;
  private final List<String> labelColumns;
  private final Task task;
  private final int classes;
  private final RowNumbering numbering;
  private final JavaRDD<ParsedRow> rows;
  private final JavaRDD<Example> examples;
  private double[][] featureStats;
  private LabelTable labels;
  private String fingerprint;

  TableData(
      TableSpec spec,
      List<String> featureColumns,
      List<String> labelColumns,
      Task task,
      int classes,
      RowNumbering numbering,
      JavaRDD<ParsedRow> rows) {
    this.spec = spec;
    this.featureColumns = List.copyOf(featureColumns);
    this.labelColumns = List.copyOf(labelColumns);
    this.task = task;
    this.classes = classes;
    this.numbering = numbering;
    this.rows = rows;
    this.examples = toExamples(rows, numbering, spec.hasIdColumn(), classes);
  }

  /**
   * Reads and validates a training input: runs Spark jobs that parse and check every row (and, with
   * an id column, that ids are unique), and caches the parsed rows.
   *
   * @throws IllegalArgumentException for bad input, naming the input, the row or column, the value
   *     and the fix; nothing stays cached then
   */
  public static TableData load(SparkSession spark, TableSpec spec) {
    return TableLoader.load(spark, spec, null);
  }

  /**
   * Reads and validates a validation input that must match {@code training}: the same feature
   * columns (by name, in training's order), label columns, task and classes, whatever {@code spec}
   * says of those; only its {@code uri}, {@code format}, {@code idColumn} and CSV options are used.
   * Columns other than these are ignored. A LibSVM input may have fewer features than the training
   * data: the missing entries are zero.
   *
   * @throws IllegalArgumentException as {@link #load}, and when a training column is missing or a
   *     class label is outside training's classes
   */
  public static TableData loadLike(SparkSession spark, TableSpec spec, TableData training) {
    Objects.requireNonNull(training, "training");
    return TableLoader.load(
        spark,
        spec,
        new TableReader.Like(
            training.spec.uri(),
            training.featureColumns,
            training.labelColumns,
            training.task,
            training.classes));
  }

  private static JavaRDD<Example> toExamples(
      JavaRDD<ParsedRow> rows, RowNumbering numbering, boolean hasId, int classes) {
    return rows.map(
        p -> {
          float[] label;
          if (classes > 0) {
            label = new float[classes];
            label[(int) p.label[0]] = 1f;
          } else {
            label = p.label.clone();
          }
          return new Example(hasId ? p.id : numbering.row(p), p.features.clone(), label);
        });
  }

  /** The spec as given (for {@link #loadLike}, see there which parts were used). */
  public TableSpec spec() {
    return spec;
  }

  /** The number of examples (rows of the input). */
  public long size() {
    return numbering.size();
  }

  /** The feature columns, resolved, in the order of the feature vector (LibSVM: f0 .. f{n-1}). */
  public List<String> featureColumns() {
    return featureColumns;
  }

  public List<String> labelColumns() {
    return labelColumns;
  }

  public Task task() {
    return task;
  }

  public int featureCount() {
    return featureColumns.size();
  }

  /** Width of a label: the number of classes (one-hot) or of regression targets. */
  public int labelWidth() {
    return task == Task.CLASSIFICATION ? classes : labelColumns.size();
  }

  /** The number of classes (as given, or the largest training label + 1); 0 for regression. */
  public int classes() {
    return classes;
  }

  /**
   * Every example, one per source row, with its sample id; partitioned as Spark read the files.
   * Derived by a map from the cached parsed rows, so the files are not read again; the same
   * examples on every evaluation.
   */
  public JavaRDD<Example> examples() {
    return examples;
  }

  /**
   * Per-feature population mean ({@code [0]}) and standard deviation ({@code [1]}) over all
   * examples, computed in Spark in two passes (mean, then squared deviations) in double precision,
   * partial sums added in partition order. Computed once.
   */
  public synchronized double[][] featureStats() {
    if (featureStats == null) {
      int f = featureCount();
      double n = size();
      double[] mean = sum(rows.map(p -> toDouble(p.features)), f);
      for (int j = 0; j < f; j++) {
        mean[j] /= n;
      }
      double[] std =
          sum(
              rows.map(
                  p -> {
                    double[] d = new double[f];
                    for (int j = 0; j < f; j++) {
                      double x = p.features[j] - mean[j];
                      d[j] = x * x;
                    }
                    return d;
                  }),
              f);
      for (int j = 0; j < f; j++) {
        std[j] = Math.sqrt(std[j] / n);
      }
      featureStats = new double[][] {mean, std};
    }
    return new double[][] {featureStats[0].clone(), featureStats[1].clone()};
  }

  /**
   * Sample ids and labels collected to the driver, sorted by id (sorted in Spark). Computed once;
   * every call returns the same table, whose arrays the caller must not modify.
   */
  public synchronized LabelTable labels() {
    if (labels == null) {
      int width = labelWidth();
      List<Tuple2<Long, float[]>> sorted =
          examples
              .mapToPair(e -> new Tuple2<>(e.sampleId(), e.label()))
              .sortByKey(true, examples.getNumPartitions())
              .collect();
      long[] ids = new long[sorted.size()];
      float[] values = new float[sorted.size() * width];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = sorted.get(i)._1();
        System.arraycopy(sorted.get(i)._2(), 0, values, i * width, width);
      }
      labels = new LabelTable(ids, values, width);
    }
    return labels;
  }

  /**
   * SHA-256 fingerprint of the examples, computed in Spark (see {@link ExampleDigest}): the same
   * whatever the files and partitioning, and for ids 0 .. n-1 the same as {@link
   * SourceData#fingerprint} of the same examples. Computed once.
   */
  public synchronized String fingerprint() {
    if (fingerprint == null) {
      fingerprint = ExampleDigest.of(examples);
    }
    return fingerprint;
  }

  /** Drops the cached rows; {@link #examples()} then reads the files again if used. */
  public void unpersist() {
    rows.unpersist(false);
  }

  @Override
  public String toString() {
    return "TableData["
        + spec.uri()
        + ", "
        + size()
        + " examples, "
        + featureCount()
        + " features, "
        + (task == Task.CLASSIFICATION ? classes + " classes" : labelWidth() + " targets")
        + "]";
  }

  private static double[] toDouble(float[] x) {
    double[] d = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      d[j] = x[j];
    }
    return d;
  }

  /** Sums vectors per partition, then the partition sums on the driver in partition order. */
  private static double[] sum(JavaRDD<double[]> vectors, int width) {
    List<double[]> partial =
        vectors
            .mapPartitions(
                it -> {
                  double[] s = new double[width];
                  while (it.hasNext()) {
                    double[] v = it.next();
                    for (int j = 0; j < width; j++) {
                      s[j] += v[j];
                    }
                  }
                  return List.of(s).iterator();
                })
            .collect();
    double[] total = new double[width];
    for (double[] s : partial) {
      for (int j = 0; j < width; j++) {
        total[j] += s[j];
      }
    }
    return total;
  }
}
