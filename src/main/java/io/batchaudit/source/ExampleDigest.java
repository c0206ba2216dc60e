package io.batchaudit.source;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * The SHA-256 fingerprint of examples, computed in Spark: examples in sample id order, in chunks of
 * 65536 ids ({@code floorDiv(id, 65536)}); each chunk's examples hashed (features, then label, as
 * little-endian float32), then the chunk digests hashed in chunk order. The same whatever the
 * partitioning, and for ids 0 .. n-1 the same as {@link SourceData#fingerprint}.
 */
final class ExampleDigest {
  /** Ids per chunk: the same as {@link SourceData#fingerprint}. */
  private static final long CHUNK = 1 << 16;

  private ExampleDigest() {}

  /** The fingerprint as lower-case hex; one shuffle of the examples' bytes. */
  static String of(JavaRDD<Example> examples) {
    List<Tuple2<Long, byte[]>> digests =
        examples
            .mapToPair(e -> new Tuple2<>(e.sampleId(), bytes(e)))
            .repartitionAndSortWithinPartitions(new ChunkPartitioner(examples.getNumPartitions()))
            .mapPartitions(ExampleDigest::digestChunks)
            .collect();
    List<Tuple2<Long, byte[]>> ordered = new ArrayList<>(digests);
    ordered.sort(Comparator.comparing(Tuple2::_1));
    MessageDigest md = sha256();
    ordered.forEach(t -> md.update(t._2()));
    return hex(md.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM has no SHA-256", e);
    }
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  /** Features, then label, as little-endian float32: the bytes every fingerprint hashes. */
  static byte[] bytes(float[] features, float[] label) {
    ByteBuffer b =
        ByteBuffer.allocate(4 * (features.length + label.length)).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(features).put(label);
    return b.array();
  }

  private static byte[] bytes(Example e) {
    return bytes(e.features(), e.label());
  }

  /** Digests of runs of examples sorted by id, one per chunk of ids. */
  private static Iterator<Tuple2<Long, byte[]>> digestChunks(Iterator<Tuple2<Long, byte[]>> it) {
    List<Tuple2<Long, byte[]>> out = new ArrayList<>();
    MessageDigest md = null;
    long chunk = 0;
    while (it.hasNext()) {
      Tuple2<Long, byte[]> t = it.next();
      long c = Math.floorDiv(t._1(), CHUNK);
      if (md == null || c != chunk) {
        if (md != null) {
          out.add(new Tuple2<>(chunk, md.digest()));
        }
        md = sha256();
        chunk = c;
      }
      md.update(t._2());
    }
    if (md != null) {
      out.add(new Tuple2<>(chunk, md.digest()));
    }
    return out.iterator();
  }

  /** Partitions ids by chunk of {@link #CHUNK}, so that a chunk is in one partition. */
  private static final class ChunkPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    ChunkPartitioner(int partitions) {
      this.partitions = Math.max(1, partitions);
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      return (int) Math.floorMod(Math.floorDiv((Long) key, CHUNK), (long) partitions);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ChunkPartitioner p && p.partitions == partitions;
    }

    @Override
    public int hashCode() {
      return partitions;
    }
  }
}
