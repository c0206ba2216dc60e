package io.batchaudit.dynamics;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.read.AuditLog;
import io.batchaudit.read.LabelSource;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.Phase;
import io.batchaudit.store.table.Compactor;
import io.batchaudit.testing.LogBuilder;
import io.batchaudit.testing.TestRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dynamics engine's paths that the statistics tests do not take give the same table, row for
 * row and column for column (complete rows sorted by sample id, each value compared exactly): Kryo
 * instead of Java serialization, a compacted log instead of the committed layout, many buckets
 * instead of one. The log: three epochs of 141 ids (one outside the source's 150 rows, so the
 * buckets' range is uneven), two rounds, two partitions, batches written against training order in
 * partition 1, ties in the ranking and in the arg max, zero probabilities; the source adds the
 * never-presented examples.
 */
class DynamicsEngineEquivalenceTest {
  private static final int CLASSES = 3;
  private static final int EPOCHS = 3;

  @TempDir static Path tmp;
  private static Path committed;
  private static Path compacted;
  private static LabelSource iris;

  @BeforeAll
  static void writeTheLogs() {
    committed = tmp.resolve("committed/audit");
    compacted = tmp.resolve("compacted/audit");
    write(committed);
    LogBuilder b = write(compacted);
    Configuration conf = new Configuration();
    for (int e = 0; e < EPOCHS; e++) {
      Compactor.Result r =
          Compactor.compact(b.table(), conf, Phase.TRAIN, e, 1L << 30, Duration.ZERO);
      assertThat(r.compacted()).isTrue();
    }
    iris = TestRuns.labels("iris");
  }

  /** The same log (same seed) into {@code root}. */
  private static LogBuilder write(Path root) {
    Random random = new Random(15);
    LogBuilder b = new LogBuilder(root, EPOCHS);
    long attempt = 0;
    for (int e = 0; e < EPOCHS; e++) {
      List<Long> ids = new ArrayList<>();
      for (long id = 0; id < 140; id++) {
        if ((id + e) % 7 != 0) { // each epoch leaves some out
          ids.add(id);
        }
      }
      ids.add(1000L); // logged, not in the source
      ids.add(3L); // presented twice in the epoch
      Collections.shuffle(ids, random);
      int at = 0;
      int per = ids.size() / 4 + 1;
      for (int round = 0; round < 2; round++) {
        for (int partition = 0; partition < 2; partition++) {
          List<AuditBatch> batches = new ArrayList<>();
          List<Long> task = ids.subList(Math.min(at, ids.size()), Math.min(at + per, ids.size()));
          at += per;
          for (int k = 0; k * 8 < task.size(); k++) {
            List<Long> rows = task.subList(k * 8, Math.min(task.size(), k * 8 + 8));
            batches.add(batch(e, round, k, partition, e * 100L + round * 10 + k, rows, random));
          }
          if (partition == 1) {
            Collections.reverse(batches); // file order against training order
          }
          b.task(e, round, partition, attempt++, batches.toArray(AuditBatch[]::new));
        }
      }
      b.commit(e, 2);
    }
    return b;
  }

  private static AuditBatch batch(
      int epoch, int round, int batch, int partition, long step, List<Long> rows, Random random) {
    int n = rows.size();
    long[] ids = new long[n];
    float[] targets = new float[n * CLASSES];
    float[] predictions = new float[n * CLASSES];
    for (int r = 0; r < n; r++) {
      long id = rows.get(r);
      ids[r] = id;
      targets[r * CLASSES + (int) (id % CLASSES)] = 1f;
      float[] p;
      if (id % 10 == 0) {
        p = new float[] {.5f, .3f, .2f}; // ties in AUM and confidence: broken by sample id
      } else if (id % 10 == 1) {
        p = new float[] {.4f, .4f, .2f}; // a tie for the arg max
      } else if (id % 17 == 0) {
        p = new float[] {1f, 0f, 0f}; // probabilities floored for the logarithm
      } else {
        p = new float[CLASSES];
        float s = 0;
        for (int c = 0; c < CLASSES; c++) {
          p[c] = random.nextFloat() + 1e-3f;
          s += p[c];
        }
        for (int c = 0; c < CLASSES; c++) {
          p[c] /= s;
        }
      }
      System.arraycopy(p, 0, predictions, r * CLASSES, CLASSES);
    }
    return new AuditBatch(
        LogBuilder.RUN_ID,
        new BatchKey(epoch, Phase.TRAIN, round, batch, partition),
        step,
        0,
        0,
        0.5,
        ids,
        new FloatMatrix(n, CLASSES, targets),
        new FloatMatrix(n, CLASSES, predictions),
        null,
        null,
        null,
        Map.of());
  }

  /** What one run of the job wrote: its rows sorted by sample id, and its part files. */
  private record Table(List<List<Object>> rows, long parts, String serializer) {}

  /**
   * Runs {@code dynamics} of {@code audit} (with the iris source) in a Spark context of its own
   * with the given settings, and reads back the table it wrote.
   */
  private static Table dynamics(Path audit, String name, Map<String, String> settings)
      throws IOException {
    SparkConf conf =
        new SparkConf()
            .setMaster("local[2]")
            .setAppName(name)
            .set("spark.ui.enabled", "false")
            .set("spark.ui.showConsoleProgress", "false")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1");
    settings.forEach(conf::set);
    Path out = tmp.resolve("tables/" + name);
    JavaSparkContext sc = new JavaSparkContext(conf);
    try {
      SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
      Configuration hadoop = new Configuration();
      DynamicsJob.run(
          spark,
          AuditLog.open(audit.toString(), hadoop),
          new DynamicsOptions(Phase.TRAIN, null),
          iris,
          new org.apache.hadoop.fs.Path(out.toString()),
          20,
          hadoop);
      List<List<Object>> rows = new ArrayList<>();
      for (Row r : spark.read().parquet(out.toString()).collectAsList()) {
        rows.add(values(r));
      }
      rows.sort(Comparator.comparingLong(r -> (Long) r.get(0)));
      long parts;
      try (Stream<Path> files = Files.list(out)) {
        parts = files.filter(f -> f.getFileName().toString().startsWith("part-")).count();
      }
      return new Table(rows, parts, sc.env().serializer().getClass().getName());
    } finally {
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
      sc.stop();
    }
  }

  /** The row's values in column order (a null stays null: ArrayList, not List.copyOf). */
  private static List<Object> values(Row r) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < r.size(); i++) {
      values.add(r.get(i));
    }
    return values;
  }

  private static final Map<String, String> ONE_BUCKET = Map.of("spark.default.parallelism", "1");

  @Test
  void kryoSerializationGivesTheSameTableAsJavaSerialization() throws Exception {
    Map<String, String> java = Map.of("spark.default.parallelism", "4");
    Map<String, String> kryo =
        Map.of(
            "spark.default.parallelism",
            "4",
            "spark.serializer",
            "org.apache.spark.serializer.KryoSerializer");
    Table withJava = dynamics(committed, "java", java);
    Table withKryo = dynamics(committed, "kryo", kryo);

    assertThat(withKryo.serializer()).isEqualTo(KryoSerializer.class.getName());
    assertThat(withJava.serializer()).isNotEqualTo(KryoSerializer.class.getName());
    assertThat(withJava.rows()).hasSize(151); // 150 source rows and id 1000
    assertThat(withJava.parts()).isEqualTo(4);
    assertThat(withKryo.rows()).containsExactlyElementsOf(withJava.rows());
  }

  @Test
  void aCompactedLogGivesTheSameTableAsTheCommittedLayout() throws Exception {
    AuditLog before = AuditLog.open(committed.toString(), new Configuration());
    AuditLog after = AuditLog.open(compacted.toString(), new Configuration());
    assertThat(after.commits()).allSatisfy(c -> assertThat(c.generation()).isEqualTo(1));
    assertThat(after.committedFiles()).hasSizeLessThan(before.committedFiles().size());
    assertThat(after.commits().stream().mapToLong(EpochCommit::rows).sum())
        .isEqualTo(before.commits().stream().mapToLong(EpochCommit::rows).sum());

    Table fromCommitted = dynamics(committed, "from-committed", Map.of());
    Table fromCompacted = dynamics(compacted, "from-compacted", Map.of());

    assertThat(fromCommitted.rows()).hasSize(151);
    assertThat(fromCompacted.rows()).containsExactlyElementsOf(fromCommitted.rows());
  }

  @Test
  void manyBucketsGiveTheSameTableAsOne() throws Exception {
    Table one = dynamics(committed, "one-bucket", ONE_BUCKET);
    Table many = dynamics(committed, "many-buckets", Map.of("spark.default.parallelism", "37"));

    assertThat(one.parts()).isEqualTo(1);
    assertThat(many.parts()).isEqualTo(37);
    assertThat(one.rows()).hasSize(151);
    assertThat(many.rows()).containsExactlyElementsOf(one.rows());
  }
}
