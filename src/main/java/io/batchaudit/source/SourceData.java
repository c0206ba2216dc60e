package io.batchaudit.source;

import java.io.Serializable;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Built-in source examples addressed by sample id (0 .. size-1), generated where they are used.
 * Serializable: the RDD built by {@link #examples(JavaSparkContext, int)} generates examples inside
 * Spark tasks from this object.
 */
public interface SourceData extends Serializable {

  DataSpec spec();

  default long size() {
    return spec().rows();
  }

  default int featureCount() {
    return spec().features();
  }

  default int labelWidth() {
    return spec().labelWidth();
  }

  /**
   * Writes example {@code id}'s features and label (one-hot for classification) into the arrays.
   */
  void example(long id, float[] features, float[] label);

  /** The source data for a spec. */
  static SourceData of(DataSpec spec) {
    return spec.kind() == DataSpec.Kind.IRIS ? IrisData.load() : new SyntheticData(spec);
  }

  /**
   * Every example, in id order: the ids split into {@code min(slices, size)} contiguous ranges of
   * (nearly) equal length, one partition each, generated inside the tasks.
   */
  default JavaRDD<Example> examples(JavaSparkContext sc, int slices) {
    long n = size();
    int parts = (int) Math.max(1, Math.min(slices, n));
    List<long[]> ranges = new ArrayList<>(parts);
    for (int i = 0; i < parts; i++) {
      ranges.add(new long[] {n * i / parts, n * (i + 1) / parts});
    }
    SourceData self = this;
    return sc.parallelize(ranges, parts).flatMap(r -> self.examples(r[0], r[1]));
  }

  /**
   * SHA-256 over every example (features, then label, as little-endian float32) in sample id order,
   * computed in Spark over fixed chunks of ids so that it does not depend on the cluster; the same
   * as {@link ExampleDigest} of the same examples.
   */
  default String fingerprint(JavaSparkContext sc) {
    long n = size();
    long chunk = 1 << 16;
    List<long[]> ranges = new ArrayList<>();
    for (long from = 0; from < n; from += chunk) {
      ranges.add(new long[] {from, Math.min(n, from + chunk)});
    }
    SourceData self = this;
    List<byte[]> digests =
        sc.parallelize(ranges, Math.max(1, Math.min(ranges.size(), sc.defaultParallelism())))
            .map(r -> self.digest(r[0], r[1]))
            .collect();
    MessageDigest md = ExampleDigest.sha256();
    digests.forEach(md::update);
    return ExampleDigest.hex(md.digest());
  }

  /** SHA-256 of the examples {@code from} (inclusive) to {@code to} (exclusive). */
  default byte[] digest(long from, long to) {
    MessageDigest md = ExampleDigest.sha256();
    float[] x = new float[featureCount()];
    float[] y = new float[labelWidth()];
    for (long id = from; id < to; id++) {
      example(id, x, y);
      md.update(ExampleDigest.bytes(x, y));
    }
    return md.digest();
  }

  /** The examples of ids {@code from} (inclusive) to {@code to} (exclusive), each in new arrays. */
  default Iterator<Example> examples(long from, long to) {
    int f = featureCount();
    int k = labelWidth();
    return new Iterator<>() {
      long next = from;

      @Override
      public boolean hasNext() {
        return next < to;
      }

      @Override
      public Example next() {
        if (next >= to) {
          throw new NoSuchElementException();
        }
        float[] x = new float[f];
        float[] y = new float[k];
        example(next, x, y);
        return new Example(next++, x, y);
      }
    };
  }
}
