package io.batchaudit.dynamics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.Tuple2;

/**
 * The statistics of one bucket of sample ids, column by column, rows in sample id order: the reduce
 * side of the dynamics job, in one Spark task. {@link #compute} concatenates the bucket's blocks,
 * sorts the presentations by {@code (sample_id, epoch, round, batch, partition, row)} with
 * primitive sorts (a stable counting sort by id when the bucket's ids are dense, then each id's few
 * presentations by the training order, usually already in it) and computes every statistic of
 * {@link TrainingDynamics} in one pass over each id's presentations, then joins the bucket's source
 * examples (merge of two sorted id lists). Memory: the bucket's presentations twice (blocks and
 * their concatenation) while it is computed, then only its statistics, which Spark caches
 * (Serializable: the cache may hold it on disk).
 */
final class BucketStats implements Serializable {
  private static final long serialVersionUID = 1L;

  final DynamicsTask task;

  /** Output rows in sample id order: the id, the statistics row (-1: never presented), source. */
  final long[] outId;

  final int[] outStat;
  final long[] outSource;

  /** Per presented id (statistics row), in id order. */
  final long[] id;

  final long[] presentations;
  final int[] epochsSeen;
  final long[] firstStep;
  final long[] lastStep;

  // classification
  int[] targetClass;
  int[] lastPredicted;
  double[] confidence;
  double[] variability;
  double[] correctness;
  int[] forgetting;
  boolean[] everLearned;
  int[] stayedEpoch; // NO_EPOCH: null
  double[] aum;
  double[] el2n;
  boolean[] el2nNull;

  // regression
  double[] mse;
  double[] errorStd;
  boolean[] mseNull;
  double[] trend;
  boolean[] trendNull;

  static final int NO_EPOCH = Integer.MIN_VALUE;

  private BucketStats(DynamicsTask task, int m, long[] outId, int[] outStat, long[] outSource) {
    this.task = task;
    this.outId = outId;
    this.outStat = outStat;
    this.outSource = outSource;
    this.id = new long[m];
    this.presentations = new long[m];
    this.epochsSeen = new int[m];
    this.firstStep = new long[m];
    this.lastStep = new long[m];
  }

  /** The number of presented ids (the ranked ones). */
  int presented() {
    return id.length;
  }

  /** Computes the statistics of the bucket whose shuffle input is {@code input}. */
  static BucketStats compute(Iterator<Tuple2<Integer, BucketInput>> input, int el2nEpoch) {
    List<PresentationBlock> blocks = new ArrayList<>();
    List<SourceBlock> sources = new ArrayList<>();
    boolean oneHot = true;
    int n = 0;
    int s = 0;
    while (input.hasNext()) {
      BucketInput in = input.next()._2();
      if (in instanceof PresentationBlock p) {
        blocks.add(p);
        oneHot &= p.oneHot;
        n = Math.addExact(n, p.count);
      } else if (in instanceof SourceBlock b) {
        sources.add(b);
        s = Math.addExact(s, b.ids().length);
      }
    }
    DynamicsTask task = oneHot ? DynamicsTask.CLASSIFICATION : DynamicsTask.REGRESSION;
    PresentationBlock c = PresentationBlock.concat(blocks, n, task);
    blocks = null; // the blocks may be collected while the statistics are computed
    int[] order = IndexSort.byKey(c.id);
    int m = 0;
    for (int i = 0; i < n; ) {
      int j = i + 1;
      while (j < n && c.id[order[j]] == c.id[order[i]]) {
        j++;
      }
      if (j - i > 1) {
        IndexSort.sort(order, i, j, c::compareTrainingOrder);
      }
      m++;
      i = j;
    }
    // the bucket's source examples, by id; joined to the presented ids (a full outer join)
    long[] sourceIds = new long[s];
    long[] sourceRows = new long[s];
    int at = 0;
    for (SourceBlock b : sources) {
      System.arraycopy(b.ids(), 0, sourceIds, at, b.ids().length);
      System.arraycopy(b.rows(), 0, sourceRows, at, b.rows().length);
      at += b.ids().length;
    }
    int[] sourceOrder = IndexSort.byKey(sourceIds);
    long[] presentedIds = new long[m];
    int[] runStart = new int[m + 1];
    m = 0;
    for (int i = 0; i < n; ) {
      int j = i + 1;
      while (j < n && c.id[order[j]] == c.id[order[i]]) {
        j++;
      }
      presentedIds[m] = c.id[order[i]];
      runStart[m++] = i;
      i = j;
    }
    runStart[m] = n;
    // every step writes one row and takes a source row, or a presented id without one: at most
    // m + s rows
    long[] outId = new long[m + s];
    int[] outStat = new int[m + s];
    long[] outSource = new long[m + s];
    int k = 0;
    int p = 0;
    int q = 0;
    while (p < m || q < s) {
      long pid = p < m ? presentedIds[p] : Long.MAX_VALUE;
      long sid = q < s ? sourceIds[sourceOrder[q]] : Long.MAX_VALUE;
      if (q < s && (p >= m || sid < pid)) {
        outId[k] = sid;
        outStat[k] = -1;
        outSource[k++] = sourceRows[sourceOrder[q++]];
      } else if (q < s && sid == pid) {
        // every source row of the id (unique in a source) joins the id's statistics
        while (q < s && sourceIds[sourceOrder[q]] == pid) {
          outId[k] = pid;
          outStat[k] = p;
          outSource[k++] = sourceRows[sourceOrder[q++]];
        }
        p++;
      } else {
        outId[k] = pid;
        outStat[k] = p++;
        outSource[k++] = -1;
      }
    }
    BucketStats r =
        new BucketStats(
            task,
            m,
            java.util.Arrays.copyOf(outId, k),
            java.util.Arrays.copyOf(outStat, k),
            java.util.Arrays.copyOf(outSource, k));
    if (task == DynamicsTask.CLASSIFICATION) {
      r.classification(c, order, runStart, el2nEpoch);
    } else {
      r.regression(c, order, runStart);
    }
    return r;
  }

