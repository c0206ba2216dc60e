package io.batchaudit.bench;

import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.OptionalColumns;
import io.batchaudit.store.Phase;
import io.batchaudit.store.parquet.AuditFileWriter;
import io.batchaudit.store.parquet.AuditSchema;
import io.batchaudit.store.parquet.WriterOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;

/**
 * Writer, reader and size benchmarks of the audit files, each side by side with plain parquet-java
 * in one run, variants alternating (A B A B ...), medians reported.
 */
public final class IoBench {
  static final int WIDTH = 10;
  static final int BATCH = 32;

  /**
   * @param rows rows written (writer) or read (reader)
   * @param oursRowsPerSecond median of the project's side
   * @param plainRowsPerSecond median of plain parquet-java
   * @param oursPeakHeapBytes reader only: peak heap of the project's ordered read (child JVM)
   * @param plainPeakHeapBytes reader only: peak heap of the plain read (child JVM)
   */
  public record Throughput(
      long rows,
      double oursRowsPerSecond,
      double plainRowsPerSecond,
      long oursPeakHeapBytes,
      long plainPeakHeapBytes) {
    public double ratio() {
      return oursRowsPerSecond / plainRowsPerSecond;
    }
  }

  /**
   * Bytes per recorded float of one encoding choice, and whether Spark's default reader reads it.
   */
  public record Size(
      String codec,
      boolean predictionDictionary,
      double bytesPerTargetFloat,
      double bytesPerPredictionFloat) {}

  private IoBench() {}

  /** Batches of {@code rows} synthetic rows: one-hot targets, softmax-like predictions. */
  static List<AuditBatch> batches(long rows) {
    SplittableRandom random = new SplittableRandom(7);
    List<AuditBatch> out = new ArrayList<>();
    long id = 0;
    for (int b = 0; id < rows; b++) {
      int n = (int) Math.min(BATCH, rows - id);
      long[] ids = new long[n];
      float[] t = new float[n * WIDTH];
      float[] p = new float[n * WIDTH];
      for (int r = 0; r < n; r++) {
        ids[r] = id++;
        t[r * WIDTH + random.nextInt(WIDTH)] = 1f;
        double sum = 0;
        double[] e = new double[WIDTH];
        for (int c = 0; c < WIDTH; c++) {
          e[c] = Math.exp(3 * random.nextDouble());
          sum += e[c];
        }
        for (int c = 0; c < WIDTH; c++) {
          p[r * WIDTH + c] = (float) (e[c] / sum);
        }
      }
      out.add(
          new AuditBatch(
              "bench-run",
              new BatchKey(0, Phase.TRAIN, b / 5, b % 5, 0),
              b,
              0,
              1,
              0.5,
              ids,
              new FloatMatrix(n, WIDTH, t),
              new FloatMatrix(n, WIDTH, p),
              null,
              null,
              null,
              Map.of()));
    }
    return out;
  }

