package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.batchaudit.cli.CliRunner;
import io.batchaudit.read.AuditLog;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.Json;
import io.batchaudit.testing.PythonEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * pyarrow, pandas (README's snippet, run as written there) and polars read the demo job's log
 * (jobs/iris.conf, here with 11 epochs so that epoch 10 sorts wrongly as text, and a validation
 * phase) with hive partitions on, and agree with the project's reader row for row: the same rows,
 * keys, sample ids, run id, step, attempt, batch score, targets and predictions (floats compared by
 * their bits), in training order after sorting by the keys. Python comes from {@link PythonEnv}.
 */
class PythonReadersTest {
  private static final Pattern PANDAS_SNIPPET =
      Pattern.compile(
          "<!-- python: pandas-in-training-order -->\\s*```python\\n(.*?)```", Pattern.DOTALL);
  private static final String README_AUDIT = "target/demo-run/audit";
  private static final int EPOCHS = 11;

  @TempDir static Path tmp;
  private static List<String> expected;
  private static JsonNode facts;

  @BeforeAll
  static void trainTheDemoAndReadItInPython() throws Exception {
    Path out = tmp.resolve("demo-run");
    CliRunner.Result train =
        CliRunner.run(
            "train",
            "--conf",
            "jobs/iris.conf",
            "--out",
            out.toString(),
            "--set",
            "master=local[2]",
            "--set",
            "epochs=" + EPOCHS,
            "--set",
            "validation-data=synthetic:rows=30,features=4,classes=3,seed=9");
    assertThat(train.code()).as(train.err()).isZero();
    Path audit = out.resolve("audit");

    expected = new ArrayList<>();
    try (Stream<AuditBatch> batches =
        AuditLog.open(audit.toString(), new Configuration()).batches()) {
      batches.forEach(
          b -> {
            for (int r = 0; r < b.size(); r++) {
              expected.add(
                  line(
                      b.key().phase().label(),
                      b.key().epoch(),
                      b.key().round(),
                      b.key().batch(),
                      b.key().partition(),
                      r,
                      b.sampleIds()[r],
                      b.runId(),
                      b.step(),
                      b.attempt(),
                      b.batchScore(),
                      b.targets().row(r),
                      b.predictions().row(r)));
            }
          });
    }
    assertThat(expected).hasSize(EPOCHS * (150 + 30));

    Matcher m = PANDAS_SNIPPET.matcher(Files.readString(Path.of("README.md")));
    assertThat(m.find()).as("README's pandas snippet").isTrue();
    String snippet = m.group(1);
    assertThat(snippet).containsOnlyOnce('"' + README_AUDIT + '"');
    Path snippetFile = tmp.resolve("snippet.py");
    Files.writeString(snippetFile, snippet.replace(README_AUDIT, audit.toString()));

    PythonEnv.Result r =
        PythonEnv.run(
            300,
            "src/test/python/plain_readers.py",
            audit.toString(),
            snippetFile.toString(),
            tmp.toString());
    assertThat(r.code()).as("plain_readers.py:\n%s%s", r.stdout(), r.stderr()).isZero();
    facts = Json.mapper().readTree(tmp.resolve("facts.json").toFile());
  }

  /**
   * One row as text; the Python side prints the same: floats as their bits ({@code f:} 8 hex
   * digits, {@code d:} 16), so that equal text means equal values.
   */
  static String line(
      String phase,
      long epoch,
      long round,
      long batch,
      long partition,
      long row,
      long sampleId,
      String runId,
      long step,
      long attempt,
      double batchScore,
      float[] target,
      float[] prediction) {
    return phase
        + " epoch="
        + epoch
        + " round="
        + round
        + " batch="
        + batch
        + " partition="
        + partition
        + " row="
        + row
        + " sample_id="
        + sampleId
        + " run_id="
        + runId
        + " step="
        + step
        + " attempt="
        + attempt
        + " batch_score=d:"
        + String.format("%016x", Double.doubleToRawLongBits(batchScore))
        + " target="
        + bits(target)
        + " prediction="
        + bits(prediction);
  }

  private static String bits(float[] values) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      s.append(i == 0 ? "" : ",")
          .append(String.format("f:%08x", Float.floatToRawIntBits(values[i])));
    }
    return s.append(']').toString();
  }

  private static final Pattern FLOAT_BITS = Pattern.compile("f:([0-9a-f]{8})");
  private static final Pattern DOUBLE_BITS = Pattern.compile("d:([0-9a-f]{16})");

  /** A line with its floats shown as numbers, for failure messages. */
  static String readable(String line) {
    String s =
        FLOAT_BITS
            .matcher(line)
            .replaceAll(
                m ->
                    Float.toString(Float.intBitsToFloat(Integer.parseUnsignedInt(m.group(1), 16))));
    return DOUBLE_BITS
        .matcher(s)
        .replaceAll(
            m -> Double.toString(Double.longBitsToDouble(Long.parseUnsignedLong(m.group(1), 16))));
  }

  /**
   * Null when {@code actual} equals {@code expected}; otherwise the first row where they part, with
   * both rows readable and the row counts.
   */
  static String firstDifference(String reader, List<String> expected, List<String> actual) {
    int n = Math.min(expected.size(), actual.size());
    int at =
        IntStream.range(0, n)
            .filter(i -> !expected.get(i).equals(actual.get(i)))
            .findFirst()
            .orElse(n);
    if (at == n && expected.size() == actual.size()) {
      return null;
    }
    return reader
        + " disagrees with the project's reader (AuditLog) at row "
        + at
        + " in training order (AuditLog read "
        + expected.size()
        + " rows, "
        + reader
        + " "
        + actual.size()
        + "):\n  AuditLog: "
        + (at < expected.size() ? readable(expected.get(at)) : "(no more rows)")
        + "\n  "
        + reader
        + ":   "
        + (at < actual.size() ? readable(actual.get(at)) : "(no more rows)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pyarrow", "pandas", "polars"})
  void readsTheSameRowsAsTheProjectsReaderInTrainingOrder(String reader) throws Exception {
    List<String> rows = Files.readAllLines(tmp.resolve(reader + ".txt"));
    String difference = firstDifference(reader, expected, rows);
    if (difference != null) {
      fail(difference);
    }
  }

  @Test
  void everyReaderSeesTheDocumentedColumnsWithFloatLists() {
    assertThat(facts.get("pyarrow").get("epoch").asText()).isEqualTo("int32");
    assertThat(facts.get("pyarrow").get("phase").asText()).isEqualTo("string");
    assertThat(facts.get("pyarrow").get("target").asText())
        .isEqualTo("list<element: float not null>");
    assertThat(facts.get("pyarrow").get("prediction").asText())
        .isEqualTo("list<element: float not null>");
    assertThat(facts.get("polars").get("epoch").asText()).isEqualTo("Int64");
    assertThat(facts.get("polars").get("phase").asText()).isEqualTo("String");
    assertThat(facts.get("polars").get("target").asText()).isEqualTo("List(Float32)");
    for (String reader : List.of("pyarrow", "pandas", "polars")) {
      List<String> columns = new ArrayList<>();
      facts.get(reader).fieldNames().forEachRemaining(columns::add);
      assertThat(columns)
          .as(reader)
          .containsExactlyInAnyOrder(
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
              "phase",
              "epoch");
    }
  }

  /** README: epoch is a categorical in folder-listing order; make it an integer to sort. */
  @Test
  void pandasGivesEpochAsACategoricalInFolderListingOrder() {
    JsonNode raw = facts.get("pandas_raw");
    assertThat(raw.get("epoch_dtype").asText()).isEqualTo("category");
    assertThat(raw.get("phase_dtype").asText()).isEqualTo("category");
    List<Integer> listingOrder = List.of(0, 1, 10, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(ints(raw.get("epoch_categories"))).isEqualTo(listingOrder);
    assertThat(ints(raw.get("epochs_sorted_raw"))).isEqualTo(listingOrder);
    assertThat(raw.get("max_raw").asText())
        .isEqualTo("TypeError: Categorical is not ordered for operation max");
    assertThat(facts.get("pandas").get("epoch").asText()).isEqualTo("int64");
  }

  /** README: pyarrow's default read gives dictionaries, which {@code sort_by} refuses. */
  @Test
  void pyarrowsDefaultReadGivesPartitionColumnsAsDictionariesThatSortByRefuses() {
    JsonNode raw = facts.get("pyarrow_default");
    assertThat(raw.get("epoch").asText())
        .isEqualTo("dictionary<values=int32, indices=int32, ordered=0>");
    assertThat(raw.get("phase").asText())
        .isEqualTo("dictionary<values=string, indices=int32, ordered=0>");
    assertThat(raw.get("sort_by").asText())
        .isEqualTo(
            "ArrowTypeError: Unsupported type for RecordBatch sorting:"
                + " dictionary<values=string, indices=int32, ordered=0>");
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asInt()));
    return out;
  }

  /** The diff that a disagreeing reader fails with names the row and shows both, readable. */
  @Test
  void aDisagreementIsReportedAtItsFirstRowWithBothRowsReadable() {
    String a = expected.get(0);
    String changed = a.replaceFirst("target=\\[f:[0-9a-f]{8}", "target=[f:3f000000");
    assertThat(changed).isNotEqualTo(a);
    List<String> actual = new ArrayList<>(expected);
    actual.set(0, changed);
    assertThat(firstDifference("pandas", expected, actual))
        .startsWith(
            "pandas disagrees with the project's reader (AuditLog) at row 0 in training order"
                + " (AuditLog read "
                + expected.size()
                + " rows, pandas "
                + expected.size()
                + "):\n  AuditLog: train epoch=0 round=0")
        .contains("\n  pandas:   train epoch=0 round=0")
        .contains("target=[0.5,");
    assertThat(firstDifference("polars", expected, expected.subList(0, 5)))
        .contains("at row 5")
        .contains("polars:   (no more rows)");
    assertThat(firstDifference("pyarrow", expected, expected)).isNull();
  }
}
