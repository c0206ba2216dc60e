package io.batchaudit.dynamics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * The table's ranking ({@code mislabel_rank}: AUM ascending, then confidence ascending, then sample
 * id; {@code outlier_rank}: mean squared error descending, nulls last, then sample id) as a sort of
 * compact keys, never of whole rows: every presented example becomes {@code (key1, key2, id)},
 * three {@code long}s whose signed order is the ranking's order ({@link #ascending}); the keys are
 * range-partitioned by split points sampled from the buckets, each range sorted in its own task and
 * ranked from the counts of the ranges before it, and the ranks go back to the id buckets in blocks
 * ({@code ids, ranks}). The driver holds the sampled split points ({@value #SAMPLES_PER_RANGE} keys
 * per range and bucket) and one count per range, not one value per example.
 */
final class Ranking {
  static final int SAMPLES_PER_RANGE = 16;

  private Ranking() {}

  /**
   * A {@code long} whose signed order is Spark SQL's ascending order of doubles: -0.0 equal to 0.0,
   * NaN above every number.
   */
  static long ascending(double d) {
    if (Double.isNaN(d)) {
      d = Double.NaN;
    } else if (d == 0) {
      d = 0.0;
    }
    long bits = Double.doubleToLongBits(d);
    return bits ^ ((bits >> 63) & Long.MAX_VALUE);
  }

  /**
   * Compact keys of one range from one bucket, or the ranks of one bucket's ids from one range.
   * Java-serialized under Kryo too, as {@link PresentationScan.FileEpoch} says why.
   */
  @com.esotericsoftware.kryo.DefaultSerializer(
      com.esotericsoftware.kryo.serializers.JavaSerializer.class)
  record KeyBlock(long[] key1, long[] key2, long[] ids) implements Serializable {}

  /** The ranks of some of one bucket's ids (Java-serialized under Kryo too, as KeyBlock). */
  @com.esotericsoftware.kryo.DefaultSerializer(
      com.esotericsoftware.kryo.serializers.JavaSerializer.class)
  record RankBlock(long[] ids, long[] ranks) implements Serializable {}

  /** Up to {@code per} keys of a bucket's presented ids, evenly spaced in id order. */
  static List<long[]> sample(BucketStats s, int per) {
    List<long[]> keys = new ArrayList<>();
    int n = s.presented();
    if (n == 0) {
      return keys;
    }
    int step = Math.max(1, n / per);
    for (int k = 0; k < n; k += step) {
      keys.add(new long[] {s.rankKey1(k), s.rankKey2(k), s.id[k]});
    }
    return keys;
  }

  static int compare(long a1, long a2, long a3, long b1, long b2, long b3) {
    int r = Long.compare(a1, b1);
    if (r == 0) {
      r = Long.compare(a2, b2);
    }
    return r != 0 ? r : Long.compare(a3, b3);
  }

  /** {@code ranges - 1} split points from the sampled keys (each {@code {key1, key2, id}}). */
  static long[][] splits(List<long[]> samples, int ranges) {
    long[][] all = samples.toArray(long[][]::new);
    Arrays.sort(all, (a, b) -> compare(a[0], a[1], a[2], b[0], b[1], b[2]));
    long[][] splits = new long[Math.max(0, Math.min(ranges, all.length) - 1)][];
    for (int j = 0; j < splits.length; j++) {
      splits[j] = all[(int) ((long) (j + 1) * all.length / (splits.length + 1))];
    }
    return splits;
  }

  /** The range of a key: the number of split points at or below it. */
  static int range(long[][] splits, long k1, long k2, long id) {
    int lo = 0;
    int hi = splits.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      long[] s = splits[mid];
      if (compare(s[0], s[1], s[2], k1, k2, id) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Presented ids per range in one bucket. */
  static long[] counts(BucketStats s, long[][] splits) {
    long[] counts = new long[splits.length + 1];
    for (int k = 0; k < s.presented(); k++) {
      counts[range(splits, s.rankKey1(k), s.rankKey2(k), s.id[k])]++;
    }
    return counts;
  }

  /** One bucket's keys, a block per range. */
  static Iterator<Tuple2<Integer, KeyBlock>> keys(BucketStats s, long[][] splits) {
    int ranges = splits.length + 1;
    int n = s.presented();
    int[] range = new int[n];
    int[] size = new int[ranges];
    for (int k = 0; k < n; k++) {
      range[k] = range(splits, s.rankKey1(k), s.rankKey2(k), s.id[k]);
      size[range[k]]++;
    }
    long[][] k1 = new long[ranges][];
    long[][] k2 = new long[ranges][];
    long[][] ids = new long[ranges][];
    for (int r = 0; r < ranges; r++) {
      k1[r] = new long[size[r]];
      k2[r] = new long[size[r]];
      ids[r] = new long[size[r]];
    }
    int[] at = new int[ranges];
    for (int k = 0; k < n; k++) {
      int r = range[k];
      k1[r][at[r]] = s.rankKey1(k);
      k2[r][at[r]] = s.rankKey2(k);
      ids[r][at[r]++] = s.id[k];
    }
    List<Tuple2<Integer, KeyBlock>> out = new ArrayList<>();
    for (int r = 0; r < ranges; r++) {
      if (size[r] > 0) {
        out.add(new Tuple2<>(r, new KeyBlock(k1[r], k2[r], ids[r])));
      }
    }
    return out.iterator();
  }

  /**
   * Ranks one range's keys ({@code first} is the rank of its first key) and sends them back to the
   * id buckets.
   */
  static Iterator<Tuple2<Integer, RankBlock>> rank(
      Iterator<Tuple2<Integer, KeyBlock>> in, long first, IdBuckets buckets) {
    List<KeyBlock> blocks = new ArrayList<>();
    int n = 0;
    while (in.hasNext()) {
      KeyBlock b = in.next()._2();
      blocks.add(b);
      n = Math.addExact(n, b.ids().length);
    }
    long[] k1 = new long[n];
    long[] k2 = new long[n];
    long[] ids = new long[n];
    int at = 0;
    for (KeyBlock b : blocks) {
      int k = b.ids().length;
      System.arraycopy(b.key1(), 0, k1, at, k);
      System.arraycopy(b.key2(), 0, k2, at, k);
      System.arraycopy(b.ids(), 0, ids, at, k);
      at += k;
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    IndexSort.sort(order, 0, n, (a, b) -> compare(k1[a], k2[a], ids[a], k1[b], k2[b], ids[b]));
    int[] size = new int[buckets.count];
    for (long id : ids) {
      size[buckets.of(id)]++;
    }
    long[][] outIds = new long[buckets.count][];
    long[][] outRanks = new long[buckets.count][];
    for (int b = 0; b < buckets.count; b++) {
      outIds[b] = new long[size[b]];
      outRanks[b] = new long[size[b]];
    }
    int[] fill = new int[buckets.count];
    for (int x = 0; x < n; x++) {
      long id = ids[order[x]];
      int b = buckets.of(id);
      outIds[b][fill[b]] = id;
      outRanks[b][fill[b]++] = first + x;
    }
    List<Tuple2<Integer, RankBlock>> out = new ArrayList<>();
    for (int b = 0; b < buckets.count; b++) {
      if (size[b] > 0) {
        out.add(new Tuple2<>(b, new RankBlock(outIds[b], outRanks[b])));
      }
    }
    return out.iterator();
  }

  /**
   * The ranks of every presented example, partitioned by id bucket (as {@code stats}, one partition
   * per bucket), from the cached {@code stats}: two small jobs (split points, counts per range) and
   * two shuffles of compact blocks.
   */
  static Ranks of(JavaRDD<BucketStats> stats, IdBuckets buckets) {
    int ranges = buckets.count;
    // the first job over the statistics: it computes (and caches) them, and returns each
    // bucket's task with its sampled keys
    List<Tuple2<DynamicsTask, List<long[]>>> sampled =
        stats.map(s -> new Tuple2<>(s.task, sample(s, SAMPLES_PER_RANGE * ranges))).collect();
    DynamicsTask task = sampled.get(0)._1();
    List<long[]> samples = new ArrayList<>();
    sampled.forEach(t -> samples.addAll(t._2()));
    long[][] splits = splits(samples, ranges);
    long[] counts =
        stats
            .map(s -> counts(s, splits))
            .reduce(
                (a, b) -> {
                  long[] c = a.clone();
                  for (int i = 0; i < c.length; i++) {
                    c[i] += b[i];
                  }
                  return c;
                });
    long[] first = new long[counts.length];
    long rank = 1;
    for (int r = 0; r < counts.length; r++) {
      first[r] = rank;
      rank += counts[r];
    }
    return new Ranks(
        task,
        stats
            .flatMapToPair(s -> keys(s, splits))
            .partitionBy(IdBuckets.identity(counts.length))
            .mapPartitionsWithIndex((r, it) -> rank(it, first[r], buckets), true)
            .mapPartitionsToPair(it -> it)
            .partitionBy(IdBuckets.identity(buckets.count)));
  }

  /**
   * The ranks by id bucket, and the task every bucket computed (the same in each: every bucket has
   * every map task's verdict).
   */
  record Ranks(DynamicsTask task, JavaPairRDD<Integer, RankBlock> byBucket) {}
}