  /** Writes with the project's writer; returns seconds. */
  static double writeOurs(List<AuditBatch> batches, Path file, WriterOptions options) {
    long t0 = System.nanoTime();
    try (AuditFileWriter w =
        AuditFileWriter.create(
            new Configuration(),
            new org.apache.hadoop.fs.Path(file.toUri()),
            "bench-run",
            OptionalColumns.NONE,
            options)) {
      batches.forEach(w::write);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Writes the identical rows with parquet-java's example Group writer, same settings. */
  static double writePlain(List<AuditBatch> batches, Path file, WriterOptions options) {
    MessageType schema = AuditSchema.of(OptionalColumns.NONE);
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    long t0 = System.nanoTime();
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(
                HadoopOutputFile.fromPath(
                    new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
            .withType(schema)
            .withWriteMode(ParquetFileWriter.Mode.CREATE)
            .withCompressionCodec(
                org.apache.parquet.hadoop.metadata.CompressionCodecName.fromConf(
                    options.compression().toUpperCase()))
            .withRowGroupSize(options.rowGroupBytes())
            .withDictionaryEncoding(true)
            .withDictionaryEncoding(AuditSchema.SAMPLE_ID, false)
            .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
            .build()) {
      for (AuditBatch b : batches) {
        for (int r = 0; r < b.size(); r++) {
          Group g =
              groups
                  .newGroup()
                  .append(AuditSchema.RUN_ID, b.runId())
                  .append(AuditSchema.ROUND, b.key().round())
                  .append(AuditSchema.PARTITION, b.key().partition())
                  .append(AuditSchema.BATCH, b.key().batch())
                  .append(AuditSchema.STEP, b.step())
                  .append(AuditSchema.ATTEMPT, b.attempt())
                  .append(AuditSchema.TASK_ATTEMPT_ID, b.taskAttemptId())
                  .append(AuditSchema.ROW, r)
                  .append(AuditSchema.SAMPLE_ID, b.sampleIds()[r])
                  .append(AuditSchema.BATCH_SCORE, b.batchScore());
          list(g.addGroup(AuditSchema.TARGET), b.targets(), r);
          list(g.addGroup(AuditSchema.PREDICTION), b.predictions(), r);
          w.write(g);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void list(Group list, FloatMatrix m, int row) {
    for (int c = 0; c < m.cols(); c++) {
      list.addGroup("list").append("element", m.get(row, c));
    }
  }

  public static Throughput writer(Path dir, long rows, int reps) {
    List<AuditBatch> data = batches(rows);
    double[] ours = new double[reps];
    double[] plain = new double[reps];
    // one untimed pair first, so that neither side pays the JIT warm-up
    writeOurs(data, fresh(dir.resolve("ours.parquet")), WriterOptions.DEFAULTS);
    writePlain(data, fresh(dir.resolve("plain.parquet")), WriterOptions.DEFAULTS);
    for (int i = 0; i < reps; i++) {
      ours[i] = writeOurs(data, fresh(dir.resolve("ours.parquet")), WriterOptions.DEFAULTS);
      plain[i] = writePlain(data, fresh(dir.resolve("plain.parquet")), WriterOptions.DEFAULTS);
    }
    return new Throughput(rows, rows / median(ours), rows / median(plain), 0, 0);
  }

  public static Throughput reader(Path dir, long rows, int reps) {
    Path root = dir.resolve("reader-log").resolve("audit");
    ScaleBench.deleteTree(root.getParent());
    int rounds = (int) Math.max(1, rows / 10_000);
    SyntheticLog.write(
        new org.apache.hadoop.fs.Path(root.toUri()), 1, rows, rounds, 4, BATCH, WIDTH);
    double[] ours = new double[reps];
    double[] plain = new double[reps];
    long oursHeap = 0;
    long plainHeap = 0;
    for (int i = 0; i < reps; i++) {
      ChildJvm.Measured o = ChildJvm.run(ScaleBench.HEAP, ReadProbe.class, root.toUri().toString());
      ChildJvm.Measured p =
          ChildJvm.run(ScaleBench.HEAP, PlainReadProbe.class, root.toUri().toString());
      if (o.rows() != rows || p.rows() != rows) {
        throw new IllegalStateException(
            "read " + o.rows() + " and " + p.rows() + " rows of " + rows);
      }
      ours[i] = o.seconds();
      plain[i] = p.seconds();
      oursHeap = Math.max(oursHeap, o.peakHeapBytes());
      plainHeap = Math.max(plainHeap, p.peakHeapBytes());
    }
    ScaleBench.deleteTree(root.getParent());
    return new Throughput(rows, rows / median(ours), rows / median(plain), oursHeap, plainHeap);
  }

  /** Bytes per target and prediction float for each compression and dictionary choice. */
  public static List<Size> sizes(Path dir, long rows) {
    List<AuditBatch> data = batches(rows);
    List<Size> out = new ArrayList<>();
    for (String codec : List.of("snappy", "zstd", "gzip")) {
      for (boolean dictionary : List.of(true, false)) {
        Path file = fresh(dir.resolve("size-" + codec + "-" + dictionary + ".parquet"));
        writeOurs(
            data,
            file,
            new WriterOptions(codec, WriterOptions.DEFAULTS.rowGroupBytes(), dictionary));
        out.add(measureSize(file, codec, dictionary, rows));
      }
    }
    return out;
  }

  static Size measureSize(Path file, String codec, boolean dictionary, long rows) {
    long target = 0;
    long prediction = 0;
    try (ParquetFileReader r =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      for (BlockMetaData block : r.getFooter().getBlocks()) {
        for (ColumnChunkMetaData c : block.getColumns()) {
          String top = c.getPath().toArray()[0];
          if (top.equals(AuditSchema.TARGET)) {
            target += c.getTotalSize();
          } else if (top.equals(AuditSchema.PREDICTION)) {
            prediction += c.getTotalSize();
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    double floats = (double) rows * WIDTH;
    return new Size(codec, dictionary, target / floats, prediction / floats);
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static Path fresh(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
