package io.batchaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.batchaudit.read.AuditLog;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.Json;
import io.batchaudit.testing.SparkTests;
import io.batchaudit.testing.TestRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs every query of README's "Example queries", exactly as written there, on DuckDB (JDBC), on
 * Spark SQL ({@code spark.read.parquet}) and through {@code batch-audit query}, and checks each
 * answer against the project's own reader.
 */
class ReadmeQueriesTest {
  private static final Pattern QUERY =
      Pattern.compile(
          "<!-- query: (\\S+) \\((duckdb|spark)\\) -->\\s*```sql\\n(.*?)```", Pattern.DOTALL);
  private static JavaSparkContext sc;
  private static SparkSession spark;
  private static String audit;
  private static List<AuditBatch> batches;
  private static final Map<String, Map<String, String>> QUERIES = new HashMap<>();

  @TempDir static Path tmp;

  @BeforeAll
  static void trainAndReadTheReadme() throws Exception {
    sc = SparkTests.localContext("readme-queries");
    spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    audit = TestRuns.train(sc, tmp.resolve("run"), "data=iris", "epochs=3").audit();
    try (var s = AuditLog.open(audit, new Configuration()).batches()) {
      batches = s.toList();
    }
    Matcher m = QUERY.matcher(Files.readString(Path.of("README.md")));
    while (m.find()) {
      QUERIES.computeIfAbsent(m.group(1), k -> new HashMap<>()).put(m.group(2), m.group(3).trim());
    }
    assertThat(QUERIES)
        .containsOnlyKeys(
            "accuracy-per-epoch",
            "furthest-from-target",
            "error-per-round-and-partition",
            "one-sample-across-epochs");
  }

  @AfterAll
  static void stopSpark() {
    sc.stop();
  }

