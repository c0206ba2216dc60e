package io.batchaudit.dynamics;

import java.io.Serializable;
import org.apache.spark.Partitioner;

/**
 * The buckets of the dynamics job: {@link #count} equal ranges of sample id between {@link #lo} and
 * a largest id, bucket {@code k} holding the ids before those of bucket {@code k + 1}, so that
 * buckets sorted one by one and read in bucket order are in sample id order. Also the {@link
 * Partitioner} of every shuffle of the job, whose keys are already partition numbers (bucket or
 * rank range). Built on the driver, shipped to the tasks (hence Serializable).
 *
 * <p>Equal ranges balance the buckets when ids are spread over their range (the row numbers of a
 * source, or any dense numbering); ids crowded into a small part of their range put more rows into
 * few buckets.
 */
final class IdBuckets implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The smallest id. */
  final long lo;

  /** Ids per bucket, unsigned (the range of a {@code long} may exceed {@code Long.MAX_VALUE}). */
  final long width;

  /** The number of buckets. */
  final int count;

  IdBuckets(long lo, long hi, int count) {
    if (count < 1 || hi < lo) {
      throw new IllegalArgumentException("No buckets for ids " + lo + ".." + hi + " in " + count);
    }
    this.lo = lo;
    this.count = count;
    this.width = Long.divideUnsigned(hi - lo, count) + 1;
  }

  /** The bucket of {@code id} (ids outside the range go to the first or last bucket). */
  int of(long id) {
    if (id <= lo) {
      return 0;
    }
    long b = Long.divideUnsigned(id - lo, width);
    return Long.compareUnsigned(b, count - 1) >= 0 ? count - 1 : (int) b;
  }

  /** A partitioner whose {@code Integer} keys are the partition numbers themselves. */
  static Partitioner identity(int partitions) {
    return new Identity(partitions);
  }

  private static final class Identity extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    Identity(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      return (Integer) key;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Identity i && i.partitions == partitions;
    }

    @Override
    public int hashCode() {
      return partitions;
    }
  }
}
