package io.batchaudit.cli;

import static io.batchaudit.testing.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.read.AuditLog;
import io.batchaudit.read.VerificationReport;
import io.batchaudit.read.Verifier;
import io.batchaudit.testing.LogBuilder;
import io.batchaudit.testing.SparkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code query} is read-only: every statement that writes, creates, drops, caches, sets, adds or
 * loads is refused with exit 2 and one line, and leaves every file (content and modification time)
 * and the Spark session as they were; queries, EXPLAIN, DESCRIBE and SHOW run.
 *
 * <p>The log is hand-made (two epochs of 16 rows); {@code query} runs in the class's Spark session,
 * as it does inside a JVM that already has one.
 */
class QueryCommandTest {
  private static final String RUN = LogBuilder.RUN_ID;
  private static final String READ_ONLY =
      " is refused: query is read-only and runs only SELECT, WITH ... SELECT, VALUES, TABLE,"
          + " EXPLAIN <query>, DESCRIBE and SHOW; nothing was run. To save results, redirect the"
          + " output of --json (JSON lines) to a file, or write them with Spark or DuckDB into a"
          + " folder outside the audit folder";

  @TempDir static Path tmp;
  private static JavaSparkContext sc;
  private static SparkSession spark;
  private static Path root;

  @BeforeAll
  static void writeALogAndStartSpark() {
    root = tmp.resolve("log/audit");
    twoEpochs(root);
    sc = SparkTests.localContext("query-read-only");
    spark =
        SparkSession.builder()
            .sparkContext(sc.sc())
            .config("spark.sql.warehouse.dir", tmp.resolve("warehouse").toString())
            .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    sc.stop();
  }

  /** Two committed epochs, each two rounds of two partitions of two batches of two rows. */
  private static LogBuilder twoEpochs(Path root) {
    LogBuilder b = new LogBuilder(root, 2);
    for (int epoch = 0; epoch < 2; epoch++) {
      for (int round = 0; round < 2; round++) {
        for (int p = 0; p < 2; p++) {
          long task = epoch * 100L + round * 10 + p;
          long base = (round * 2 + p) * 10;
          b.task(
              epoch,
              round,
              p,
              task,
              batch(RUN, epoch, round, 0, p, task, base, base + 1),
              batch(RUN, epoch, round, 1, p, task, base + 2, base + 3));
        }
      }
      b.commit(epoch, 2);
    }
    return b;
  }

  /** Every file and folder under {@code dir}: SHA-256 (files) and modification time. */
  private static Map<String, String> snapshot(Path dir) throws Exception {
    Map<String, String> state = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.toList()) {
        String content =
            Files.isDirectory(p)
                ? "dir"
                : java.util.HexFormat.of()
                    .formatHex(
                        java.security.MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(p)));
        state.put(
            dir.relativize(p).toString(), content + " " + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return state;
  }

