package io.batchaudit.dynamics;

/**
 * The source examples of one bucket: ids and their 0-based rows in the source, in source order.
 * Built on the driver from the labels it holds anyway, shipped to the bucket's task.
 */
record SourceBlock(long[] ids, long[] rows) implements BucketInput {
  private static final long serialVersionUID = 1L;
}
