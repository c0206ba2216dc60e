package io.batchaudit.train;

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
    return data.examples(sc, slices)
        .map(
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