  /** Rows per epoch as DuckDB reads the folder. */
  private static List<String> duckDbRowsPerEpoch(Path audit) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT epoch, count(*) FROM read_parquet('"
                    + audit
                    + "/**/*.parquet', hive_partitioning = true) GROUP BY epoch ORDER BY epoch")) {
      while (r.next()) {
        rows.add("epoch " + r.getInt(1) + ": " + r.getLong(2));
      }
    }
    return rows;
  }

  static Stream<Arguments> statementsThatChangeState() {
    String epoch0 = root.resolve("phase=train/epoch=0").toString();
    String audit = root.toString();
    return Stream.of(
        // the repro: it replaced epoch 0's files and manifest
        Arguments.of(
            "INSERT OVERWRITE DIRECTORY 'file://"
                + epoch0
                + "' USING parquet SELECT run_id FROM audit LIMIT 1",
            "INSERT OVERWRITE DIRECTORY"),
        Arguments.of(
            "INSERT OVERWRITE LOCAL DIRECTORY '"
                + epoch0
                + "' STORED AS parquet SELECT * FROM audit",
            "INSERT OVERWRITE DIRECTORY"),
        Arguments.of(
            "/* SELECT */ INSERT OVERWRITE DIRECTORY '"
                + epoch0
                + "' USING parquet SELECT * FROM audit",
            "INSERT OVERWRITE DIRECTORY"),
        Arguments.of(
            "INSERT INTO parquet.`" + epoch0 + "` SELECT * FROM audit LIMIT 1", "INSERT INTO"),
        Arguments.of("INSERT OVERWRITE TABLE audit SELECT * FROM audit", "INSERT OVERWRITE"),
        Arguments.of(
            "WITH t AS (SELECT * FROM audit LIMIT 1) INSERT OVERWRITE DIRECTORY '"
                + epoch0
                + "' USING parquet SELECT * FROM t",
            "INSERT OVERWRITE DIRECTORY"),
        Arguments.of(
            "WITH t AS (SELECT * FROM audit) INSERT INTO parquet.`" + epoch0 + "` SELECT * FROM t",
            "INSERT INTO"),
        Arguments.of(
            "CREATE TABLE t (x INT) USING parquet LOCATION '" + epoch0 + "'", "CREATE TABLE"),
        Arguments.of(
            "CREATE TABLE t USING parquet LOCATION '"
                + audit
                + "/phase=train/epoch=2' AS SELECT * FROM audit",
            "CREATE TABLE AS SELECT"),
        Arguments.of("CREATE VIEW v AS SELECT * FROM audit", "CREATE VIEW"),
        Arguments.of("CREATE OR REPLACE TEMPORARY VIEW audit AS SELECT 1 AS x", "CREATE VIEW"),
        Arguments.of(
            "CREATE TEMPORARY VIEW v USING parquet OPTIONS (path '" + audit + "')",
            "CREATE TEMPORARY VIEW USING"),
        Arguments.of("CREATE DATABASE d LOCATION '" + audit + "/d'", "CREATE DATABASE"),
        Arguments.of("CREATE FUNCTION f AS 'io.batchaudit.Nothing'", "CREATE FUNCTION"),
        Arguments.of("DROP TABLE audit", "DROP TABLE"),
        Arguments.of("-- SELECT * FROM audit\nDROP VIEW audit", "DROP VIEW"),
        Arguments.of("CACHE TABLE audit", "CACHE TABLE"),
        Arguments.of("CACHE LAZY TABLE c AS SELECT * FROM audit", "CACHE TABLE AS SELECT"),
        Arguments.of("UNCACHE TABLE audit", "UNCACHE TABLE"),
        Arguments.of("CLEAR CACHE", "CLEAR CACHE"),
        Arguments.of("SET spark.sql.shuffle.partitions=3", "SET"),
        Arguments.of("RESET", "RESET"),
        Arguments.of("ADD JAR '" + tmp.resolve("x.jar") + "'", "ADD JAR"),
        Arguments.of("ADD FILE '" + tmp.resolve("x.txt") + "'", "ADD FILE"),
        Arguments.of(
            "LOAD DATA LOCAL INPATH '" + epoch0 + "' OVERWRITE INTO TABLE audit", "LOAD DATA"),
        Arguments.of("ALTER TABLE audit ADD COLUMNS (x INT)", "ALTER TABLE"),
        Arguments.of("ALTER VIEW audit AS SELECT 1 AS x", "ALTER VIEW"),
        Arguments.of("TRUNCATE TABLE audit", "TRUNCATE TABLE"),
        Arguments.of("REFRESH TABLE audit", "REFRESH TABLE"),
        Arguments.of("REFRESH '" + audit + "'", "REFRESH"),
        Arguments.of("MSCK REPAIR TABLE audit", "MSCK REPAIR TABLE"),
        Arguments.of("ANALYZE TABLE audit COMPUTE STATISTICS", "ANALYZE TABLE"),
        Arguments.of("USE default", "USE"),
        Arguments.of("DELETE FROM audit WHERE epoch = 0", "DELETE"),
        Arguments.of("UPDATE audit SET row = 0", "UPDATE"),
        Arguments.of(
            "MERGE INTO audit USING audit AS s ON audit.row = s.row WHEN MATCHED THEN DELETE",
            "MERGE INTO"),
        // EXPLAIN of a write runs nothing, but query accepts only what it would run itself
        Arguments.of(
            "EXPLAIN INSERT OVERWRITE DIRECTORY '" + epoch0 + "' USING parquet SELECT * FROM audit",
            "EXPLAIN INSERT OVERWRITE DIRECTORY"),
        Arguments.of(
            "SELECT TRANSFORM(epoch) USING 'touch " + tmp.resolve("touched") + "' FROM audit",
            "SELECT TRANSFORM (it runs an external program)"),
        Arguments.of(
            "SELECT reflect('java.lang.System', 'setProperty', 'batchaudit.reflected', 'yes')",
            "A call of reflect() (it calls any static Java method)"),
        Arguments.of(
            "SELECT * FROM audit WHERE epoch IN (SELECT java_method('java.lang.System',"
                + " 'setProperty', 'batchaudit.reflected', 'yes'))",
            "A call of java_method() (it calls any static Java method)"),
        // more than one statement: the write among them is named
        Arguments.of(
            "SELECT count(*) FROM audit; INSERT OVERWRITE DIRECTORY '"
                + epoch0
                + "' USING parquet SELECT * FROM audit",
            "INSERT OVERWRITE DIRECTORY"));
  }

  @ParameterizedTest
  @MethodSource("statementsThatChangeState")
  void refusesAStatementThatChangesStateWithExitTwoAndChangesNothing(String sql, String kind)
      throws Exception {
    Map<String, String> files = snapshot(tmp);
    scala.collection.immutable.Map<String, String> conf = spark.conf().getAll();
    List<String> before = duckDbRowsPerEpoch(root);
    assertThat(before).containsExactly("epoch 0: 16", "epoch 1: 16");

    CliRunner.Result r = CliRunner.run("query", root.toString(), sql);

    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).isEqualTo("error: " + kind + READ_ONLY + System.lineSeparator());
    assertThat(r.out()).isEmpty();
    assertThat(snapshot(tmp)).isEqualTo(files);
    assertThat(spark.conf().getAll()).isEqualTo(conf);
    assertThat(System.getProperty("batchaudit.reflected")).isNull();
    assertThat(duckDbRowsPerEpoch(root)).isEqualTo(before);
  }

  @Test
  void refusesMoreThanOneQueryInOneCall() {
    CliRunner.Result r =
        CliRunner.run("query", root.toString(), "SELECT 1 AS x; SELECT ';' AS y; -- done");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err())
        .isEqualTo(
            "error: The SQL holds 2 statements; query runs exactly one: pass each statement in its"
                + " own call"
                + System.lineSeparator());
  }

  @Test
  void reportsInvalidSqlInOneLine() {
    CliRunner.Result r = CliRunner.run("query", root.toString(), "SELEC epoch FROM audit");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err())
        .isEqualTo(
            "error: Invalid SQL: [PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'.(line 1, pos"
                + " 0)"
                + System.lineSeparator());
  }

  static Stream<Arguments> readOnlyStatements() {
    return Stream.of(
        Arguments.of(
            "SELECT epoch, count(*) AS n FROM audit GROUP BY epoch ORDER BY epoch",
            List.of("{\"epoch\":0,\"n\":16}", "{\"epoch\":1,\"n\":16}")),
        Arguments.of(
            "WITH e AS (SELECT DISTINCT epoch FROM audit) SELECT count(*) AS n FROM e",
            List.of("{\"n\":2}")),
        Arguments.of("FROM audit SELECT count(*) AS n", List.of("{\"n\":32}")),
        Arguments.of(
            "TABLE audit ORDER BY epoch, round, batch, partition, row LIMIT 1",
            List.of(
                "{\"run_id\":\"run-test\",\"round\":0,\"partition\":0,\"batch\":0,\"step\":0,"
                    + "\"attempt\":0,\"task_attempt_id\":0,\"row\":0,\"sample_id\":0,"
                    + "\"batch_score\":0.5,\"target\":[1.0,0.0,0.0],"
                    + "\"prediction\":[0.14285715,0.125,0.11111111],\"phase\":\"train\","
                    + "\"epoch\":0}")),
        Arguments.of(
            "VALUES (1, 'a'), (2, 'b')",
            List.of("{\"col1\":1,\"col2\":\"a\"}", "{\"col1\":2,\"col2\":\"b\"}")),
        Arguments.of(
            "-- a comment; with a semicolon\nSELECT count(*) AS n FROM audit WHERE epoch = 1;",
            List.of("{\"n\":16}")),
        Arguments.of("/* INSERT OVERWRITE */ SELECT 1 AS x", List.of("{\"x\":1}")),
        Arguments.of(
            "SELECT sample_id FROM audit WHERE epoch = 0 AND sample_id IN (SELECT max(sample_id)"
                + " FROM audit)",
            List.of("{\"sample_id\":33}")),
        Arguments.of(
            "SHOW TABLES",
            List.of("{\"namespace\":\"\",\"tableName\":\"audit\",\"isTemporary\":true}")),
        Arguments.of(
            "DESCRIBE audit sample_id",
            List.of(
                "{\"info_name\":\"col_name\",\"info_value\":\"sample_id\"}",
                "{\"info_name\":\"data_type\",\"info_value\":\"bigint\"}",
                "{\"info_name\":\"comment\",\"info_value\":\"NULL\"}")));
  }

  @ParameterizedTest
  @MethodSource("readOnlyStatements")
  void runsReadOnlyStatements(String sql, List<String> json) throws Exception {
    Map<String, String> files = snapshot(root.getParent());
    CliRunner.Result r = CliRunner.run("query", root.toString(), sql, "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).containsExactlyElementsOf(json);
    assertThat(snapshot(root.getParent())).isEqualTo(files);
  }

  @Test
  void runsExplainAndDescribeOfTheView() {
    CliRunner.Result explain =
        CliRunner.run("query", root.toString(), "EXPLAIN SELECT count(*) FROM audit");
    assertThat(explain.code()).as(explain.err()).isZero();
    assertThat(explain.out()).contains("== Physical Plan ==").contains("HashAggregate");
    CliRunner.Result describe = CliRunner.run("query", root.toString(), "DESCRIBE audit");
    assertThat(describe.code()).as(describe.err()).isZero();
    assertThat(describe.out())
        .containsPattern("(?m)^sample_id +bigint +null$")
        .containsPattern("(?m)^epoch +int +null$");
  }

  @Test
  void theReproRunDirectlyThroughSparkReplacesEpochZeroAndVerifyReportsIt() throws Exception {
    // the positive control of the refusal: the same statement through Spark itself damages the
    // log exactly as the issue reports, and verify now says so
    Path other = tmp.resolve("direct/audit");
    twoEpochs(other);
    spark.read().parquet(other.toString()).createOrReplaceTempView("audit");
    Path epoch0 = other.resolve("phase=train/epoch=0");
    spark.sql(
        "INSERT OVERWRITE DIRECTORY 'file://"
            + epoch0
            + "' USING parquet SELECT run_id FROM audit LIMIT 1");
    assertThat(duckDbRowsPerEpoch(other)).containsExactly("epoch 0: 1", "epoch 1: 16");
    Path written;
    try (Stream<Path> s = Files.list(epoch0)) {
      written = s.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    VerificationReport report =
        Verifier.verify(AuditLog.open(other.toString(), new Configuration()), null);
    assertThat(report.ok()).isFalse();
    assertThat(report.tableProblems())
        .containsExactly(
            "epoch folder file:"
                + epoch0
                + " has no _manifest.json: plain readers read its files as epoch 0 (train), which"
                + " the project's reader does not see (not committed)",
            "data file file:"
                + written
                + " is named by no manifest: plain readers read its 1 row as epoch 0 (train)",
            "the 5 *.parquet files under file:"
                + other
                + " hold 17 rows (what DuckDB's read_parquet('<audit>/**/*.parquet') counts), the"
                + " manifests 16");
  }
}
