package io.batchaudit.source;

import java.util.Arrays;

/**
 * Seeded synthetic data. Every value is a pure function of (seed, row, column), computed with a
 * SplitMix64 hash, so examples can be generated in any order, on any executor, and regenerated for
 * verification.
 *
 * <p>Classification: row {@code r} belongs to class {@code hash(r) mod C}; its features are the
 * class centroid plus standard normal noise. Regression: standard normal features, targets a fixed
 * random linear map of them plus 0.1 noise.
 */
final class SyntheticData implements SourceData {
  private static final long serialVersionUID = 1L;
  private final DataSpec spec;

  SyntheticData(DataSpec spec) {
    this.spec = spec;
  }

  @Override
  public DataSpec spec() {
    return spec;
  }

  @Override
  public void example(long row, float[] x, float[] label) {
    long seed = spec.seed();
    int f = spec.features();
    if (spec.classification()) {
      int c = (int) Math.floorMod(mix(seed ^ mix(row)), (long) spec.classes());
      for (int j = 0; j < f; j++) {
        x[j] = (float) (2.0 * gaussian(seed, -1 - c, j) + gaussian(seed, row, j));
      }
      Arrays.fill(label, 0f);
      label[c] = 1f;
    } else {
      for (int j = 0; j < f; j++) {
        x[j] = (float) gaussian(seed, row, j);
      }
      double scale = 1.0 / Math.sqrt(f);
      for (int k = 0; k < spec.outputs(); k++) {
        double y = 0;
        for (int j = 0; j < f; j++) {
          y += gaussian(seed, -1 - k, j) * x[j];
        }
        label[k] = (float) (y * scale + 0.1 * gaussian(seed, row, f + k));
      }
    }
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private static double uniform(long seed, long row, long k) {
    long h = mix(mix(seed * 0x9E3779B97F4A7C15L + row) + k * 0xD1B54A32D192ED03L);
    return ((h >>> 11) + 0.5) * 0x1.0p-53;
  }

  private static double gaussian(long seed, long row, int column) {
    double u1 = uniform(seed, row, 2L * column);
    double u2 = uniform(seed, row, 2L * column + 1);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
