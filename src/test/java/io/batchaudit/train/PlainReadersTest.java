package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.read.AuditLog;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.testing.SparkTests;
import io.batchaudit.testing.TestRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Independent readers of the audit folder: DuckDB (JDBC) and Spark SQL with default settings see
 * exactly the committed rows, with the documented column names, and agree row for row with the
 * project's reader; leftovers in the staging area stay invisible to both.
 */
class PlainReadersTest {
  private static JavaSparkContext sc;
  private static Path auditDir;
  private static List<String> expectedRows;

  @TempDir static Path tmp;

  @BeforeAll
  static void trainOnce() throws Exception {
    sc = SparkTests.localContext("plain-readers");
    RunSummary run =
        TestRuns.train(
            sc,
            tmp.resolve("run"),
            "data=iris",
            "epochs=2",
            "workers=2",
            "batch-size=8",
            "averaging-frequency=2");
    // (the default approach, Export, trains all 150 examples of each of the 2 epochs here)
    auditDir = Path.of(java.net.URI.create(run.audit()));
    expectedRows = new ArrayList<>();
    try (Stream<AuditBatch> batches = AuditLog.open(run.audit(), new Configuration()).batches()) {
      batches.forEach(
          b -> {
            for (int r = 0; r < b.size(); r++) {
              expectedRows.add(
                  row(
                      b.runId(),
                      b.key().phase().label(),
                      b.key().epoch(),
                      b.key().round(),
                      b.key().batch(),
                      b.key().partition(),
                      r,
                      b.sampleIds()[r],
                      b.step(),
                      b.attempt(),
                      b.batchScore(),
                      b.targets().row(r),
                      b.predictions().row(r)));
            }
          });
    }
    // A discarded attempt's output left behind in staging must not be read by anyone.
    Path committed;
    try (Stream<Path> files = Files.walk(auditDir.resolve("phase=train"))) {
      committed = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    Path staging = auditDir.resolveSibling("audit-staging");
    Files.copy(
        committed, staging.resolve("tasks/train-e00000-r000000-p00000-t999-a1.parquet.staged"));
    // and an epoch assembled by a driver that died before committing it
    Files.createDirectories(staging.resolve("commit/phase=train/epoch=2"));
    Files.copy(
        committed, staging.resolve("commit/phase=train/epoch=2/part-r000000-p00000-t998.parquet"));
  }

  @AfterAll
  static void stopSpark() {
    sc.stop();
  }

  private static String row(
      String runId,
      String phase,
      long epoch,
      long round,
      long batch,
      long partition,
      long row,
      long sampleId,
      long step,
      long attempt,
      double score,
      float[] target,
      float[] prediction) {
    return String.join(
        "|",
        runId,
        phase,
        String.valueOf(epoch),
        String.valueOf(round),
        String.valueOf(batch),
        String.valueOf(partition),
        String.valueOf(row),
        String.valueOf(sampleId),
        String.valueOf(step),
        String.valueOf(attempt),
        String.valueOf(score),
        Arrays.toString(target),
        Arrays.toString(prediction));
  }

  private static final String ORDERED_QUERY =
      "SELECT run_id, phase, epoch, round, batch, partition, row, sample_id, step, attempt,"
          + " batch_score, target, prediction FROM %s"
          + " ORDER BY epoch, round, batch, partition, row";

  @Test
  void duckDbReadsExactlyTheCommittedRowsInTrainingOrder() throws Exception {
    List<String> rows = new ArrayList<>();
    List<String> columns = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      String source = "read_parquet('" + auditDir + "/**/*.parquet', hive_partitioning = true)";
      try (ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + source)) {
        while (rs.next()) {
          columns.add(rs.getString(1));
        }
      }
      try (ResultSet rs = s.executeQuery(String.format(ORDERED_QUERY, source))) {
        while (rs.next()) {
          rows.add(
              row(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getLong(3),
                  rs.getLong(4),
                  rs.getLong(5),
                  rs.getLong(6),
                  rs.getLong(7),
                  rs.getLong(8),
                  rs.getLong(9),
                  rs.getLong(10),
                  rs.getDouble(11),
                  floats((Object[]) rs.getArray(12).getArray()),
                  floats((Object[]) rs.getArray(13).getArray())));
        }
      }
    }
    assertThat(columns)
        .containsExactly(
            "run_id",
            "round",
            "partition",
            "batch",
            "step",
            "attempt",
            "task_attempt_id",
            "row",
            "sample_id",
            "batch_score",
            "target",
            "prediction",
            "epoch",
            "phase");
    assertThat(rows).hasSize(2 * 150).containsExactlyElementsOf(expectedRows);
  }

  @Test
  void sparkSqlWithDefaultSettingsReadsExactlyTheCommittedRows() {
    SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    Dataset<Row> df = spark.read().parquet(auditDir.toString());
    assertThat(df.columns())
        .contains(
            "run_id",
            "phase",
            "epoch",
            "round",
            "partition",
            "batch",
            "step",
            "attempt",
            "task_attempt_id",
            "row",
            "sample_id",
            "batch_score",
            "target",
            "prediction");
    df.createOrReplaceTempView("audit");
    List<String> rows = new ArrayList<>();
    for (Row r : spark.sql(String.format(ORDERED_QUERY, "audit")).collectAsList()) {
      rows.add(
          row(
              r.getString(0),
              r.getString(1),
              ((Number) r.get(2)).longValue(),
              ((Number) r.get(3)).longValue(),
              ((Number) r.get(4)).longValue(),
              ((Number) r.get(5)).longValue(),
              ((Number) r.get(6)).longValue(),
              r.getLong(7),
              r.getLong(8),
              ((Number) r.get(9)).longValue(),
              r.getDouble(10),
              floats(r.getList(11).toArray()),
              floats(r.getList(12).toArray())));
    }
    assertThat(rows).hasSize(2 * 150).containsExactlyElementsOf(expectedRows);
  }

  private static float[] floats(Object[] values) {
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = ((Number) values[i]).floatValue();
    }
    return f;
  }
}
