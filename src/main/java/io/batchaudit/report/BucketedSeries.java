package io.batchaudit.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A line of at most {@code capacity} points over a growing range of x (training steps), built in
 * one pass: points fall into buckets of equal width, starting at the first x seen, and each bucket
 * draws as the mean x and mean y of its points. When an x falls beyond the last bucket, the bucket
 * width doubles and neighbouring buckets merge, so memory stays fixed however long the run. An x
 * below the first one counts in the first bucket.
 */
final class BucketedSeries {
  private final int capacity;
  private final double[] sumX;
  private final double[] sumY;
  private final long[] count;
  private long origin;
  private long width = 1;
  private boolean started;

  /** A series of at most {@code capacity} points; {@code capacity} must be even and >= 2. */
  BucketedSeries(int capacity) {
    if (capacity < 2 || capacity % 2 != 0) {
      throw new IllegalArgumentException("Bucket capacity must be even and >= 2, got " + capacity);
    }
    this.capacity = capacity;
    this.sumX = new double[capacity];
    this.sumY = new double[capacity];
    this.count = new long[capacity];
  }

  /** Adds the point (x, y); a non-finite y is ignored. */
  void add(long x, double y) {
    if (!Double.isFinite(y)) {
      return;
    }
    if (!started) {
      origin = x;
      started = true;
    }
    long offset = Math.max(0, x - origin);
    while (offset / width >= capacity) {
      widen();
    }
    int i = (int) (offset / width);
    sumX[i] += x;
    sumY[i] += y;
    count[i]++;
  }

  /** The points, ascending in x: one per non-empty bucket, at its mean x and mean y. */
  List<ReportData.Point> points() {
    List<ReportData.Point> out = new ArrayList<>();
    for (int i = 0; i < capacity; i++) {
      if (count[i] > 0) {
        out.add(new ReportData.Point(sumX[i] / count[i], sumY[i] / count[i]));
      }
    }
    return out;
  }

  /** Steps per bucket: 1 until the range outgrew the capacity. */
  long bucketWidth() {
    return width;
  }

  private void widen() {
    for (int i = 0; i < capacity / 2; i++) {
      sumX[i] = sumX[2 * i] + sumX[2 * i + 1];
      sumY[i] = sumY[2 * i] + sumY[2 * i + 1];
      count[i] = count[2 * i] + count[2 * i + 1];
    }
    for (int i = capacity / 2; i < capacity; i++) {
      sumX[i] = 0;
      sumY[i] = 0;
      count[i] = 0;
    }
    width *= 2;
  }
}
