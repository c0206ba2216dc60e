package io.batchaudit.dynamics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.batchaudit.cli.CliRunner;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.Json;
import io.batchaudit.store.Phase;
import io.batchaudit.testing.LogBuilder;
import io.batchaudit.testing.SparkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every statistic of {@code dynamics}, to the last digit, on hand-built logs whose presentations
 * are chosen so that each rule shows: a forgetting event, an example seen once, one never learned,
 * a tie in the arg max, a tie in the ranking, never-presented source examples, and an example whose
 * two presentations in one epoch come in the files in the opposite of training order. {@code
 * dynamics} runs in-process in the class's Spark session, as in a JVM that has one.
 */
class DynamicsStatisticsTest {
  private static final String RUN = LogBuilder.RUN_ID;
  private static final double EXACT = 1e-12;

  @TempDir static Path tmp;
  private static JavaSparkContext sc;
  private static SparkSession spark;
  private static Path classification;

  /** Target class and prediction of one presentation. */
  private record P(long id, int target, float... p) {}

  @BeforeAll
  static void writeTheLogsAndStartSpark() {
    classification = tmp.resolve("classification/audit");
    LogBuilder b = new LogBuilder(classification, 3);
    // epoch 0, round 0. Partition 0's file holds its batch 0 and then batch 1, partition 1's file
    // comes after it: id 5's presentation in (batch 1, partition 0) is first in the files, but
    // second in training order, after (batch 0, partition 1).
    b.task(
        0,
        0,
        0,
        1,
        batch(
            0,
            0,
            0,
            0,
            0,
            new P(1, 0, .7f, .2f, .1f),
            new P(2, 1, .1f, .8f, .1f),
            new P(3, 2, .5f, .3f, .2f),
            new P(6, 0, .2f, .7f, .1f),
            new P(7, 0, .2f, .7f, .1f)),
        batch(0, 0, 1, 0, 1, new P(5, 2, .6f, .2f, .2f)));
    b.task(
        0, 0, 1, 2, batch(0, 0, 0, 1, 0, new P(4, 1, .4f, .4f, .2f), new P(5, 2, .1f, .1f, .8f)));
    b.commit(0, 1);
    b.task(
        1, 0, 0, 3, batch(1, 0, 0, 0, 2, new P(1, 0, .3f, .6f, .1f), new P(3, 2, .6f, .3f, .1f)));
    b.task(
        1,
        0,
        1,
        4,
        batch(
            1,
            0,
            0,
            1,
            2,
            new P(4, 1, .1f, .7f, .2f),
            new P(6, 0, .3f, .5f, .2f),
            new P(7, 0, .3f, .5f, .2f)));
    b.task(1, 1, 0, 5, batch(1, 1, 0, 0, 4, new P(5, 2, .2f, .2f, .6f)));
    b.commit(1, 2);
    b.task(
        2, 0, 0, 6, batch(2, 0, 0, 0, 6, new P(1, 0, .8f, .1f, .1f), new P(3, 2, .2f, .5f, .3f)));
    b.commit(2, 1);
    sc = SparkTests.localContext("dynamics-statistics");
    spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    sc.stop();
  }

  private static AuditBatch batch(
      int epoch, int round, int batch, int partition, long step, P... rows) {
    int n = rows.length;
    long[] ids = new long[n];
    float[] targets = new float[n * 3];
    float[] predictions = new float[n * 3];
    for (int r = 0; r < n; r++) {
      ids[r] = rows[r].id();
      targets[r * 3 + rows[r].target()] = 1f;
      System.arraycopy(rows[r].p(), 0, predictions, r * 3, 3);
    }
    return new AuditBatch(
        RUN,
        new BatchKey(epoch, Phase.TRAIN, round, batch, partition),
        step,
        0,
        0,
        0.5,
        ids,
        new FloatMatrix(n, 3, targets),
        new FloatMatrix(n, 3, predictions),
        null,
        null,
        null,
        Map.of());
  }

