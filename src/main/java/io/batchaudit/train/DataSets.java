package io.batchaudit.train;

import io.batchaudit.source.Example;
import io.batchaudit.source.InputData;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Source examples as DL4J data sets: one single-example {@link DataSet} per example, whose example
 * metadata is its sample id (a {@code Long}). DL4J keeps example metadata when it merges examples
 * into minibatches, which is how the sample ids reach the workers. The conversion runs inside the
 * Spark tasks that produce the examples.
 */
final class DataSets {
  private DataSets() {}

  /**
   * The examples of {@code data}, partitioned as {@link InputData#examples} partitions them,
   * features standardized when {@code standardizer} is not null.
   */
  static JavaRDD<DataSet> of(
      InputData data, JavaSparkContext sc, int slices, Standardizer standardizer) {
    return convert(data.examples(sc, slices), standardizer);
  }

  /**
   * As {@link #of}, the examples in an order shuffled by {@code seed}: sorted by a bijective mix of
   * the seed and the sample id (SplitMix64's finalizer), so distinct ids never tie and the same
   * seed and data give the same order and partitions, wherever and however often it runs. Spark's
   * sort moves the plain examples, before conversion; sample ids and labels are unchanged.
   */
  static JavaRDD<DataSet> shuffled(
      InputData data, JavaSparkContext sc, int slices, Standardizer standardizer, long seed) {
    JavaRDD<Example> examples = data.examples(sc, slices);
    return convert(examples.sortBy(e -> order(seed, e.sampleId()), true, slices), standardizer);
  }

  /** The shuffled position key of {@code sampleId}: a bijection of the id for a fixed seed. */
  static long order(long seed, long sampleId) {
    long z = sampleId + seed * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static JavaRDD<DataSet> convert(JavaRDD<Example> examples, Standardizer standardizer) {
    return examples.map(
        e -> {
          float[] x = e.features();
          if (standardizer != null) {
            standardizer.apply(x);
          }
          return single(e.sampleId(), x, e.label());
        });
  }

  private static DataSet single(long id, float[] x, float[] y) {
    DataSet ds = new DataSet(Nd4j.create(x, 1, x.length), Nd4j.create(y, 1, y.length));
    ds.setExampleMetaData(List.of(id));
    return ds;
  }
}
