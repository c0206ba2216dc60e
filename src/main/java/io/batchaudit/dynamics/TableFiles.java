package io.batchaudit.dynamics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes one bucket's rows of the dynamics table as one plain Parquet file with parquet-java, in a
 * Spark task, without Spark SQL's row conversion: the Parquet schema Spark itself writes for the
 * table's {@link StructType} ({@code spark_schema}; a non-nullable column required, every other
 * optional; strings UTF-8), Spark's schema in the footer key Spark reads it from, snappy as Spark's
 * default, dictionary encoding only for the columns with few distinct values.
 *
 * <p>Attempts: the file is written under a hidden name unique to the task attempt, then renamed to
 * {@code part-<bucket>.snappy.parquet} (replacing what an earlier, failed attempt of the same
 * bucket may have left). A bucket's content is the same in every attempt, and the folder is
 * published only after the whole job succeeded ({@link DynamicsOutput}).
 */
final class TableFiles {
  /** The footer key of Spark's schema (Spark's ParquetReadSupport.SPARK_METADATA_KEY). */
  static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";

  private TableFiles() {}

  /** The file of {@code bucket} in {@code dir}. */
  static Path file(Path dir, int bucket) {
    return new Path(dir, String.format("part-%05d.snappy.parquet", bucket));
  }

  /**
   * Writes the rows of {@code stats} with their {@code ranks} (per presented id; 0: none) as bucket
   * {@code bucket}'s file in {@code dir}, counting each into {@code summary}.
   */
  static void write(
      Configuration conf,
      Path dir,
      int bucket,
      long attempt,
      StructType schema,
      BucketStats stats,
      long[] ranks,
      SummaryPart summary) {
    Path hidden = new Path(dir, String.format(".part-%05d-%d.tmp", bucket, attempt));
    Path target = file(dir, bucket);
    try {
      try (ParquetWriter<Integer> w =
          new Builder(hidden, schema, stats, ranks).withConf(conf).build()) {
        for (int j = 0; j < stats.outId.length; j++) {
          w.write(j);
          int k = stats.outStat[j];
          summary.add(stats, j, k < 0 ? 0 : ranks[k]);
        }
      }
      FileSystem fs = dir.getFileSystem(conf);
      if (fs.exists(target)) {
        fs.delete(target, false);
      }
      if (!fs.rename(hidden, target)) {
        throw new IOException("Cannot rename " + hidden + " to " + target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the dynamics table file " + target, e);
    }
  }

  /** The Parquet schema Spark writes for {@code schema} (its flat columns only). */
  static MessageType parquetSchema(StructType schema) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    for (StructField f : schema.fields()) {
      Type.Repetition rep = f.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
      DataType t = f.dataType();
      if (t.equals(DataTypes.LongType)) {
        b.primitive(PrimitiveTypeName.INT64, rep).named(f.name());
      } else if (t.equals(DataTypes.IntegerType)) {
        b.primitive(PrimitiveTypeName.INT32, rep).named(f.name());
      } else if (t.equals(DataTypes.DoubleType)) {
        b.primitive(PrimitiveTypeName.DOUBLE, rep).named(f.name());
      } else if (t.equals(DataTypes.BooleanType)) {
        b.primitive(PrimitiveTypeName.BOOLEAN, rep).named(f.name());
      } else if (t.equals(DataTypes.StringType)) {
        b.primitive(PrimitiveTypeName.BINARY, rep)
            .as(LogicalTypeAnnotation.stringType())
            .named(f.name());
      } else {
        throw new IllegalArgumentException("No Parquet type for column " + f + " of the table");
      }
    }
    return b.named("spark_schema");
  }

  private static final class Builder extends ParquetWriter.Builder<Integer, Builder> {
    private final StructType schema;
    private final BucketStats stats;
    private final long[] ranks;

    Builder(Path file, StructType schema, BucketStats stats, long[] ranks) {
      super(file);
      this.schema = schema;
      this.stats = stats;
      this.ranks = ranks;
      withWriteMode(ParquetFileWriter.Mode.OVERWRITE);
      withCompressionCodec(CompressionCodecName.SNAPPY);
      // ids, steps and the double statistics are (nearly) all distinct: a dictionary would only
      // cost; the small ints, the booleans and the region repeat
      withDictionaryEncoding(false);
      for (StructField f : schema.fields()) {
        DataType t = f.dataType();
        boolean few =
            t.equals(DataTypes.IntegerType)
                || t.equals(DataTypes.StringType)
                || t.equals(DataTypes.BooleanType);
        if (few) {
          withDictionaryEncoding(f.name(), true);
        }
      }
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Integer> getWriteSupport(Configuration conf) {
      return new StatsWriteSupport(schema, stats, ranks);
    }
  }

  /** Writes output row {@code j} of one bucket's statistics ({@link BucketStats#write}). */
  private static final class StatsWriteSupport extends WriteSupport<Integer> {
    private final StructType schema;
    private final String[] names;
    private final BucketStats stats;
    private final long[] ranks;
    private RecordConsumer out;

    StatsWriteSupport(StructType schema, BucketStats stats, long[] ranks) {
      this.schema = schema;
      this.names = schema.fieldNames();
      this.stats = stats;
      this.ranks = ranks;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(parquetSchema(schema), Map.of(SPARK_SCHEMA_KEY, schema.json()));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.out = recordConsumer;
    }

    @Override
    public void write(Integer j) {
      int k = stats.outStat[j];
      stats.write(out, names, j, k < 0 ? 0 : ranks[k]);
    }
  }
}
