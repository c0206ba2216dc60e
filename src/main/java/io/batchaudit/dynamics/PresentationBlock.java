package io.batchaudit.dynamics;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Presentations of sample ids of one bucket from one map task, column by column, one compact record
 * each: the sample id, the training-order key {@code (epoch, round, batch, partition, row)}, the
 * step, and what every statistic needs of the two float lists (so that the lists themselves never
 * cross the shuffle): the target class, the arg max, the target's probability, the largest other
 * probability, and the squared error {@code sum((p - y)^2)}.
 *
 * <p>{@link #oneHot} is the map task's verdict so far (every row it read had a one-hot target of at
 * least two classes the width of its prediction); the task's last block for each bucket carries its
 * final verdict, and every map task sends each bucket at least that block, so that each bucket
 * knows from its own input whether the whole phase is a classification log.
 *
 * <p>Filled by one map task ({@link PresentationScan}), then serialized and read by one bucket's
 * task: Java serialization writes the columns packed into one byte array ({@link #writeObject}),
 * not element by element; Kryo sees nothing but primitive arrays, trimmed to {@link #count}.
 */
final class PresentationBlock implements BucketInput {
  private static final long serialVersionUID = 1L;

  int count;
  boolean oneHot;
  long[] id;
  int[] epoch;
  int[] round;
  int[] batch;
  int[] partition;
  int[] row;
  long[] step;

  /** The target class (first exact 1), -1 for a row that is not one-hot. */
  int[] target;

  /** The first maximum of the prediction (NaN above everything, as Spark SQL orders). */
  int[] predicted;

  float[] pTarget;
  float[] pOther;

  /** {@code sum((p - y)^2)} in double, left to right; {@code sqNull[i]}: no such sum (SQL null). */
  double[] sq;

  boolean[] sqNull;

  PresentationBlock(int capacity) {
    id = new long[capacity];
    epoch = new int[capacity];
    round = new int[capacity];
    batch = new int[capacity];
    partition = new int[capacity];
    row = new int[capacity];
    step = new long[capacity];
    target = new int[capacity];
    predicted = new int[capacity];
    pTarget = new float[capacity];
    pOther = new float[capacity];
    sq = new double[capacity];
    sqNull = new boolean[capacity];
  }

  boolean full() {
    return count == id.length;
  }

  /** This block with arrays of exactly {@link #count} elements, for the shuffle. */
  PresentationBlock trimmed() {
    if (count < id.length) {
      id = Arrays.copyOf(id, count);
      epoch = Arrays.copyOf(epoch, count);
      round = Arrays.copyOf(round, count);
      batch = Arrays.copyOf(batch, count);
      partition = Arrays.copyOf(partition, count);
      row = Arrays.copyOf(row, count);
      step = Arrays.copyOf(step, count);
      target = Arrays.copyOf(target, count);
      predicted = Arrays.copyOf(predicted, count);
      pTarget = Arrays.copyOf(pTarget, count);
      pOther = Arrays.copyOf(pOther, count);
      sq = Arrays.copyOf(sq, count);
      sqNull = Arrays.copyOf(sqNull, count);
    }
    return this;
  }

  /**
   * A bucket's presentations: {@code blocks} ({@code n} presentations in all) concatenated in list
   * order, with only the columns {@code task} reads (classification: no {@link #sqNull};
   * regression: no target, arg max or probabilities; the others stay null). Each block is dropped
   * from the list once copied, so that a bucket never holds its blocks and their copy whole. The
   * result is the bucket task's working copy: it is never serialized.
   */
  static PresentationBlock concat(List<PresentationBlock> blocks, int n, DynamicsTask task) {
    boolean cls = task == DynamicsTask.CLASSIFICATION;
    PresentationBlock c = new PresentationBlock(0);
    c.count = n;
    c.oneHot = cls;
    c.id = new long[n];
    c.epoch = new int[n];
    c.round = new int[n];
    c.batch = new int[n];
    c.partition = new int[n];
    c.row = new int[n];
    c.step = new long[n];
    c.sq = new double[n];
    if (cls) {
      c.target = new int[n];
      c.predicted = new int[n];
      c.pTarget = new float[n];
      c.pOther = new float[n];
    } else {
      c.sqNull = new boolean[n];
    }
    int at = 0;
    for (int b = 0; b < blocks.size(); b++) {
      PresentationBlock p = blocks.get(b);
      int k = p.count;
      System.arraycopy(p.id, 0, c.id, at, k);
      System.arraycopy(p.epoch, 0, c.epoch, at, k);
      System.arraycopy(p.round, 0, c.round, at, k);
      System.arraycopy(p.batch, 0, c.batch, at, k);
      System.arraycopy(p.partition, 0, c.partition, at, k);
      System.arraycopy(p.row, 0, c.row, at, k);
      System.arraycopy(p.step, 0, c.step, at, k);
      System.arraycopy(p.sq, 0, c.sq, at, k);
      if (cls) {
        System.arraycopy(p.target, 0, c.target, at, k);
        System.arraycopy(p.predicted, 0, c.predicted, at, k);
        System.arraycopy(p.pTarget, 0, c.pTarget, at, k);
        System.arraycopy(p.pOther, 0, c.pOther, at, k);
      } else {
        System.arraycopy(p.sqNull, 0, c.sqNull, at, k);
      }
      at += k;
      blocks.set(b, null);
    }
    return c;
  }

  /**
   * Training order of presentations {@code a} and {@code b}: epoch, round, batch, partition, row.
   */
  int compareTrainingOrder(int a, int b) {
    int r = Integer.compare(epoch[a], epoch[b]);
    if (r == 0) {
      r = Integer.compare(round[a], round[b]);
    }
    if (r == 0) {
      r = Integer.compare(batch[a], batch[b]);
    }
    if (r == 0) {
      r = Integer.compare(partition[a], partition[b]);
    }
    return r != 0 ? r : Integer.compare(row[a], row[b]);
  }

  /** Bytes per record in the packed form. */
  private static final int RECORD_BYTES = 8 * 3 + 4 * 9 + 1;

  private void writeObject(ObjectOutputStream out) throws IOException {
    int n = count;
    ByteBuffer b = ByteBuffer.allocate(n * RECORD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(id, 0, n);
    b.position(b.position() + 8 * n);
    b.asLongBuffer().put(step, 0, n);
    b.position(b.position() + 8 * n);
    b.asDoubleBuffer().put(sq, 0, n);
    b.position(b.position() + 8 * n);
    for (int[] column : new int[][] {epoch, round, batch, partition, row, target, predicted}) {
      b.asIntBuffer().put(column, 0, n);
      b.position(b.position() + 4 * n);
    }
    b.asFloatBuffer().put(pTarget, 0, n);
    b.position(b.position() + 4 * n);
    b.asFloatBuffer().put(pOther, 0, n);
    b.position(b.position() + 4 * n);
    for (int i = 0; i < n; i++) {
      b.put(sqNull[i] ? (byte) 1 : 0);
    }
    out.writeInt(n);
    out.writeBoolean(oneHot);
    out.write(b.array());
  }

  private void readObject(ObjectInputStream in) throws IOException {
    int n = in.readInt();
    oneHot = in.readBoolean();
    byte[] bytes = new byte[n * RECORD_BYTES];
    in.readFully(bytes);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    count = n;
    id = new long[n];
    b.asLongBuffer().get(id);
    b.position(b.position() + 8 * n);
    step = new long[n];
    b.asLongBuffer().get(step);
    b.position(b.position() + 8 * n);
    sq = new double[n];
    b.asDoubleBuffer().get(sq);
    b.position(b.position() + 8 * n);
    int[][] ints = new int[7][];
    for (int c = 0; c < ints.length; c++) {
      ints[c] = new int[n];
      b.asIntBuffer().get(ints[c]);
      b.position(b.position() + 4 * n);
    }
    epoch = ints[0];
    round = ints[1];
    batch = ints[2];
    partition = ints[3];
    row = ints[4];
    target = ints[5];
    predicted = ints[6];
    pTarget = new float[n];
    b.asFloatBuffer().get(pTarget);
    b.position(b.position() + 4 * n);
    pOther = new float[n];
    b.asFloatBuffer().get(pOther);
    b.position(b.position() + 4 * n);
    sqNull = new boolean[n];
    for (int i = 0; i < n; i++) {
      sqNull[i] = b.get() != 0;
    }
  }
}
