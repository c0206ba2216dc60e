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

  /**
   * Counts output row {@code j} of {@code s} with its rank ({@code 0}: none), from the values the
   * table gets ({@link BucketStats#row}), read from the arrays.
   */
  void add(BucketStats s, int j, long rank) {
    int k = s.outStat[j];
    examples++;
    if (k >= 0) {
      presentations += s.presentations[k];
      presented++;
      if (task == DynamicsTask.CLASSIFICATION) {
        regionCounts[regionIndex(BucketStats.region(s.confidence[k], s.variability[k]))]++;
        int events = s.forgetting[k];
        if (events < smallForgetting.length) {
          smallForgetting[events]++;
        } else {
          forgetting.merge(events, 1L, Long::sum);
        }
        if (!s.everLearned[k]) {
          neverLearned++;
        }
        if (s.aum[k] < 0) {
          likely++;
        }
      }
    }
    if (rank != 0 && rank <= top) {
      Row r = s.row(j, rank);
      Object[] v = new Object[topColumns.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.get(topColumns[i]);
      }
      ranked.add(v);
    }
  }

  private final long[] regionCounts = new long[DataMapRegion.values().length];
  private final long[] smallForgetting = new long[64];

  private static int regionIndex(String label) {
    for (DataMapRegion r : DataMapRegion.values()) {
      if (r.label().equals(label)) {
        return r.ordinal();
      }
    }
    throw new IllegalArgumentException(label);
  }

  /** Moves the array counters of {@link #add} into the maps. */
  private void fold() {
    for (DataMapRegion r : DataMapRegion.values()) {
      if (regionCounts[r.ordinal()] > 0) {
        regions.merge(r.label(), regionCounts[r.ordinal()], Long::sum);
        regionCounts[r.ordinal()] = 0;
      }
    }
    for (int e = 0; e < smallForgetting.length; e++) {
      if (smallForgetting[e] > 0) {
        forgetting.merge(e, smallForgetting[e], Long::sum);
        smallForgetting[e] = 0;
      }
    }
  }

  /** This part with {@code other}'s counts and ranked rows added. */
  SummaryPart merge(SummaryPart other) {
    fold();
    other.fold();
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
    fold();
    boolean classification = task == DynamicsTask.CLASSIFICATION;
    Map<String, Long> byRegion = new LinkedHashMap<>();
    if (classification) {
      for (DataMapRegion r : DataMapRegion.values()) {
        byRegion.put(r.label(), regions.getOrDefault(r.label(), 0L));
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
        byRegion,
        new LinkedHashMap<>(forgetting),
        neverLearned,
        likely,
        rows);
  }
}