  private void common(PresentationBlock c, int[] order, int k, int from, int to) {
    id[k] = c.id[order[from]];
    presentations[k] = to - from;
    int seen = 1;
    for (int x = from + 1; x < to; x++) {
      if (c.epoch[order[x]] != c.epoch[order[x - 1]]) {
        seen++;
      }
    }
    epochsSeen[k] = seen;
    firstStep[k] = c.step[order[from]];
    lastStep[k] = c.step[order[to - 1]];
  }

  private void classification(PresentationBlock c, int[] order, int[] runStart, int el2nEpoch) {
    int m = id.length;
    targetClass = new int[m];
    lastPredicted = new int[m];
    confidence = new double[m];
    variability = new double[m];
    correctness = new double[m];
    forgetting = new int[m];
    everLearned = new boolean[m];
    stayedEpoch = new int[m];
    aum = new double[m];
    el2n = new double[m];
    el2nNull = new boolean[m];
    double floor = TrainingDynamics.PROBABILITY_FLOOR;
    for (int k = 0; k < m; k++) {
      int from = runStart[k];
      int to = runStart[k + 1];
      common(c, order, k, from, to);
      int last = order[to - 1];
      targetClass[k] = c.target[last];
      lastPredicted[k] = c.predicted[last];
      double sumP = 0;
      double sumMargin = 0;
      double sumL2 = 0;
      int l2Count = 0;
      int correct = 0;
      int events = 0;
      int lastWrong = -1;
      boolean previous = false;
      for (int x = from; x < to; x++) {
        int i = order[x];
        double pt = c.pTarget[i];
        sumP += pt;
        boolean ok = c.predicted[i] == c.target[i];
        if (ok) {
          correct++;
        } else {
          lastWrong = x;
          if (x > from && previous) {
            events++;
          }
        }
        previous = ok;
        sumMargin +=
            Math.log(Math.max(pt, floor)) - Math.log(Math.max((double) c.pOther[i], floor));
        if (c.epoch[i] == el2nEpoch) {
          sumL2 += Math.sqrt(c.sq[i]);
          l2Count++;
        }
      }
      int count = to - from;
      double mean = sumP / count;
      double dev = 0;
      for (int x = from; x < to; x++) {
        double d = c.pTarget[order[x]] - mean;
        dev += d * d;
      }
      confidence[k] = mean;
      variability[k] = Math.sqrt(dev / count);
      correctness[k] = (double) correct / count;
      forgetting[k] = events;
      everLearned[k] = correct > 0;
      stayedEpoch[k] = lastWrong == to - 1 ? NO_EPOCH : c.epoch[order[lastWrong + 1]];
      if (lastWrong < 0) {
        stayedEpoch[k] = c.epoch[order[from]];
      }
      aum[k] = sumMargin / count;
      el2n[k] = l2Count == 0 ? 0 : sumL2 / l2Count;
      el2nNull[k] = l2Count == 0;
    }
  }

