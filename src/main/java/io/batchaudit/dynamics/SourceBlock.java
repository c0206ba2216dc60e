package io.batchaudit.dynamics;

/**
 * The source examples of one bucket: ids and their 0-based rows in the source, in source order.
 * Built on the driver from the labels it holds anyway, shipped to the bucket's task;
 * Java-serialized under Kryo too, as {@link PresentationScan.FileEpoch} says why.
 */
@com.esotericsoftware.kryo.DefaultSerializer(
    com.esotericsoftware.kryo.serializers.JavaSerializer.class)
record SourceBlock(long[] ids, long[] rows) implements BucketInput {
  private static final long serialVersionUID = 1L;
}
