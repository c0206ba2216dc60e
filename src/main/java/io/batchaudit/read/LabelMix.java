package io.batchaudit.read;

import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.Phase;
import io.batchaudit.store.ValueColumn;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The classes each worker partition trained, per training epoch, from the recorded targets. DL4J's
 * Direct approach keeps examples in source order and hands each worker a contiguous part of a
 * split, so sorted data gives a worker few classes; this makes it visible.
 *
 * <p>Only for classification logs: every target a one-hot row of width two or more (any other
 * target means the log is not a classification one, and {@link #compute} returns an empty list).
 * Streams the log, reading keys and targets only; memory holds one count per (epoch, partition,
 * class).
 */
public final class LabelMix {
  /**
   * Balance below which a partition's mix counts as strongly skewed: a class the epoch trains gets
   * less than a quarter of its share on that worker.
   */
  public static final double STRONG_SKEW_BELOW = 0.25;

  /** Classes below this share of an epoch's examples are left out of the balance (noise). */
  static final double MIN_CLASS_SHARE = 0.05;

  /**
   * One worker partition's classes in one epoch.
   *
   * @param epoch 0-based training epoch
   * @param partition the worker partition
   * @param classCounts trained examples per class, indexed by class
   * @param epochCounts trained examples per class over all partitions of the epoch
   * @param balance the smallest ratio, over the classes with at least 5 % of the epoch's examples,
   *     of a class's share on this partition to its share in the epoch: 1 for the epoch's mix, 0
   *     when such a class is absent from the partition
   * @param scarcestClass the class of that smallest ratio
   */
  public record PartitionMix(
      int epoch,
      int partition,
      List<Long> classCounts,
      List<Long> epochCounts,
      double balance,
      int scarcestClass) {
    public PartitionMix {
      classCounts = List.copyOf(classCounts);
      epochCounts = List.copyOf(epochCounts);
    }

    public long examples() {
      return classCounts.stream().mapToLong(Long::longValue).sum();
    }

    public boolean strong() {
      return balance < STRONG_SKEW_BELOW;
    }
  }

  private LabelMix() {}

  /**
   * The mix of every worker partition of every committed training epoch, in (epoch, partition)
   * order; empty when the log's targets are not one-hot classes.
   */
  public static List<PartitionMix> compute(AuditLog log) {
    List<PartitionMix> out = new ArrayList<>();
    for (int epoch : log.committedEpochs(Phase.TRAIN)) {
      TreeMap<Integer, long[]> counts = new TreeMap<>();
      int width = -1;
      try (Stream<AuditBatch> batches = log.batches(epoch, EnumSet.of(ValueColumn.TARGETS))) {
        Iterator<AuditBatch> it = batches.iterator();
        while (it.hasNext()) {
          AuditBatch b = it.next();
          if (b.key().phase() != Phase.TRAIN) {
            continue;
          }
          FloatMatrix t = b.targets();
          if (width < 0) {
            width = t.cols();
          }
          if (t.cols() != width || width < 2) {
            return List.of();
          }
          long[] c = counts.computeIfAbsent(b.key().partition(), p -> new long[t.cols()]);
          for (int r = 0; r < t.rows(); r++) {
            int cls = oneHot(t, r);
            if (cls < 0) {
              return List.of();
            }
            c[cls]++;
          }
        }
      }
      if (counts.isEmpty()) {
        continue;
      }
      long[] all = new long[width];
      for (long[] c : counts.values()) {
        for (int i = 0; i < width; i++) {
          all[i] += c[i];
        }
      }
      List<Long> epochCounts = java.util.Arrays.stream(all).boxed().toList();
      for (var e : counts.entrySet()) {
        long[] part = e.getValue();
        int scarcest = scarcest(part, all);
        out.add(
            new PartitionMix(
                epoch,
                e.getKey(),
                java.util.Arrays.stream(part).boxed().toList(),
                epochCounts,
                ratio(part, all, scarcest),
                scarcest));
      }
    }
    return out;
  }

  /** The class of row {@code r} when it is one-hot, else -1. */
  private static int oneHot(FloatMatrix t, int r) {
    int cls = -1;
    for (int c = 0; c < t.cols(); c++) {
      float v = t.get(r, c);
      if (v == 1f && cls < 0) {
        cls = c;
      } else if (v != 0f) {
        return -1;
      }
    }
    return cls;
  }

  /** The class, among those with at least {@link #MIN_CLASS_SHARE}, of the smallest ratio. */
  private static int scarcest(long[] part, long[] all) {
    long total = java.util.Arrays.stream(all).sum();
    int best = -1;
    for (int c = 0; c < all.length; c++) {
      if (all[c] >= MIN_CLASS_SHARE * total
          && (best < 0 || ratio(part, all, c) < ratio(part, all, best))) {
        best = c;
      }
    }
    return best;
  }

  /** Share of class {@code c} on the partition over its share in the epoch. */
  private static double ratio(long[] part, long[] all, int c) {
    double n = java.util.Arrays.stream(part).sum();
    double total = java.util.Arrays.stream(all).sum();
    return (part[c] / n) / (all[c] / total);
  }

  /**
   * The finding of one strongly skewed partition, with the fix; the same text in {@code coverage}
   * and the report.
   */
  public static String skewWarning(PartitionMix m) {
    return String.format(
        Locale.ROOT,
        "warning: training epoch %d: worker partition %d trained classes %s of the epoch's %s (class"
            + " %d at %.2f of its share; DL4J hands each worker a contiguous part of the data in"
            + " source order; shuffle=true shuffles the examples before DL4J splits them)",
        m.epoch(),
        m.partition(),
        m.classCounts(),
        m.epochCounts(),
        m.scarcestClass(),
        m.balance());
  }

  /** {@link #skewWarning} of every strongly skewed partition of {@code mixes}, in their order. */
  public static List<String> skewWarnings(List<PartitionMix> mixes) {
    return mixes.stream().filter(PartitionMix::strong).map(LabelMix::skewWarning).toList();
  }
}