  private void regression(PresentationBlock c, int[] order, int[] runStart) {
    int m = id.length;
    mse = new double[m];
    errorStd = new double[m];
    mseNull = new boolean[m];
    trend = new double[m];
    trendNull = new boolean[m];
    for (int k = 0; k < m; k++) {
      int from = runStart[k];
      int to = runStart[k + 1];
      common(c, order, k, from, to);
      // per epoch (the presentations are in epoch order): n, the sum of the non-null squared
      // errors (null when all are), the sum of their squares; then the SQL of the epoch groups
      int groups = epochsSeen[k];
      double[] e = new double[groups];
      double[] y = new double[groups];
      boolean[] yNull = new boolean[groups];
      double sum = 0;
      double sumSq = 0;
      boolean any = false;
      int g = -1;
      int groupN = 0;
      double groupSum = 0;
      boolean groupAny = false;
      for (int x = from; x <= to; x++) {
        if (x == to || (x > from && c.epoch[order[x]] != c.epoch[order[x - 1]])) {
          y[g] = groupAny ? groupSum / groupN : 0;
          yNull[g] = !groupAny;
          if (x == to) {
            break;
          }
        }
        int i = order[x];
        if (x == from || c.epoch[i] != c.epoch[order[x - 1]]) {
          g++;
          e[g] = c.epoch[i];
          groupN = 0;
          groupSum = 0;
          groupAny = false;
        }
        groupN++;
        if (!c.sqNull[i]) {
          double se = c.sq[i];
          groupSum += se;
          groupAny = true;
          sum += se;
          sumSq += se * se;
          any = true;
        }
      }
      int count = to - from;
      mseNull[k] = !any;
      mse[k] = any ? sum / count : 0;
      errorStd[k] = any ? Math.sqrt(Math.max(sumSq / count - Math.pow(sum / count, 2), 0)) : 0;
      // least-squares slope of the per-epoch mean against the epoch: covar_pop / var_pop
      double meanE = 0;
      for (double v : e) {
        meanE += v;
      }
      meanE /= groups;
      double varE = 0;
      for (double v : e) {
        varE += (v - meanE) * (v - meanE);
      }
      varE /= groups;
      int pairs = 0;
      double pe = 0;
      double py = 0;
      for (int h = 0; h < groups; h++) {
        if (!yNull[h]) {
          pairs++;
          pe += e[h];
          py += y[h];
        }
      }
      trendNull[k] = !(varE > 0) || pairs == 0;
      if (!trendNull[k]) {
        pe /= pairs;
        py /= pairs;
        double cov = 0;
        for (int h = 0; h < groups; h++) {
          if (!yNull[h]) {
            cov += (e[h] - pe) * (y[h] - py);
          }
        }
        trend[k] = cov / pairs / varE;
      }
    }
  }

  /** The primary ranking key of presented id {@code k} (see {@link Ranking}). */
  long rankKey1(int k) {
    if (task == DynamicsTask.CLASSIFICATION) {
      return Ranking.ascending(aum[k]);
    }
    return mseNull[k] ? Long.MAX_VALUE : ~Ranking.ascending(mse[k]); // desc, nulls last
  }

  /** The secondary ranking key of presented id {@code k}. */
  long rankKey2(int k) {
    return task == DynamicsTask.CLASSIFICATION ? Ranking.ascending(confidence[k]) : 0;
  }

  /** Output row {@code j} with its rank ({@code 0}: none), in the table's columns. */
  Row row(int j, long rank) {
    int k = outStat[j];
    Long sourceRow = outSource[j] < 0 ? null : outSource[j];
    Object r = rank == 0 ? null : rank;
    if (task == DynamicsTask.CLASSIFICATION) {
      if (k < 0) {
        return RowFactory.create(
            outId[j], 0L, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, sourceRow);
      }
      return RowFactory.create(
          outId[j],
          presentations[k],
          epochsSeen[k],
          firstStep[k],
          lastStep[k],
          targetClass[k],
          lastPredicted[k],
          confidence[k],
          variability[k],
          correctness[k],
          forgetting[k],
          everLearned[k],
          stayedEpoch[k] == NO_EPOCH ? null : stayedEpoch[k],
          aum[k],
          el2nNull[k] ? null : el2n[k],
          region(confidence[k], variability[k]),
          aum[k] < 0,
          r,
          sourceRow);
    }
    if (k < 0) {
      return RowFactory.create(outId[j], 0L, null, null, null, null, null, null, null, sourceRow);
    }
    return RowFactory.create(
        outId[j],
        presentations[k],
        epochsSeen[k],
        firstStep[k],
        lastStep[k],
        mseNull[k] ? null : mse[k],
        mseNull[k] ? null : errorStd[k],
        trendNull[k] ? null : trend[k],
        r,
        sourceRow);
  }

