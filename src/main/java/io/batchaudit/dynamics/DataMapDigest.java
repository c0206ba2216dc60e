package io.batchaudit.dynamics;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A Data Map of a classification dynamics table, bounded for the driver: every presented example as
 * a point when there are at most {@code maxPoints}, otherwise a density grid ({@value
 * #CONFIDENCE_BINS} confidence bins over [0, 1] by {@value #VARIABILITY_BINS} variability bins over
 * [0, 0.5]) with each cell's count and mean correctness, computed by a Spark aggregation.
 *
 * @param points every presented example (empty when {@code grid} is used)
 * @param grid {@code counts[variabilityBin][confidenceBin]} (null when {@code points} is used)
 * @param gridCorrectness mean correctness per cell ({@code NaN} for an empty cell; null with
 *     points)
 */
public record DataMapDigest(List<Point> points, long[][] grid, double[][] gridCorrectness) {
  public static final int CONFIDENCE_BINS = 20;
  public static final int VARIABILITY_BINS = 10;

  public DataMapDigest {
    points = List.copyOf(points);
  }

  /**
   * One example on the map.
   *
   * @param sampleId the example
   * @param confidence mean probability of the target class
   * @param variability its population standard deviation
   * @param correctness share of correct presentations
   */
  public record Point(long sampleId, double confidence, double variability, double correctness) {}

  /** The map of {@code table} (the columns of a classification table). */
  public static DataMapDigest of(Dataset<Row> table, int maxPoints) {
    Dataset<Row> presented = table.where("presentations > 0 AND confidence IS NOT NULL");
    List<Row> few =
        presented
            .select("sample_id", "confidence", "variability", "correctness")
            .orderBy("sample_id")
            .takeAsList(maxPoints + 1);
    if (few.size() <= maxPoints) {
      List<Point> points = new ArrayList<>();
      for (Row r : few) {
        points.add(new Point(r.getLong(0), r.getDouble(1), r.getDouble(2), r.getDouble(3)));
      }
      return new DataMapDigest(points, null, null);
    }
    long[][] counts = new long[VARIABILITY_BINS][CONFIDENCE_BINS];
    double[][] correctness = new double[VARIABILITY_BINS][CONFIDENCE_BINS];
    for (double[] row : correctness) {
      java.util.Arrays.fill(row, Double.NaN);
    }
    for (Row r :
        presented
            .selectExpr(
                "least(CAST(floor(variability * "
                    + (2 * VARIABILITY_BINS)
                    + ") AS INT), "
                    + (VARIABILITY_BINS - 1)
                    + ") AS v",
                "least(CAST(floor(confidence * "
                    + CONFIDENCE_BINS
                    + ") AS INT), "
                    + (CONFIDENCE_BINS - 1)
                    + ") AS c",
                "correctness")
            .groupBy("v", "c")
            .agg(
                org.apache.spark.sql.functions.count("*"),
                org.apache.spark.sql.functions.avg("correctness"))
            .collectAsList()) {
      int v = Math.max(0, r.getInt(0));
      int c = Math.max(0, r.getInt(1));
      counts[v][c] = r.getLong(2);
      correctness[v][c] = r.getDouble(3);
    }
    return new DataMapDigest(List.of(), counts, correctness);
  }
}
