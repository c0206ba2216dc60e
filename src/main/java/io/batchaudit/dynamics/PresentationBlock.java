package io.batchaudit.dynamics;

import java.util.Arrays;

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
 * <p>Filled by one map task ({@link PresentationScan}), then serialized (Java serialization or
 * Kryo: nothing but primitive arrays, trimmed to {@link #count}) and read by one bucket's task.
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
}
