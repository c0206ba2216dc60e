package io.batchaudit.report;

import java.util.List;
import java.util.Map;

/**
 * The training dynamics the report shows (classification logs): a Data Map, the forgetting-event
 * histogram and the top of the likely-mislabeled ranking, bounded. Computed by the caller (the
 * command line runs package {@code dynamics}, a Spark job) and handed in: this package knows no
 * Spark. Arrays are owned by the record.
 *
 * @param phase the phase aggregated
 * @param source the source data {@code sourceRow} refers to, or {@code null}
 * @param presented examples with at least one presentation
 * @param points every presented example, when there are few enough to draw (else empty)
 * @param grid {@code counts[variabilityBin][confidenceBin]} when there are too many points (else
 *     {@code null}); bins cover confidence [0, 1] and variability [0, 0.5] evenly
 * @param gridCorrectness mean correctness of each cell of {@code grid} ({@code NaN} when empty)
 * @param forgettingHistogram examples per number of forgetting events, ascending
 * @param regions examples per Data Map region
 * @param thresholds how the regions are drawn, for the caption
 * @param likelyMislabeled examples the ranking's rule flags
 * @param rule the ranking's rule, for the caption
 * @param top the first ranked examples, most likely mislabeled first
 */
public record DynamicsData(
    String phase,
    String source,
    long presented,
    List<MapPoint> points,
    long[][] grid,
    double[][] gridCorrectness,
    Map<Integer, Long> forgettingHistogram,
    Map<String, Long> regions,
    String thresholds,
    long likelyMislabeled,
    String rule,
    List<Ranked> top) {

  public DynamicsData {
    points = List.copyOf(points);
    forgettingHistogram = Map.copyOf(forgettingHistogram);
    regions = Map.copyOf(regions);
    top = List.copyOf(top);
  }

  /** One example on the Data Map. */
  public record MapPoint(
      long sampleId, double confidence, double variability, double correctness) {}

  /**
   * One ranked example.
   *
   * @param sourceRow its row in {@link #source}, or {@code null} when unknown
   */
  public record Ranked(
      long rank,
      long sampleId,
      Long sourceRow,
      int targetClass,
      int lastPredictedClass,
      double aum,
      double confidence,
      double correctness,
      int forgettingEvents,
      String region) {}
}
