package io.batchaudit.report;

import java.util.SplittableRandom;

/**
 * A uniform random sample of at most {@code capacity} (target, prediction) pairs from a stream of
 * any length (reservoir sampling, Algorithm R), each with the output column it came from. Seeded:
 * the same stream gives the same sample.
 */
final class Reservoir {
  private final int[] outputs;
  private final float[] targets;
  private final float[] predictions;
  private final SplittableRandom random = new SplittableRandom(20261128L);
  private long seen;

  Reservoir(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("Reservoir capacity must be >= 1, got " + capacity);
    }
    outputs = new int[capacity];
    targets = new float[capacity];
    predictions = new float[capacity];
  }

  void add(int output, float target, float prediction) {
    int slot;
    if (seen < outputs.length) {
      slot = (int) seen;
    } else {
      long r = random.nextLong(seen + 1);
      slot = r < outputs.length ? (int) r : -1;
    }
    seen++;
    if (slot >= 0) {
      outputs[slot] = output;
      targets[slot] = target;
      predictions[slot] = prediction;
    }
  }

  /** How many pairs the stream had. */
  long seen() {
    return seen;
  }

  /** The sample, in reservoir order. */
  ReportData.Sample result(int epoch) {
    int n = (int) Math.min(seen, outputs.length);
    java.util.List<ReportData.ScatterPoint> points = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      points.add(new ReportData.ScatterPoint(outputs[i], targets[i], predictions[i]));
    }
    return new ReportData.Sample(epoch, seen, points);
  }
}
