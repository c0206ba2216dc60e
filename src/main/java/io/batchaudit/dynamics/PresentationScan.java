package io.batchaudit.dynamics;

import io.batchaudit.store.ValueColumn;
import io.batchaudit.store.parquet.ColumnSlices;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import scala.Tuple2;

/**
 * The map side of the dynamics job, in one Spark task: reads a group of committed files with the
 * store's columnar reader ({@link ColumnSlices}: the six key columns, targets and predictions),
 * turns every row into a compact {@link PresentationBlock} record of the bucket of its sample id,
 * and hands out a block as soon as it is full, then every bucket's last (possibly empty) block with
 * the task's one-hot verdict. Memory: one slice of a file and at most one partly filled block per
 * bucket, whatever the size of the files.
 */
final class PresentationScan implements Iterator<Tuple2<Integer, BucketInput>> {
  /** Records per block: blocks of about 0.8 MiB, many per bucket and map task. */
  static final int BLOCK = 16_384;

  /**
   * One committed file and the epoch its manifest gives it (a partition column, not stored).
   * Serializable: shipped to the map task that reads it.
   *
   * <p>Java-serialized under Kryo too ({@code spark.serializer=KryoSerializer}): Kryo's field
   * serializer cannot build a record (it writes final fields through offsets, which records
   * refuse), and this annotation is what Kryo consults before its default.
   */
  @com.esotericsoftware.kryo.DefaultSerializer(
      com.esotericsoftware.kryo.serializers.JavaSerializer.class)
  record FileEpoch(String path, int epoch) implements Serializable {}

  private final Configuration conf;
  private final IdBuckets buckets;
  private final Iterator<FileEpoch> files;
  private final PresentationBlock[] open;
  private final ArrayDeque<PresentationBlock> ready = new ArrayDeque<>();
  private final ArrayDeque<Integer> readyBucket = new ArrayDeque<>();
  private ColumnSlices slices;
  private int epoch;
  private boolean oneHot = true;
  private boolean finished;

  PresentationScan(Configuration conf, IdBuckets buckets, List<FileEpoch> files) {
    this.conf = conf;
    this.buckets = buckets;
    this.files = files.iterator();
    this.open = new PresentationBlock[buckets.count];
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && !finished) {
      step();
    }
    return !ready.isEmpty();
  }

  @Override
  public Tuple2<Integer, BucketInput> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return new Tuple2<>(readyBucket.poll(), ready.poll());
  }

  /** Decodes one more slice, or ends the task's output. */
  private void step() {
    try {
      while (slices == null || !slices.hasNext()) {
        if (slices != null) {
          slices.close();
          slices = null;
        }
        if (!files.hasNext()) {
          for (int b = 0; b < open.length; b++) {
            PresentationBlock block = open[b] != null ? open[b] : new PresentationBlock(0);
            block.oneHot = oneHot;
            ready.add(block.trimmed());
            readyBucket.add(b);
            open[b] = null;
          }
          finished = true;
          return;
        }
        FileEpoch f = files.next();
        epoch = f.epoch();
        slices =
            ColumnSlices.open(
                conf, new Path(f.path()), Set.of(ValueColumn.TARGETS, ValueColumn.PREDICTIONS));
      }
      append(slices.next());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void append(ColumnSlices.Slice s) {
    long[] ids = s.sampleIds();
    ColumnSlices.FloatList targets = s.list(ValueColumn.TARGETS);
    ColumnSlices.FloatList predictions = s.list(ValueColumn.PREDICTIONS);
    float[] tv = targets == null ? null : targets.values();
    float[] pv = predictions == null ? null : predictions.values();
    for (int i = 0; i < s.count(); i++) {
      int b = buckets.of(ids[i]);
      PresentationBlock block = open[b];
      if (block == null) {
        block = open[b] = new PresentationBlock(BLOCK);
      }
      int k = block.count++;
      block.id[k] = ids[i];
      block.epoch[k] = epoch;
      block.round[k] = s.rounds()[i];
      block.batch[k] = s.batches()[i];
      block.partition[k] = s.partitions()[i];
      block.row[k] = s.rowIndexes()[i];
      block.step[k] = s.steps()[i];
      boolean hasT = targets != null && targets.present(i);
      boolean hasP = predictions != null && predictions.present(i);
      int t = -1;
      if (hasT && hasP && targets.length(i) == predictions.length(i)) {
        int width = targets.length(i);
        int to = targets.offsets()[i];
        int po = predictions.offsets()[i];
        // one pass: the squared error, the one-hot check, the first maximum and the runner-up
        double sum = 0;
        int ones = 0;
        boolean zeroOne = true;
        boolean nan = false;
        int arg = 0;
        float best = width > 0 ? pv[po] : 0;
        float second = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < width; c++) {
          float y = tv[to + c];
          float v = pv[po + c];
          double e = (double) v - (double) y;
          sum += e * e;
          if (y == 1f) {
            ones++;
            if (t < 0) {
              t = c;
            }
          } else if (y != 0f) {
            zeroOne = false;
          }
          if (c > 0) {
            if (v > best) {
              second = best;
              best = v;
              arg = c;
            } else if (v > second) {
              second = v;
            }
          }
          nan |= v != v;
        }
        block.sq[k] = sum;
        block.sqNull[k] = false;
        if (!(zeroOne && ones == 1 && width >= 2)) {
          t = -1;
        }
        if (t >= 0) {
          if (nan) {
            // Spark SQL orders NaN above every number: the slow path, for such rare rows
            arg = argMax(pv, po, width, -1);
            block.pOther[k] = pv[po + argMax(pv, po, width, t)];
          } else {
            // the largest output other than the target's: the maximum, unless the target holds
            // the first maximum, then the runner-up (which equals it on a tie)
            block.pOther[k] = arg == t ? second : best;
          }
          block.pTarget[k] = pv[po + t];
          block.predicted[k] = arg;
        }
      } else {
        // zip_with of lists of different lengths pads with null, and a null list stays null:
        // the squared error is SQL null
        block.sq[k] = 0;
        block.sqNull[k] = true;
      }
      block.target[k] = t;
      if (t < 0) {
        oneHot = false;
      }
      if (block.full()) {
        block.oneHot = oneHot;
        ready.add(block);
        readyBucket.add(b);
        open[b] = null;
      }
    }
  }

  /**
   * The first maximum of {@code width} values from {@code from} in Spark SQL's order (NaN above
   * every number), leaving out position {@code skip} (-1: none).
   */
  static int argMax(float[] v, int from, int width, int skip) {
    int arg = -1;
    for (int c = 0; c < width; c++) {
      if (c != skip && (arg < 0 || greater(v[from + c], v[from + arg]))) {
        arg = c;
      }
    }
    return arg;
  }

  /** {@code a > b} in Spark SQL's order of floats: NaN above everything, -0.0 equal to 0.0. */
  static boolean greater(float a, float b) {
    if (Float.isNaN(a)) {
      return !Float.isNaN(b);
    }
    return a > b;
  }
}