  private static Map<Long, Row> table(Path out) {
    Map<Long, Row> rows = new HashMap<>();
    for (Row r : spark.read().parquet(out.toString()).collectAsList()) {
      rows.put(r.getLong(r.fieldIndex("sample_id")), r);
    }
    return rows;
  }

  private static double d(Row r, String column) {
    return r.getDouble(r.fieldIndex(column));
  }

  private static Object v(Row r, String column) {
    return r.get(r.fieldIndex(column));
  }

  private static double mean(double... xs) {
    double s = 0;
    for (double x : xs) {
      s += x;
    }
    return s / xs.length;
  }

  private static double stdPop(double... xs) {
    double m = mean(xs);
    double s = 0;
    for (double x : xs) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / xs.length);
  }

  /** ln p[target] - ln max(other p), with the recorded floats. */
  private static double margin(float target, float maxOther) {
    return Math.log(target) - Math.log(maxOther);
  }

  private static double l2(float[] p, int target) {
    double s = 0;
    for (int c = 0; c < p.length; c++) {
      double e = (double) p[c] - (c == target ? 1 : 0);
      s += e * e;
    }
    return Math.sqrt(s);
  }

  @Test
  void computesEveryClassificationStatisticInTrainingOrder() throws Exception {
    Path out = tmp.resolve("classification/dynamics");
    CliRunner.Result r = CliRunner.run("dynamics", classification.toString(), "--json");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.exists(out.resolve(DynamicsOutput.MARKER))).isTrue(); // the default --out
    Map<Long, Row> t = table(out);
    // the recorded source is iris: one row per source example, the 143 never presented empty
    assertThat(t).hasSize(150);
    Row never = t.get(100L);
    assertThat(v(never, "presentations")).isEqualTo(0L);
    assertThat(v(never, "confidence")).isNull();
    assertThat(v(never, "region")).isNull();
    assertThat(v(never, "mislabel_rank")).isNull();
    assertThat(v(never, "source_row")).isEqualTo(100L);

    // id 1: correct, wrong, correct: one forgetting event, learned for good from epoch 2
    Row one = t.get(1L);
    assertThat(v(one, "presentations")).isEqualTo(3L);
    assertThat(v(one, "epochs_seen")).isEqualTo(3);
    assertThat(v(one, "first_step")).isEqualTo(0L);
    assertThat(v(one, "last_step")).isEqualTo(6L);
    assertThat(v(one, "target_class")).isEqualTo(0);
    assertThat(v(one, "last_predicted_class")).isEqualTo(0);
    assertThat(d(one, "confidence")).isCloseTo(mean(.7f, .3f, .8f), within(EXACT));
    assertThat(d(one, "variability")).isCloseTo(stdPop(.7f, .3f, .8f), within(EXACT));
    assertThat(d(one, "correctness")).isCloseTo(2 / 3.0, within(EXACT));
    assertThat(v(one, "forgetting_events")).isEqualTo(1);
    assertThat(v(one, "ever_learned")).isEqualTo(true);
    assertThat(v(one, "stayed_learned_epoch")).isEqualTo(2);
    double aum1 = mean(margin(.7f, .2f), margin(.3f, .6f), margin(.8f, .1f));
    assertThat(d(one, "aum")).isCloseTo(aum1, within(EXACT));
    assertThat(d(one, "el2n")).isCloseTo(l2(new float[] {.7f, .2f, .1f}, 0), within(EXACT));
    assertThat(v(one, "region")).isEqualTo("ambiguous"); // variability 0.216
    assertThat(v(one, "likely_mislabeled")).isEqualTo(false);
    assertThat(v(one, "source_row")).isEqualTo(1L);

    // id 2: seen once, correct
    Row two = t.get(2L);
    assertThat(v(two, "presentations")).isEqualTo(1L);
    assertThat(v(two, "epochs_seen")).isEqualTo(1);
    assertThat(v(two, "first_step")).isEqualTo(0L);
    assertThat(v(two, "last_step")).isEqualTo(0L);
    assertThat(d(two, "confidence")).isCloseTo((double) .8f, within(EXACT));
    assertThat(d(two, "variability")).isEqualTo(0.0);
    assertThat(d(two, "correctness")).isEqualTo(1.0);
    assertThat(v(two, "forgetting_events")).isEqualTo(0);
    assertThat(v(two, "stayed_learned_epoch")).isEqualTo(0);
    assertThat(d(two, "aum")).isCloseTo(margin(.8f, .1f), within(EXACT));
    assertThat(v(two, "region")).isEqualTo("easy-to-learn");

    // id 3: never learned
    Row three = t.get(3L);
    assertThat(d(three, "correctness")).isEqualTo(0.0);
    assertThat(v(three, "ever_learned")).isEqualTo(false);
    assertThat(v(three, "stayed_learned_epoch")).isNull();
    assertThat(v(three, "forgetting_events")).isEqualTo(0);
    assertThat(v(three, "last_predicted_class")).isEqualTo(1);
    assertThat(d(three, "confidence")).isCloseTo(mean(.2f, .1f, .3f), within(EXACT));
    assertThat(d(three, "aum"))
        .isCloseTo(mean(margin(.2f, .5f), margin(.1f, .6f), margin(.3f, .5f)), within(EXACT));
    assertThat(v(three, "region")).isEqualTo("hard-to-learn");
    assertThat(v(three, "likely_mislabeled")).isEqualTo(true);

    // id 4: a tie for the largest output is the first maximum (class 0, not the target 1): wrong,
    // margin 0; then correct
    Row four = t.get(4L);
    assertThat(d(four, "correctness")).isEqualTo(0.5);
    assertThat(v(four, "forgetting_events")).isEqualTo(0);
    assertThat(v(four, "stayed_learned_epoch")).isEqualTo(1);
    assertThat(d(four, "aum")).isCloseTo(mean(0, margin(.7f, .2f)), within(EXACT));
    assertThat(v(four, "region")).isEqualTo("easy-to-learn");

    // id 5: in training order correct (batch 0, partition 1), wrong (batch 1, partition 0), then
    // correct in epoch 1: one forgetting event (in file order it would be none)
    Row five = t.get(5L);
    assertThat(v(five, "presentations")).isEqualTo(3L);
    assertThat(v(five, "epochs_seen")).isEqualTo(2);
    assertThat(v(five, "first_step")).isEqualTo(0L);
    assertThat(v(five, "last_step")).isEqualTo(4L);
    assertThat(v(five, "forgetting_events")).isEqualTo(1);
    assertThat(v(five, "stayed_learned_epoch")).isEqualTo(1);
    assertThat(d(five, "confidence")).isCloseTo(mean(.8f, .2f, .6f), within(EXACT));
    assertThat(d(five, "variability")).isCloseTo(stdPop(.8f, .2f, .6f), within(EXACT));
    assertThat(d(five, "el2n"))
        .isCloseTo(
            mean(l2(new float[] {.1f, .1f, .8f}, 2), l2(new float[] {.6f, .2f, .2f}, 2)),
            within(EXACT));
    assertThat(v(five, "region")).isEqualTo("ambiguous");

    // ids 6 and 7: the same presentations, so the same AUM and confidence: the lower id ranks first
    assertThat(d(t.get(6L), "aum")).isEqualTo(d(t.get(7L), "aum"));
    Map<Long, Long> ranks = new HashMap<>();
    t.forEach(
        (id, row) -> {
          if (v(row, "mislabel_rank") != null) {
            ranks.put(id, (Long) v(row, "mislabel_rank"));
          }
        });
    assertThat(ranks)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(3L, 1L, 6L, 2L, 7L, 3L, 4L, 4L, 5L, 5L, 1L, 6L, 2L, 7L));

    JsonNode s = Json.mapper().readTree(r.out());
    assertThat(s.get("task").asText()).isEqualTo("classification");
    assertThat(s.get("examples").asLong()).isEqualTo(150);
    assertThat(s.get("presented").asLong()).isEqualTo(7);
    assertThat(s.get("presentations").asLong()).isEqualTo(16);
    assertThat(s.get("epochs").toString()).isEqualTo("[0,1,2]");
    assertThat(s.get("regions").toString())
        .isEqualTo("{\"ambiguous\":2,\"easy-to-learn\":2,\"hard-to-learn\":3}");
    assertThat(s.get("forgettingHistogram").toString()).isEqualTo("{\"0\":5,\"1\":2}");
    assertThat(s.get("neverLearned").asLong()).isEqualTo(3);
    assertThat(s.get("likelyMislabeled").asLong()).isEqualTo(3);
    assertThat(s.get("top").get(0).get("sample_id").asLong()).isEqualTo(3);
    assertThat(s.get("top").get(0).get("source_row").asLong()).isEqualTo(3);
    assertThat(s.get("top")).hasSize(7);
  }

  @Test
  void el2nAtAChosenEpochIsEmptyForExamplesNotPresentedThen() {
    Path out = tmp.resolve("el2n-epoch-2");
    CliRunner.Result r =
        CliRunner.run(
            "dynamics",
            classification.toString(),
            "--out",
            out.toString(),
            "--el2n-epoch",
            "2",
            "--top",
            "2");

    assertThat(r.code()).as(r.err()).isZero();
    Map<Long, Row> t = table(out);
    assertThat(d(t.get(1L), "el2n")).isCloseTo(l2(new float[] {.8f, .1f, .1f}, 0), within(EXACT));
    assertThat(d(t.get(3L), "el2n")).isCloseTo(l2(new float[] {.2f, .5f, .3f}, 2), within(EXACT));
    assertThat(v(t.get(5L), "el2n")).isNull();
    assertThat(r.out())
        .contains(
            "data map regions (ambiguous: variability >= 0.20; else easy-to-learn: confidence >="
                + " 0.50; else hard-to-learn): easy-to-learn: 2, ambiguous: 2, hard-to-learn: 3")
        .contains("forgetting events (events: examples): 0: 5, 1: 2")
        .contains("never learned: 3; likely mislabeled (AUM < 0): 3; EL2N at epoch 2");
    // --top 2: the header and two ranked rows
    List<String> lines = r.out().lines().toList();
    int header = lines.indexOf(String.join("  ", DynamicsSummary.CLASSIFICATION_TOP));
    assertThat(lines.subList(header + 1, lines.size()))
        .hasSize(2)
        .satisfiesExactly(
            l -> assertThat(l).startsWith("1  3  3  2  1  "),
            l -> assertThat(l).startsWith("2  6  6  0  1  "));
  }

  @Test
  void theTableIsPlainParquetThatDuckDbReads() throws Exception {
    Path out = tmp.resolve("for-duckdb");
    assertThat(CliRunner.run("dynamics", classification.toString(), "--out", out.toString()).code())
        .isZero();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), count(mislabel_rank), min_by(sample_id, mislabel_rank)"
                    + " FROM read_parquet('"
                    + out
                    + "/*.parquet')")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(150);
      assertThat(rs.getLong(2)).isEqualTo(7);
      assertThat(rs.getLong(3)).isEqualTo(3);
    }
  }

  @Test
  void computesRegressionStatisticsWithTrendAndOutlierRank() throws Exception {
    Path audit = tmp.resolve("regression/audit");
    LogBuilder b = new LogBuilder(audit, 3);
    // two outputs, target (1, 2); squared error summed over outputs
    // id 1: errors 1.0, 0.25, 0 over epochs 0-2; id 2: once, 0.5; ids 3 and 4: 0.5, then 1.0 (a
    // tie)
    float[][] e0 = {{2f, 2f}, {1.5f, 2.5f}, {1.5f, 2.5f}, {1f, 3f}};
    b.task(0, 0, 0, 1, regression(0, 0, 0, new long[] {1, 2, 3}, e0[0], e0[1], e0[2]));
    b.task(0, 0, 1, 2, regression(0, 0, 0, new long[] {4}, new float[] {1.5f, 1.5f}));
    b.commit(0, 1);
    b.task(
        1,
        0,
        0,
        3,
        regression(
            1,
            0,
            2,
            new long[] {1, 3, 4},
            new float[] {1.5f, 2f},
            new float[] {1f, 3f},
            new float[] {2f, 2f}));
    b.commit(1, 1);
    b.task(2, 0, 0, 4, regression(2, 0, 4, new long[] {1}, new float[] {1f, 2f}));
    b.commit(2, 1);
    Path out = tmp.resolve("regression/dyn");

    CliRunner.Result r =
        CliRunner.run("dynamics", audit.toString(), "--out", out.toString(), "--json");

    assertThat(r.code()).as(r.err()).isZero();
    Map<Long, Row> t = table(out);
    Row one = t.get(1L);
    assertThat(v(one, "presentations")).isEqualTo(3L);
    assertThat(v(one, "epochs_seen")).isEqualTo(3);
    assertThat(v(one, "first_step")).isEqualTo(0L);
    assertThat(v(one, "last_step")).isEqualTo(4L);
    assertThat(d(one, "mean_squared_error")).isCloseTo(mean(1, .25, 0), within(EXACT));
    assertThat(d(one, "error_std")).isCloseTo(stdPop(1, .25, 0), within(1e-9));
    assertThat(d(one, "error_trend")).isCloseTo(-0.5, within(EXACT));
    Row two = t.get(2L);
    assertThat(d(two, "mean_squared_error")).isCloseTo(0.5, within(EXACT));
    assertThat(d(two, "error_std")).isEqualTo(0.0);
    assertThat(v(two, "error_trend")).isNull();
    Row three = t.get(3L); // 0.5, then 1.0
    assertThat(d(three, "mean_squared_error")).isCloseTo(0.75, within(EXACT));
    assertThat(d(three, "error_std")).isCloseTo(0.25, within(1e-9));
    assertThat(d(three, "error_trend")).isCloseTo(0.5, within(EXACT));
    Row four = t.get(4L); // 0.5, then 1.0: the same as id 3
    assertThat(d(four, "mean_squared_error")).isCloseTo(0.75, within(EXACT));
    Map<Long, Object> ranks = new HashMap<>();
    t.forEach((id, row) -> ranks.put(id, v(row, "outlier_rank")));
    assertThat(ranks).containsEntry(3L, 1L).containsEntry(4L, 2L).containsEntry(2L, 3L);
    assertThat(ranks).containsEntry(1L, 4L).containsEntry(100L, null);
    assertThat(t.get(1L).schema().fieldNames())
        .startsWith("sample_id", "presentations")
        .contains("mean_squared_error", "error_std", "error_trend", "outlier_rank", "source_row")
        .doesNotContain("confidence");
    JsonNode s = Json.mapper().readTree(r.out());
    assertThat(s.get("task").asText()).isEqualTo("regression");
    assertThat(s.get("top").get(0).get("sample_id").asLong()).isEqualTo(3);
  }

  private static AuditBatch regression(
      int epoch, int round, long step, long[] ids, float[]... predictions) {
    int n = ids.length;
    float[] targets = new float[n * 2];
    float[] p = new float[n * 2];
    for (int r = 0; r < n; r++) {
      targets[r * 2] = 1f;
      targets[r * 2 + 1] = 2f;
      System.arraycopy(predictions[r], 0, p, r * 2, 2);
    }
    return new AuditBatch(
        RUN,
        new BatchKey(epoch, Phase.TRAIN, round, 0, 0),
        step,
        0,
        0,
        0.5,
        ids,
        new FloatMatrix(n, 2, targets),
        new FloatMatrix(n, 2, p),
        null,
        null,
        null,
        Map.of());
  }

  private static List<String> listing(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(p -> dir.relativize(p) + ":" + p.toFile().lastModified()).sorted().toList();
    }
  }

  @Test
  void badInputIsOneLineAndWritesNothing() throws Exception {
    Path out = tmp.resolve("bad/out");
    String audit = classification.toString();
    assertBad(
        CliRunner.run("dynamics", audit, "--out", out.toString(), "--phase", "test"),
        "error: Invalid --phase 'test': expected train or validation");
    assertBad(
        CliRunner.run("dynamics", audit, "--out", out.toString(), "--phase", "validation"),
        "error: The audit log in "
            + classification.toUri().toString().replace("file:///", "file:/").replaceAll("/$", "")
            + " has no committed validation epoch with rows (did the run have validation-data?);"
            + " use --phase train");
    assertBad(
        CliRunner.run("dynamics", audit, "--out", out.toString(), "--el2n-epoch", "7"),
        "error: --el2n-epoch 7 is not a committed train epoch of "
            + classification.toUri().toString().replace("file:///", "file:/").replaceAll("/$", "")
            + ": committed are [0, 1, 2]; choose one of them");
    assertBad(
        CliRunner.run("dynamics", audit, "--out", out.toString(), "--top", "0"),
        "error: Invalid --top 0: expected at least 1");
    assertThat(out.getParent()).doesNotExist();

    // a folder that is not an earlier output of dynamics is left as it is
    Path foreign = tmp.resolve("bad/foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    List<String> before = listing(foreign);
    assertBad(
        CliRunner.run("dynamics", audit, "--out", foreign.toString()),
        "error: --out "
            + foreign
            + " is not empty and holds no _dynamics.json (it is not an earlier output of"
            + " dynamics), so it is not replaced; choose a new or empty folder");
    assertThat(listing(foreign)).isEqualTo(before);
    CliRunner.Result inside =
        CliRunner.run("dynamics", audit, "--out", classification.resolve("dyn").toString());
    assertThat(inside.code()).isEqualTo(2);
    assertThat(inside.err()).startsWith("error: --out ").contains(" overlaps the audit folder ");
    assertThat(classification.resolve("dyn")).doesNotExist();
    assertBad(
        CliRunner.run("dynamics", tmp.resolve("nothing").toString()),
        "error: Audit folder "
            + tmp.resolve("nothing").toUri().toString().replace("file:///", "file:/")
            + " does not exist");
  }

  @Test
  void replacesItsOwnEarlierOutput() {
    Path out = tmp.resolve("again");
    assertThat(CliRunner.run("dynamics", classification.toString(), "--out", out.toString()).code())
        .isZero();
    CliRunner.Result again =
        CliRunner.run(
            "dynamics", classification.toString(), "--out", out.toString(), "--el2n-epoch", "1");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(d(table(out).get(3L), "el2n"))
        .isCloseTo(l2(new float[] {.6f, .3f, .1f}, 2), within(EXACT));
    try (Stream<Path> s = Files.list(out.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theReportShowsTheDataMapTheForgettingEventsAndTheTopOfTheRanking() throws Exception {
    Path html = tmp.resolve("report.html");
    CliRunner.Result r =
        CliRunner.run("report", classification.toString(), "--out", html.toString());

    assertThat(r.code()).as(r.err()).isZero();
    String page = Files.readString(html);
    assertThat(page)
        .contains("<section id=\"dynamics\">\n<h2>Training dynamics</h2>\n")
        .contains("(7 examples presented, train phase)")
        .contains("<title>sample 3: confidence 0.200, variability 0.082, correctness 0.00</title>")
        .contains("easy-to-learn 2, ambiguous 2, hard-to-learn 3.")
        .contains("<title>0, examples: 5.0000</title>")
        .contains("<title>1, examples: 2.0000</title>")
        .contains("3 examples are flagged. Source rows refer to iris.")
        // rank 1: sample 3, source row 3, target 2, last predicted 1
        .contains(
            "<tr><td class=\"n\">1</td><td class=\"n\">3</td><td class=\"n\">3</td><td"
                + " class=\"n\">2</td><td class=\"n\">1</td>");
    CliRunner.Result without =
        CliRunner.run(
            "report",
            classification.toString(),
            "--out",
            html.toString(),
            "--overwrite",
            "--no-dynamics");
    assertThat(without.code()).as(without.err()).isZero();
    assertThat(Files.readString(html)).contains("Not computed: report --no-dynamics.");
  }

  private static void assertBad(CliRunner.Result r, String line) {
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err().strip()).startsWith(line);
    if (!line.endsWith(" ")) {
      assertThat(r.err().strip()).isEqualTo(line);
    }
  }
}