  /** Runs a README query on an engine; values as Long, Double, String or List of Double. */
  private static List<List<Object>> run(String engine, String name) throws Exception {
    String sql = QUERIES.get(name).get(engine.equals("duckdb") ? "duckdb" : "spark");
    List<List<Object>> rows = new ArrayList<>();
    switch (engine) {
      case "duckdb" -> {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
            Statement s = c.createStatement()) {
          s.execute(
              "CREATE VIEW audit AS SELECT * FROM read_parquet('"
                  + Path.of(java.net.URI.create(audit))
                  + "/**/*.parquet', hive_partitioning = true)");
          try (ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
              List<Object> row = new ArrayList<>();
              for (int i = 1; i <= n; i++) {
                Object v = r.getObject(i);
                row.add(v instanceof Array a ? normalize((Object[]) a.getArray()) : normalize(v));
              }
              rows.add(row);
            }
          }
        }
      }
      case "spark" -> {
        for (Row r : spark.sql(sql).collectAsList()) {
          List<Object> row = new ArrayList<>();
          for (int i = 0; i < r.size(); i++) {
            Object v = r.get(i);
            row.add(
                v instanceof scala.collection.Seq<?> seq
                    ? normalize(scala.collection.JavaConverters.seqAsJavaList(seq).toArray())
                    : normalize(v));
          }
          rows.add(row);
        }
      }
      default -> {
        CliRunner.Result r = CliRunner.run("query", audit, sql, "--json");
        assertThat(r.code()).as(r.err()).isZero();
        for (String line : r.out().lines().toList()) {
          List<Object> row = new ArrayList<>();
          JsonNode node = Json.mapper().readTree(line);
          node.fields().forEachRemaining(f -> row.add(json(f.getValue())));
          rows.add(row);
        }
      }
    }
    return rows;
  }

  private static Object json(JsonNode v) {
    if (v.isArray()) {
      List<Double> l = new ArrayList<>();
      v.forEach(
          x ->
              l.add(
                  (double)
                      (float) x.asDouble())); // Spark writes float arrays as shortest float text
      return l;
    }
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    return v.asText();
  }

  private static Object normalize(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      return ((Number) v).longValue();
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    return v;
  }

  private static List<Double> normalize(Object[] values) {
    List<Double> l = new ArrayList<>();
    for (Object o : values) {
      l.add(((Number) o).doubleValue());
    }
    return l;
  }

  private static int argmax(float[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      if (row[i] > row[best]) {
        best = i;
      }
    }
    return best;
  }

  private static double squaredDistance(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (double) a[i] - b[i];
      s += d * d;
    }
    return s;
  }

  private static void registerView() {
    spark.read().parquet(audit).createOrReplaceTempView("audit");
  }

  @ParameterizedTest
  @ValueSource(strings = {"duckdb", "spark", "cli"})
  void accuracyPerEpoch(String engine) throws Exception {
    registerView();
    Map<Long, long[]> expected = new TreeMap<>(); // epoch -> {correct, examples}
    for (AuditBatch b : batches) {
      long[] e = expected.computeIfAbsent((long) b.key().epoch(), k -> new long[2]);
      for (int r = 0; r < b.size(); r++) {
        e[0] += argmax(b.predictions().row(r)) == argmax(b.targets().row(r)) ? 1 : 0;
        e[1]++;
      }
    }
    List<List<Object>> rows = run(engine, "accuracy-per-epoch");
    assertThat(rows).hasSize(expected.size());
    int i = 0;
    for (Map.Entry<Long, long[]> e : expected.entrySet()) {
      List<Object> row = rows.get(i++);
      assertThat(row.get(0)).isEqualTo(e.getKey());
      assertThat((Double) row.get(1))
          .isCloseTo((double) e.getValue()[0] / e.getValue()[1], within(1e-9));
      assertThat(row.get(2)).isEqualTo(e.getValue()[1]);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"duckdb", "spark", "cli"})
  void furthestFromTargetInTheLastEpoch(String engine) throws Exception {
    registerView();
    int last = batches.get(batches.size() - 1).key().epoch();
    record Scored(long id, long round, long batch, long partition, double distance) {}
    List<Scored> all = new ArrayList<>();
    for (AuditBatch b : batches) {
      if (b.key().epoch() == last) {
        for (int r = 0; r < b.size(); r++) {
          all.add(
              new Scored(
                  b.sampleIds()[r],
                  b.key().round(),
                  b.key().batch(),
                  b.key().partition(),
                  Math.sqrt(squaredDistance(b.predictions().row(r), b.targets().row(r)))));
        }
      }
    }
    all.sort(Comparator.comparingDouble(Scored::distance).reversed().thenComparingLong(Scored::id));
    Map<Long, Scored> byId = new HashMap<>();
    all.forEach(s -> byId.put(s.id(), s));
    List<List<Object>> rows = run(engine, "furthest-from-target");
    assertThat(rows).hasSize(20);
    double previous = Double.MAX_VALUE;
    for (List<Object> row : rows) {
      Scored s = byId.get((Long) row.get(0));
      assertThat(List.of(row.get(1), row.get(2), row.get(3)))
          .containsExactly(s.round(), s.batch(), s.partition());
      double d = (Double) row.get(4);
      assertThat(d).isCloseTo(s.distance(), within(1e-5)).isLessThanOrEqualTo(previous + 1e-6);
      previous = d;
    }
    // the twenty are the furthest, up to float rounding at the boundary
    assertThat(previous).isCloseTo(all.get(19).distance(), within(1e-5));
  }

  @ParameterizedTest
  @ValueSource(strings = {"duckdb", "spark", "cli"})
  void errorPerRoundAndPartition(String engine) throws Exception {
    registerView();
    Map<List<Long>, double[]> expected =
        new TreeMap<>(
            Comparator.<List<Long>, Long>comparing(l -> l.get(0))
                .thenComparing(l -> l.get(1))
                .thenComparing(l -> l.get(2)));
    for (AuditBatch b : batches) {
      double[] e =
          expected.computeIfAbsent(
              List.of((long) b.key().epoch(), (long) b.key().round(), (long) b.key().partition()),
              k -> new double[2]);
      for (int r = 0; r < b.size(); r++) {
        e[0] += squaredDistance(b.predictions().row(r), b.targets().row(r));
        e[1]++;
      }
    }
    List<List<Object>> rows = run(engine, "error-per-round-and-partition");
    assertThat(rows).hasSize(expected.size());
    int i = 0;
    for (Map.Entry<List<Long>, double[]> e : expected.entrySet()) {
      List<Object> row = rows.get(i++);
      assertThat(row.subList(0, 3)).containsExactlyElementsOf(e.getKey());
      assertThat((Double) row.get(3)).isCloseTo(e.getValue()[0] / e.getValue()[1], within(1e-5));
      assertThat(row.get(4)).isEqualTo((long) e.getValue()[1]);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"duckdb", "spark", "cli"})
  void oneSampleAcrossEpochs(String engine) throws Exception {
    registerView();
    List<List<Object>> expected = new ArrayList<>();
    for (AuditBatch b : batches) {
      for (int r = 0; r < b.size(); r++) {
        if (b.sampleIds()[r] == 42) {
          expected.add(
              List.of(
                  (long) b.key().epoch(),
                  (long) b.key().round(),
                  (long) b.key().batch(),
                  (long) b.key().partition(),
                  (long) r,
                  doubles(b.targets().row(r)),
                  doubles(b.predictions().row(r))));
        }
      }
    }
    assertThat(expected).isNotEmpty();
    assertThat(run(engine, "one-sample-across-epochs")).containsExactlyElementsOf(expected);
  }

  private static List<Double> doubles(float[] f) {
    List<Double> l = new ArrayList<>();
    for (float v : f) {
      l.add((double) v);
    }
    return l;
  }
}
