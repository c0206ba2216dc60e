package io.batchaudit.train;

import io.batchaudit.read.LabelSource;
import io.batchaudit.source.DataShape;
import io.batchaudit.source.InputSpec;
import io.batchaudit.source.SourceData;
import io.batchaudit.source.TableData;
import io.batchaudit.source.Task;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The examples a job trains or validates on, loaded and checked, whatever their source: built-in
 * data ({@link SourceData}) or files ({@link TableData}). Runs on the driver; the examples
 * themselves stay in Spark.
 */
public abstract class InputData {
  private InputData() {}

  /**
   * Loads {@code spec} ({@code sc} may be null for built-in data); file inputs are read and every
   * row checked now (bad input raises {@link IllegalArgumentException} naming the file, row or
   * column, value and fix).
   */
  public static InputData load(JavaSparkContext sc, InputSpec spec) {
    return spec.isFile()
        ? new Table(TableData.load(session(sc), spec.table()))
        : new Generated(SourceData.of(spec.builtIn()));
  }

  /**
   * Loads validation data that must have {@code training}'s shape; a file input takes training's
   * feature and label columns, task and classes.
   */
  public static InputData loadLike(JavaSparkContext sc, InputSpec spec, InputData training) {
    InputData v;
    if (spec.isFile() && training instanceof Table t) {
      v = new Table(TableData.loadLike(session(sc), spec.table(), t.data));
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
   * One single-example DataSet per example, whose example metadata is its sample id (a {@code
   * Long}), features standardized when {@code standardizer} is not null.
   */
  public abstract JavaRDD<DataSet> toRdd(
      JavaSparkContext sc, int slices, Standardizer standardizer);

  /** SHA-256 over all examples in sample id order (see {@link SourceData#fingerprint}). */
  public abstract String fingerprint(JavaSparkContext sc);

  /** Per-feature population mean and standard deviation, for standardization. */
  public abstract double[][] featureStats(JavaSparkContext sc);

  /** The labels by sample id, collected to the driver (for verify and coverage). */
  public abstract LabelSource labels();

  /** Releases what the input keeps cached in Spark. */
  public void release() {}

  private static DataSet single(long id, float[] x, float[] y) {
    DataSet ds = new DataSet(Nd4j.create(x, 1, x.length), Nd4j.create(y, 1, y.length));
    ds.setExampleMetaData(List.of(id));
    return ds;
  }

  /** Built-in data: generated inside Spark tasks, sample ids 0 .. size-1. */
  static final class Generated extends InputData {
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
    public JavaRDD<DataSet> toRdd(JavaSparkContext sc, int slices, Standardizer standardizer) {
      JavaRDD<DataSet> rdd = data.toRdd(sc, slices);
      if (standardizer == null) {
        return rdd;
      }
      return rdd.map(
          d -> {
            float[] x = d.getFeatures().dup('c').data().asFloat();
            standardizer.apply(x);
            return single(
                ((Number) d.getExampleMetaData().get(0)).longValue(),
                x,
                d.getLabels().dup('c').data().asFloat());
          });
    }

    @Override
    public String fingerprint(JavaSparkContext sc) {
      return data.fingerprint(sc);
    }

    @Override
    public double[][] featureStats(JavaSparkContext sc) {
      int f = data.featureCount();
      JavaRDD<DataSet> rdd = data.toRdd(sc, sc.defaultParallelism());
      double n = data.size();
      double[] mean =
          rdd.map(d -> toDouble(d.getFeatures().dup('c').data().asFloat()))
              .fold(new double[f], InputData::add);
      for (int j = 0; j < f; j++) {
        mean[j] /= n;
      }
      double[] var =
          rdd.map(
                  d -> {
                    float[] x = d.getFeatures().dup('c').data().asFloat();
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
    public LabelSource labels() {
      float[] features = new float[data.featureCount()];
      return new LabelSource() {
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
  static final class Table extends InputData {
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
    public JavaRDD<DataSet> toRdd(JavaSparkContext sc, int slices, Standardizer standardizer) {
      JavaRDD<TableData.Example> examples = data.examples();
      if (examples.getNumPartitions() < slices) {
        examples = examples.repartition(slices);
      }
      return examples.map(
          e -> {
            float[] x = e.features().clone();
            if (standardizer != null) {
              standardizer.apply(x);
            }
            return single(e.sampleId(), x, e.label());
          });
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
    public LabelSource labels() {
      TableData.LabelTable table = data.labels();
      String description = data.spec().uri();
      return new LabelSource() {
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
