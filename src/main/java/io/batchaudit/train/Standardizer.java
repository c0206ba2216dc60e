package io.batchaudit.train;

import java.io.Serializable;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Standardizes features with the mean and standard deviation of the training data: {@code (x -
 * mean) / std} per feature ({@code std} 0 counts as 1, so a constant feature becomes 0). The same
 * transform as ND4J's {@link NormalizerStandardize}, which {@link #toNd4j()} returns for saving
 * with the model.
 *
 * @param mean per-feature population mean of the training data
 * @param std per-feature population standard deviation of the training data
 */
public record Standardizer(float[] mean, float[] std) implements Serializable {

  /** From the statistics {@code {means, stds}} of the training features. */
  static Standardizer of(double[][] stats) {
    int f = stats[0].length;
    float[] mean = new float[f];
    float[] std = new float[f];
    for (int j = 0; j < f; j++) {
      mean[j] = (float) stats[0][j];
      std[j] = stats[1][j] == 0 ? 1f : (float) stats[1][j];
    }
    return new Standardizer(mean, std);
  }

  /** Standardizes {@code x} in place. */
  void apply(float[] x) {
    for (int j = 0; j < x.length; j++) {
      x[j] = (x[j] - mean[j]) / std[j];
    }
  }

  /** ND4J's normalizer with these statistics, as saved in {@code model.zip}. */
  NormalizerStandardize toNd4j() {
    NormalizerStandardize n =
        new NormalizerStandardize(
            Nd4j.create(mean).reshape(1, mean.length), Nd4j.create(std).reshape(1, std.length));
    return n;
  }
}
