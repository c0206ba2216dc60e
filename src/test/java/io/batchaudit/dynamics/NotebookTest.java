package io.batchaudit.dynamics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.batchaudit.cli.CliRunner;
import io.batchaudit.store.Json;
import io.batchaudit.testing.PythonEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobs/notebooks/audit.ipynb} runs headless ({@code jupyter nbconvert --execute}, the pinned
 * venv) on a log trained here, and its last cell's check of its figures against the project's
 * commands ({@code files}, {@code query}, {@code dynamics}, run here in-process) passes; with one
 * expected figure changed the same check stops the notebook (the check can fail).
 */
class NotebookTest {
  /** The notebook's accuracy query, as its check cell runs it through {@code query}. */
  private static final String ACCURACY_SQL =
      "SELECT epoch, avg(CASE WHEN array_position(prediction, array_max(prediction)) = "
          + "array_position(target, array_max(target)) THEN 1 ELSE 0 END) AS accuracy, count(*) AS"
          + " examples FROM audit WHERE phase = 'train' GROUP BY epoch ORDER BY epoch";

  @TempDir static Path tmp;
  private static Path audit;
  private static Map<String, Object> expected;

  @BeforeAll
  static void trainALogAndAskTheCommands() throws Exception {
    Path run = tmp.resolve("run");
    CliRunner.Result train =
        CliRunner.run(
            "train",
            "--out",
            run.toString(),
            "--set",
            "master=local[2]",
            "--set",
            "data=iris",
            "--set",
            "epochs=3",
            "--set",
            "shuffle=true");
    assertThat(train.code()).as(train.err()).isZero();
    audit = run.resolve("audit");
    CliRunner.Result files = CliRunner.run("files", audit.toString(), "--json");
    CliRunner.Result accuracy = CliRunner.run("query", audit.toString(), ACCURACY_SQL, "--json");
    CliRunner.Result dynamics = CliRunner.run("dynamics", audit.toString(), "--json");
    for (CliRunner.Result r : List.of(files, accuracy, dynamics)) {
      assertThat(r.code()).as(r.err()).isZero();
    }
    expected = new LinkedHashMap<>();
    expected.put("files", Json.mapper().readTree(files.out()));
    expected.put("accuracy", accuracy.out().lines().map(NotebookTest::json).toList());
    expected.put("dynamics", Json.mapper().readTree(dynamics.out()));
  }

  private static JsonNode json(String line) {
    try {
      return Json.mapper().readTree(line);
    } catch (Exception e) {
      throw new AssertionError(line, e);
    }
  }

  private static PythonEnv.Result execute(Map<String, Object> expectations, String name)
      throws Exception {
    Path file = tmp.resolve(name + "-expected.json");
    Files.writeString(file, Json.mapper().writeValueAsString(expectations));
    return PythonEnv.run(
        Map.of(
            "BATCH_AUDIT_AUDIT", audit.toString(),
            "BATCH_AUDIT_EXPECTED", file.toString(),
            "BATCH_AUDIT_FIGURES", tmp.resolve(name + "-figures").toString(),
            "JUPYTER_PLATFORM_DIRS", "1"),
        600,
        "-m",
        "jupyter",
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        "--ExecutePreprocessor.timeout=300",
        "--output-dir",
        tmp.toString(),
        "--output",
        name + ".ipynb",
        "jobs/notebooks/audit.ipynb");
  }

  @Test
  void theNotebookRunsHeadlessAndItsFiguresAgreeWithTheCommands() throws Exception {
    PythonEnv.Result r = execute(expected, "executed");

    assertThat(r.code()).as(r.stderr()).isZero();
    String executed = Files.readString(tmp.resolve("executed.ipynb"));
    assertThat(executed).contains("notebook figures agree with batch-audit: 3 epochs, ");
    for (String figure : List.of("accuracy", "trajectory", "data-map", "partitions")) {
      assertThat(tmp.resolve("executed-figures/" + figure + ".png")).isNotEmptyFile();
    }
  }

  @Test
  void aFigureThatDisagreesStopsTheNotebook() throws Exception {
    Map<String, Object> wrong = new LinkedHashMap<>(expected);
    JsonNode dynamics = Json.mapper().readTree(Json.compact(expected.get("dynamics")));
    ((com.fasterxml.jackson.databind.node.ObjectNode) dynamics).put("presented", 1);
    wrong.put("dynamics", dynamics);

    PythonEnv.Result r = execute(wrong, "wrong");

    assertThat(r.code()).isNotZero();
    assertThat(r.stderr()).contains("AssertionError");
  }
}
