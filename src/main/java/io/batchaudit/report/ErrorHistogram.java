package io.batchaudit.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Histograms of regression errors (prediction minus target), one per epoch, on shared bins built in
 * one pass: {@link #BINS} bins of equal width cover {@code [-range, range)}, where {@code range} is
 * a power of two that doubles (merging neighbouring bins, exactly, in every epoch) whenever an
 * error falls outside. Memory: {@link #BINS} counters per epoch. Counts are exact; non-finite
 * errors are counted apart.
 */
final class ErrorHistogram {
  /** Bins across {@code [-range, range)}; even, so that doubling keeps bin edges aligned. */
  static final int BINS = 80;

  private final Map<Integer, long[]> counts = new TreeMap<>();
  private final Map<Integer, Long> nonFinite = new TreeMap<>();
  private double range;

  /** Counts {@code error} in {@code epoch}'s histogram. */
  void add(int epoch, double error) {
    if (!Double.isFinite(error)) {
      nonFinite.merge(epoch, 1L, Long::sum);
      return;
    }
    if (range == 0) {
      range = Math.scalb(1.0, Math.max(-30, Math.getExponent(Math.max(Math.abs(error), 1e-9)) + 1));
    }
    while (error < -range || error >= range) {
      widen();
    }
    int bin = (int) Math.floor((error + range) / (2 * range) * BINS);
    counts.computeIfAbsent(epoch, e -> new long[BINS])[Math.min(BINS - 1, Math.max(0, bin))]++;
  }

  /** The histograms so far: shared bin edges, one count array per epoch with errors. */
  ReportData.ErrorHistograms result() {
    List<ReportData.EpochHistogram> epochs = new ArrayList<>();
    counts.forEach(
        (epoch, c) ->
            epochs.add(
                new ReportData.EpochHistogram(
                    epoch, c.clone(), nonFinite.getOrDefault(epoch, 0L))));
    double r = range == 0 ? 1 : range;
    return new ReportData.ErrorHistograms(-r, 2 * r / BINS, epochs);
  }

  private void widen() {
    int half = BINS / 2;
    for (long[] c : counts.values()) {
      long[] merged = new long[BINS];
      for (int j = 0; j < BINS; j++) {
        merged[(half + j) / 2] += c[j];
      }
      System.arraycopy(merged, 0, c, 0, BINS);
    }
    range *= 2;
  }
}