  /**
   * Writes output row {@code j} with its rank ({@code 0}: none) to {@code out}: the values of
   * {@link #row}, field by field in the table's columns {@code names}, nulls left out, without
   * boxing them into a {@link Row}.
   */
  void write(RecordConsumer out, String[] names, int j, long rank) {
    int k = outStat[j];
    out.startMessage();
    longField(out, names, 0, outId[j]);
    longField(out, names, 1, k < 0 ? 0 : presentations[k]);
    if (k >= 0) {
      intField(out, names, 2, epochsSeen[k]);
      longField(out, names, 3, firstStep[k]);
      longField(out, names, 4, lastStep[k]);
    }
    int f = 5;
    if (task == DynamicsTask.CLASSIFICATION) {
      if (k >= 0) {
        intField(out, names, 5, targetClass[k]);
        intField(out, names, 6, lastPredicted[k]);
        doubleField(out, names, 7, confidence[k]);
        doubleField(out, names, 8, variability[k]);
        doubleField(out, names, 9, correctness[k]);
        intField(out, names, 10, forgetting[k]);
        booleanField(out, names, 11, everLearned[k]);
        if (stayedEpoch[k] != NO_EPOCH) {
          intField(out, names, 12, stayedEpoch[k]);
        }
        doubleField(out, names, 13, aum[k]);
        if (!el2nNull[k]) {
          doubleField(out, names, 14, el2n[k]);
        }
        out.startField(names[15], 15);
        out.addBinary(REGIONS.get(region(confidence[k], variability[k])));
        out.endField(names[15], 15);
        booleanField(out, names, 16, aum[k] < 0);
      }
      f = 17;
    } else {
      if (k >= 0 && !mseNull[k]) {
        doubleField(out, names, 5, mse[k]);
        doubleField(out, names, 6, errorStd[k]);
      }
      if (k >= 0 && !trendNull[k]) {
        doubleField(out, names, 7, trend[k]);
      }
      f = 8;
    }
    if (rank != 0) {
      longField(out, names, f, rank);
    }
    if (outSource[j] >= 0) {
      longField(out, names, f + 1, outSource[j]);
    }
    out.endMessage();
  }

  private static final java.util.Map<String, Binary> REGIONS =
      java.util.Arrays.stream(DataMapRegion.values())
          .collect(
              java.util.stream.Collectors.toMap(
                  DataMapRegion::label,
                  r ->
                      Binary.fromConstantByteArray(
                          r.label().getBytes(java.nio.charset.StandardCharsets.UTF_8))));

  private static void longField(RecordConsumer out, String[] names, int i, long v) {
    out.startField(names[i], i);
    out.addLong(v);
    out.endField(names[i], i);
  }

  private static void intField(RecordConsumer out, String[] names, int i, int v) {
    out.startField(names[i], i);
    out.addInteger(v);
    out.endField(names[i], i);
  }

  private static void doubleField(RecordConsumer out, String[] names, int i, double v) {
    out.startField(names[i], i);
    out.addDouble(v);
    out.endField(names[i], i);
  }

  private static void booleanField(RecordConsumer out, String[] names, int i, boolean v) {
    out.startField(names[i], i);
    out.addBoolean(v);
    out.endField(names[i], i);
  }

  /** {@link DataMapRegion#of} with Spark SQL's comparisons (NaN above every number). */
  static String region(double confidence, double variability) {
    if (Double.isNaN(variability) || variability >= DataMapRegion.AMBIGUOUS_VARIABILITY) {
      return DataMapRegion.AMBIGUOUS.label();
    }
    return Double.isNaN(confidence) || confidence >= DataMapRegion.EASY_CONFIDENCE
        ? DataMapRegion.EASY_TO_LEARN.label()
        : DataMapRegion.HARD_TO_LEARN.label();
  }
}
