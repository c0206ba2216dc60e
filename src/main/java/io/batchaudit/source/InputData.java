package io.batchaudit.source;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The examples a job trains or validates on, loaded and checked, one implementation per kind of
 * source: built-in data ({@link Generated}, over {@link SourceData}) or files ({@link Table}, over
 * {@link TableData}). Lives on the driver; the examples themselves stay in Spark.
 */
public abstract sealed class InputData permits InputData.Generated, InputData.Table {
  private InputData() {}

  /**
   * Loads {@code spec} ({@code sc} may be null for built-in data); file inputs are read and every
   * row checked now (bad input raises {@link IllegalArgumentException} naming the file, row or
   * column, value and fix).
   */
  public static InputData load(JavaSparkContext sc, InputSpec spec) {
    return spec instanceof TableSpec table
        ? new Table(TableData.load(session(sc), table))
        : new Generated(SourceData.of((DataSpec) spec));
  }

  /**
   * Loads validation data that must have {@code training}'s shape; a file input takes training's
   * feature and label columns, task and classes.
   *
   * @throws IllegalArgumentException as {@link #load}, and {@code Invalid validation-data ...} when
   *     the shapes differ
   */
  public static InputData loadLike(JavaSparkContext sc, InputSpec spec, InputData training) {
    InputData v;
    if (spec instanceof TableSpec table && training instanceof Table t) {
      v = new Table(TableData.loadLike(session(sc), table, t.data));
    } else {
      v = load(sc, spec);
    }
    if (!v.shape().equals(training.shape())) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid validation-data '%s': it has %s, the training data %s has %s; validation"
                  + " data must have the same shape",
              v.description(),
              v.shape().describe(),
              training.description(),
              training.shape().describe()));
    }
    return v;
  }

  private static SparkSession session(JavaSparkContext sc) {
    return SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
  }

  /** What the input is, for messages and the run's metadata. */
  public abstract String description();

  public abstract long size();

  public abstract DataShape shape();

  /**
   * Every example with its sample id, in at least {@code min(slices, size)} partitions: built-in
   * data as {@link SourceData#examples(JavaSparkContext, int)}; files as Spark read them,
   * repartitioned into {@code slices} partitions when it read fewer. Each evaluation yields the
   * same examples, in new arrays.
   */
  public abstract JavaRDD<Example> examples(JavaSparkContext sc, int slices);

  /** SHA-256 over all examples in sample id order (see {@link SourceData#fingerprint}). */
  public abstract String fingerprint(JavaSparkContext sc);

  /** Per-feature population mean ({@code [0]}) and standard deviation ({@code [1]}). */
  public abstract double[][] featureStats(JavaSparkContext sc);

  /** The labels by sample id, collected to the driver (for verify and coverage). */
  public abstract Labels labels();

  /** Releases what the input keeps cached in Spark. */
  public void release() {}

  /** Built-in data: generated inside Spark tasks, sample ids 0 .. size-1. */
  public static final class Generated extends InputData {
    private final SourceData data;

    Generated(SourceData data) {
      this.data = data;
    }

    @Override
    public String description() {
      return data.spec().toString();
    }

    @Override
    public long size() {
      return data.size();
    }

    @Override
    public DataShape shape() {
      return data.spec().shape();
    }

    @Override
    public JavaRDD<Example> examples(JavaSparkContext sc, int slices) {
      return data.examples(sc, slices);
    }

    @Override
    public String fingerprint(JavaSparkContext sc) {
      return data.fingerprint(sc);
    }

    @Override
    public double[][] featureStats(JavaSparkContext sc) {
      int f = data.featureCount();
      JavaRDD<Example> rdd = data.examples(sc, sc.defaultParallelism());
      double n = data.size();
      double[] mean = rdd.map(e -> toDouble(e.features())).fold(new double[f], InputData::add);
      for (int j = 0; j < f; j++) {
        mean[j] /= n;
      }
      double[] var =
          rdd.map(
                  e -> {
                    float[] x = e.features();
                    double[] s = new double[f];
                    for (int j = 0; j < f; j++) {
                      s[j] = (x[j] - mean[j]) * (x[j] - mean[j]);
                    }
                    return s;
                  })
              .fold(new double[f], InputData::add);
      for (int j = 0; j < f; j++) {
        var[j] = Math.sqrt(var[j] / n);
      }
      return new double[][] {mean, var};
    }

    @Override
    public Labels labels() {
      float[] features = new float[data.featureCount()];
      return new Labels() {
        @Override
        public long size() {
          return data.size();
        }

        @Override
        public int width() {
          return data.labelWidth();
        }

        @Override
        public void label(long sampleId, float[] out) {
          data.example(sampleId, features, out);
        }

        @Override
        public String description() {
          return data.spec().toString();
        }
      };
    }
  }

  /** Files read with Spark SQL: sample ids from the id column or the row index. */
  public static final class Table extends InputData {
    private final TableData data;

    Table(TableData data) {
      this.data = data;
    }

    @Override
    public String description() {
      return data.spec().uri();
    }

    @Override
    public long size() {
      return data.size();
    }

    @Override
    public DataShape shape() {
      return new DataShape(
          data.featureCount(), data.labelWidth(), data.task() == Task.CLASSIFICATION);
    }

    @Override
    public JavaRDD<Example> examples(JavaSparkContext sc, int slices) {
      JavaRDD<Example> examples = data.examples();
      return examples.getNumPartitions() < slices ? examples.repartition(slices) : examples;
    }

    @Override
    public String fingerprint(JavaSparkContext sc) {
      return data.fingerprint();
    }

    @Override
    public double[][] featureStats(JavaSparkContext sc) {
      return data.featureStats();
    }

    @Override
    public Labels labels() {
      TableData.LabelTable table = data.labels();
      String description = data.spec().uri();
      return new Labels() {
        @Override
        public long size() {
          return table.size();
        }

        @Override
        public int width() {
          return table.width();
        }

        @Override
        public void label(long sampleId, float[] out) {
          System.arraycopy(table.label(table.indexOf(sampleId)), 0, out, 0, out.length);
        }

        @Override
        public String description() {
          return description;
        }

        @Override
        public long indexOf(long sampleId) {
          return table.indexOf(sampleId);
        }

        @Override
        public long idAt(long index) {
          return table.sortedIds()[(int) index];
        }
      };
    }

    @Override
    public void release() {
      data.unpersist();
    }
  }

  private static double[] toDouble(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }

  private static double[] add(double[] a, double[] b) {
    double[] s = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      s[i] = a[i] + b[i];
    }
    return s;
  }
}
