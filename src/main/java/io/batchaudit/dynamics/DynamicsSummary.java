package io.batchaudit.dynamics;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What {@code dynamics} prints: counts and the top of the ranking, from a written dynamics table
 * (bounded: a few aggregations collected on the driver, and {@code top} rows).
 *
 * @param audit the audit folder
 * @param out the table's folder
 * @param source the source data the rows refer to ({@code source_row}), or {@code null}
 * @param phase the phase aggregated
 * @param task classification or regression
 * @param epochs the epochs aggregated
 * @param el2nEpoch the epoch EL2N is taken at (classification; -1 for regression)
 * @param examples rows of the table
 * @param presented examples with at least one presentation
 * @param presentations presentations in all
 * @param regions examples per Data Map region (classification; JSON orders the names
 *     alphabetically)
 * @param forgettingHistogram examples per number of forgetting events, ascending (classification)
 * @param neverLearned presented examples never predicted correctly (classification)
 * @param likelyMislabeled examples with AUM below 0 (classification)
 * @param top the first rows of the ranking ({@code mislabel_rank} or {@code outlier_rank}), each
 *     with the table's column names
 */
public record DynamicsSummary(
    String audit,
    String out,
    String source,
    String phase,
    DynamicsTask task,
    List<Integer> epochs,
    int el2nEpoch,
    long examples,
    long presented,
    long presentations,
    Map<String, Long> regions,
    Map<Integer, Long> forgettingHistogram,
    long neverLearned,
    long likelyMislabeled,
    List<Map<String, Object>> top) {

  /** The columns of a ranked row in {@link #top}. */
  public static final List<String> CLASSIFICATION_TOP =
      List.of(
          "mislabel_rank",
          "sample_id",
          "source_row",
          "target_class",
          "last_predicted_class",
          "aum",
          "confidence",
          "correctness",
          "forgetting_events",
          "region");

  /** The columns of a ranked row in {@link #top} for regression. */
  public static final List<String> REGRESSION_TOP =
      List.of(
          "outlier_rank",
          "sample_id",
          "source_row",
          "mean_squared_error",
          "error_std",
          "error_trend",
          "presentations");

  /** The summary of {@code table} (as read back from {@code out}). */
  public static DynamicsSummary of(
      Dataset<Row> table,
      DynamicsTask task,
      String audit,
      String out,
      String source,
      String phase,
      List<Integer> epochs,
      int el2nEpoch,
      int top) {
    boolean classification = task == DynamicsTask.CLASSIFICATION;
    // one aggregation for every count (grouped by the Data Map region and the forgetting events
    // of classification: a few groups), not one Spark job per number
    String[] counts = {
      "count(*)",
      "count_if(presentations > 0)",
      "coalesce(sum(presentations), 0L)",
      classification ? "count_if(presentations > 0 AND NOT ever_learned)" : "0L",
      classification ? "count_if(likely_mislabeled)" : "0L"
    };
    List<Row> groups =
        classification
            ? table
                .groupBy("region", "forgetting_events")
                .agg(
                    org.apache.spark.sql.functions.expr(counts[0]),
                    java.util.Arrays.stream(counts, 1, counts.length)
                        .map(org.apache.spark.sql.functions::expr)
                        .toArray(org.apache.spark.sql.Column[]::new))
                .collectAsList()
            : table
                .selectExpr("NULL", "NULL", counts[0], counts[1], counts[2], counts[3], counts[4])
                .collectAsList();
    long examples = 0;
    long presented = 0;
    long presentations = 0;
    long neverLearned = 0;
    long likely = 0;
    Map<String, Long> regions = new LinkedHashMap<>();
    java.util.TreeMap<Integer, Long> forgetting = new java.util.TreeMap<>();
    if (classification) {
      for (DataMapRegion r : DataMapRegion.values()) {
        regions.put(r.label(), 0L);
      }
    }
    for (Row g : groups) {
      long n = g.getLong(2);
      examples += n;
      presented += g.getLong(3);
      presentations += g.getLong(4);
      neverLearned += g.getLong(5);
      likely += g.getLong(6);
      if (classification && !g.isNullAt(0)) {
        regions.merge(g.getString(0), n, Long::sum);
      }
      if (classification && !g.isNullAt(1)) {
        forgetting.merge(g.getInt(1), n, Long::sum);
      }
    }
    String rank = classification ? "mislabel_rank" : "outlier_rank";
    List<String> columns = classification ? CLASSIFICATION_TOP : REGRESSION_TOP;
    List<Map<String, Object>> ranked = new ArrayList<>();
    for (Row r :
        table
            .where(col(rank).isNotNull())
            .orderBy(rank)
            .selectExpr(columns.toArray(String[]::new))
            .takeAsList(top)) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        m.put(columns.get(i), r.get(i));
      }
      ranked.add(m);
    }
    return new DynamicsSummary(
        audit,
        out,
        source,
        phase,
        task,
        epochs,
        classification ? el2nEpoch : -1,
        examples,
        presented,
        presentations,
        regions,
        new LinkedHashMap<>(forgetting),
        neverLearned,
        likely,
        ranked);
  }
}
