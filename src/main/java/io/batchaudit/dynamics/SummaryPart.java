package io.batchaudit.dynamics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * The counts of {@link DynamicsSummary} over some rows of the dynamics table, and its rows ranked
 * within the first {@code top}: gathered by the task that writes the rows ({@link TableFiles}),
 * from the very values written, and merged on the driver (bounded: a few counts per region and
 * forgetting count, and {@code top} rows per bucket). Serializable: a task's result.
 */
final class SummaryPart implements Serializable {
  private static final long serialVersionUID = 1L;

  private final DynamicsTask task;
  private final int top;
  private final int rankColumn;
  private final int[] topColumns;
  private final int region;
  private final int events;
  private final int ever;
  private final int likelyColumn;
  long examples;
  long presented;
  long presentations;
  long neverLearned;
  long likely;
  final Map<String, Long> regions = new TreeMap<>();
  final TreeMap<Integer, Long> forgetting = new TreeMap<>();
  final List<Object[]> ranked = new ArrayList<>();

  SummaryPart(DynamicsTask task, int top) {
    this.task = task;
    this.top = top;
    // the rows come without a schema (RowFactory): columns by position
    List<String> names = java.util.Arrays.asList(TrainingDynamics.schema(task).fieldNames());
    this.region = names.indexOf("region");
    this.events = names.indexOf("forgetting_events");
    this.ever = names.indexOf("ever_learned");
    this.likelyColumn = names.indexOf("likely_mislabeled");
    this.rankColumn = names.indexOf(rankName(task));
    List<String> columns = topColumns(task);
    this.topColumns = columns.stream().mapToInt(names::indexOf).toArray();
  }

  static String rankName(DynamicsTask task) {
    return task == DynamicsTask.CLASSIFICATION ? "mislabel_rank" : "outlier_rank";
  }

  static List<String> topColumns(DynamicsTask task) {
    return task == DynamicsTask.CLASSIFICATION
        ? DynamicsSummary.CLASSIFICATION_TOP
        : DynamicsSummary.REGRESSION_TOP;
  }

  /** Counts one row of the table. */
  void add(Row r) {
    examples++;
    long n = r.getLong(1);
    presentations += n;
    if (n > 0) {
      presented++;
    }
    if (task == DynamicsTask.CLASSIFICATION) {
      if (!r.isNullAt(region)) {
        regions.merge(r.getString(region), 1L, Long::sum);
      }
      if (!r.isNullAt(events)) {
        forgetting.merge(r.getInt(events), 1L, Long::sum);
      }
      if (n > 0 && !r.isNullAt(ever) && !r.getBoolean(ever)) {
        neverLearned++;
      }
      if (!r.isNullAt(likelyColumn) && r.getBoolean(likelyColumn)) {
        likely++;
      }
    }
    if (!r.isNullAt(rankColumn) && r.getLong(rankColumn) <= top) {
      Object[] v = new Object[topColumns.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.get(topColumns[i]);
      }
      ranked.add(v);
    }
  }

  /** This part with {@code other}'s counts and ranked rows added. */
  SummaryPart merge(SummaryPart other) {
    examples += other.examples;
    presented += other.presented;
    presentations += other.presentations;
    neverLearned += other.neverLearned;
    likely += other.likely;
    other.regions.forEach((k, v) -> regions.merge(k, v, Long::sum));
    other.forgetting.forEach((k, v) -> forgetting.merge(k, v, Long::sum));
    ranked.addAll(other.ranked);
    return this;
  }

  /** The summary of every row counted. */
  DynamicsSummary summary(
      String audit, String out, String source, String phase, List<Integer> epochs, int el2nEpoch) {
    boolean classification = task == DynamicsTask.CLASSIFICATION;
    Map<String, Long> regionCounts = new LinkedHashMap<>();
    if (classification) {
      for (DataMapRegion r : DataMapRegion.values()) {
        regionCounts.put(r.label(), regions.getOrDefault(r.label(), 0L));
      }
    }
    List<String> columns = topColumns(task);
    // the rank is the first column of a ranked row (CLASSIFICATION_TOP, REGRESSION_TOP)
    List<Map<String, Object>> rows = new ArrayList<>();
    ranked.stream()
        .sorted(Comparator.comparingLong(v -> (Long) v[0]))
        .limit(top)
        .forEach(
            v -> {
              Map<String, Object> m = new LinkedHashMap<>();
              for (int i = 0; i < columns.size(); i++) {
                m.put(columns.get(i), v[i]);
              }
              rows.add(m);
            });
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
        regionCounts,
        new LinkedHashMap<>(forgetting),
        neverLearned,
        likely,
        rows);
  }
}
