package io.batchaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.batchaudit.read.AuditLog;
import io.batchaudit.store.Json;
import io.batchaudit.store.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14, section 2: DL4J's splits leave examples untrained and the job says so up front; with
 * {@code training.coverage=all} every epoch trains every source example exactly once, as the log
 * (read directly and through {@code coverage}) shows, and the log still verifies.
 */
class TrainingCoverageTest {
  @TempDir Path tmp;

  private CliRunner.Result train(Path out, String... settings) {
    List<String> args = new ArrayList<>(List.of("train", "--out", out.toString()));
    args.addAll(List.of("--set", "master=local[2]", "--set", "epochs=2"));
    for (String s : settings) {
      if (s.startsWith("--conf=")) {
        args.addAll(List.of("--conf", s.substring("--conf=".length())));
      } else {
        args.addAll(List.of("--set", s));
      }
    }
    CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    return r;
  }

  /** The sorted sample ids of each committed training epoch, read from the log itself. */
  private static List<List<Long>> trainedIdsPerEpoch(Path out) {
    AuditLog log = AuditLog.open(out.resolve("audit").toString(), new Configuration());
    List<List<Long>> epochs = new ArrayList<>();
    for (int e : log.committedEpochs(Phase.TRAIN)) {
      try (Stream<io.batchaudit.store.AuditBatch> batches = log.batches(e)) {
        epochs.add(
            batches
                .filter(b -> b.key().phase() == Phase.TRAIN)
                .flatMap(b -> Arrays.stream(b.sampleIds()).boxed())
                .sorted()
                .toList());
      }
    }
    return epochs;
  }

  /** coverage --json: every epoch trained each of {@code examples} source examples once. */
  private static void assertCoverageIsEveryExampleOnce(Path out, long examples) throws Exception {
    CliRunner.Result r = CliRunner.run("coverage", out.resolve("audit").toString(), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode json = Json.mapper().readTree(r.out());
    assertThat(json.get("epochs").size()).isEqualTo(2);
    for (JsonNode c : json.get("epochs")) {
      assertThat(c.get("sourceExamples").asLong()).isEqualTo(examples);
      assertThat(c.get("trainedOnce").asLong()).isEqualTo(examples);
      assertThat(c.get("neverTrained").asLong()).isZero();
      assertThat(c.get("trainedMoreThanOnce").asLong()).isZero();
      assertThat(c.get("outsideSource").asLong()).isZero();
    }
    // (a classification log may still warn of skewed worker partitions: ShuffleTest)
    json.get("warnings").forEach(w -> assertThat(w.asText()).doesNotContain("never trained"));
    CliRunner.Result verify = CliRunner.run("verify", out.resolve("audit").toString());
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out())
        .contains("OK: every batch present exactly once")
        .doesNotContain("warning");
  }

  @Test
  void coverageAllTrainsEveryIrisExampleOncePerEpochInTwoRoundsOnTheDemo() throws Exception {
    Path out = tmp.resolve("iris-all");
    // the demo sets training.coverage=all itself; set here too so that the test says what it proves
    CliRunner.Result r = train(out, "--conf=jobs/iris.conf", "training.coverage=all");
    List<String> lines = r.out().lines().toList();
    assertThat(lines).noneMatch(l -> l.startsWith("warning"));
    assertThat(lines)
        .filteredOn(l -> l.startsWith("epoch 2/2 committed"))
        .singleElement()
        .asString()
        .startsWith(
            "epoch 2/2 committed: 2 rounds, 150 audit rows (150 of 150 examples trained, 0 never"
                + " trained), ");
    List<Long> all = java.util.stream.LongStream.range(0, 150).boxed().toList();
    assertThat(trainedIdsPerEpoch(out)).containsExactly(all, all);
    assertCoverageIsEveryExampleOnce(out, 150);
    JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("examplesPerEpoch").toString()).isEqualTo("[150,150]");
    assertThat(summary.get("untrainedPerEpoch").toString()).isEqualTo("[0,0]");
    // the demo's approach is the default, Export: 2 partitions of 75 make 20 files of at most 8,
    // in ceil(20 / (2 workers x 5 files)) = 2 rounds (Direct: ceil(150 / (2 x 8 x 5)), also 2)
    assertThat(summary.get("roundsPerEpoch").toString()).isEqualTo("[2,2]");
  }

  @Test
  void coverageAllWithTheDirectApproachTrainsEveryExampleOfASizeThatIsAMultipleOfNothing()
      throws Exception {
    // Direct splits the examples (the Export case is the last test of this class)
    Path out = tmp.resolve("synthetic-all");
    String[] settings = {
      "data=synthetic:rows=1013,features=4,classes=3",
      "workers=3",
      "batch-size=7",
      "averaging-frequency=3",
      "rdd-approach=direct",
      "training.coverage=all"
    };
    CliRunner.Result r = train(out, settings);
    assertThat(r.out().lines()).noneMatch(l -> l.startsWith("warning"));
    List<Long> all = java.util.stream.LongStream.range(0, 1013).boxed().toList();
    assertThat(trainedIdsPerEpoch(out)).containsExactly(all, all);
    assertCoverageIsEveryExampleOnce(out, 1013);
    JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("roundsPerEpoch").toString()).isEqualTo("[17,17]"); // ceil(1013 / 63)
  }

  /**
   * Both approaches announce the same bound here: Direct splits the 1,013 examples into 1013 / 63 =
   * 16 rounds; Export's 3 partitions of 337 or 338 examples make 147 files of at most 7, in 147 /
   * (3 workers x 3 files) = 16 rounds. Either trains at most 16 x 63 = 1,008.
   */
  @ParameterizedTest(name = "rdd-approach={0}")
  @ValueSource(strings = {"export", "direct"})
  void dl4jSplittingOfTheSameDataIsAnnouncedAndReportedAsAWarningNotAProblem(String approach)
      throws Exception {
    Path out = tmp.resolve("synthetic-dl4j");
    CliRunner.Result r =
        train(
            out,
            "data=synthetic:rows=1013,features=4,classes=3",
            "workers=3",
            "batch-size=7",
            "averaging-frequency=3",
            "rdd-approach=" + approach);
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(1))
        .isEqualTo(
            "warning: DL4J will train at most 1008 of the 1013 examples per epoch (16 rounds x 3"
                + " workers x 3 batches x 7 examples): at least 5 examples (0.5 %) are left"
                + " untrained every epoch. To train every example every epoch: set"
                + " training.coverage=all, or averaging-frequency=49 (one round per epoch)");
    List<List<Long>> trained = trainedIdsPerEpoch(out);
    JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
    for (int e = 0; e < 2; e++) {
      long n = trained.get(e).size();
      assertThat(n).isLessThanOrEqualTo(1008);
      assertThat(summary.get("examplesPerEpoch").get(e).asLong()).isEqualTo(n);
      assertThat(summary.get("untrainedPerEpoch").get(e).asLong()).isEqualTo(1013 - n);
      int epoch = e;
      assertThat(lines)
          .filteredOn(l -> l.startsWith("epoch " + (epoch + 1) + "/2 committed"))
          .singleElement()
          .asString()
          .contains("(" + n + " of 1013 examples trained, " + (1013 - n) + " never trained)");
    }
    CliRunner.Result verify = CliRunner.run("verify", out.resolve("audit").toString());
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out().lines().filter(l -> l.startsWith("warning")).toList())
        .containsExactly(
            warning(0, 1013 - trained.get(0).size(), 1013),
            warning(1, 1013 - trained.get(1).size(), 1013));
    CliRunner.Result coverage = CliRunner.run("coverage", out.resolve("audit").toString());
    assertThat(coverage.code()).isZero();
    assertThat(coverage.out().lines().filter(l -> l.startsWith("warning")).toList())
        .containsExactly(
            warning(0, 1013 - trained.get(0).size(), 1013),
            warning(1, 1013 - trained.get(1).size(), 1013));
    // coverage counts exactly the examples the log does not hold, and names the smallest 20
    CliRunner.Result json = CliRunner.run("coverage", out.resolve("audit").toString(), "--json");
    assertThat(json.code()).isZero();
    JsonNode epochs = Json.mapper().readTree(json.out()).get("epochs");
    for (int e = 0; e < 2; e++) {
      java.util.Set<Long> ids = new java.util.HashSet<>(trained.get(e));
      List<Long> never =
          java.util.stream.LongStream.range(0, 1013)
              .filter(id -> !ids.contains(id))
              .boxed()
              .toList();
      JsonNode c = epochs.get(e);
      assertThat(c.get("trainedOnce").asLong()).isEqualTo(trained.get(e).size());
      assertThat(c.get("neverTrained").asLong()).isEqualTo(never.size()).isPositive();
      assertThat(c.get("trainedMoreThanOnce").asLong()).isZero();
      List<Long> sample = new ArrayList<>();
      c.get("neverTrainedSample").forEach(n -> sample.add(n.asLong()));
      assertThat(sample).containsExactlyElementsOf(never.subList(0, Math.min(20, never.size())));
      assertThat(coverage.out())
          .contains(
              String.format(
                  "%5d %14d %12d %13d %19d", e, 1013, trained.get(e).size(), never.size(), 0));
    }
  }

  private static String warning(int epoch, long untrained, long examples) {
    return "warning: training epoch "
        + epoch
        + " never trained "
        + untrained
        + " of the "
        + examples
        + " source examples (DL4J's parameter averaging trains at most workers x batch-size x"
        + " averaging-frequency examples per round; training.coverage=all trains every example"
        + " every epoch)";
  }

  @Test
  void coverageAllTrainsEveryRowOfTheCsvJobOncePerEpoch() throws Exception {
    Path out = tmp.resolve("csv-all");
    train(out, "--conf=jobs/csv-classification.conf", "training.coverage=all");
    List<String> rows = Files.readAllLines(Path.of("jobs/data/blobs-train.csv"));
    int idColumn = Arrays.asList(rows.get(0).split(",")).indexOf("id");
    List<Long> ids =
        rows.stream().skip(1).map(l -> Long.parseLong(l.split(",")[idColumn])).sorted().toList();
    assertThat(trainedIdsPerEpoch(out)).containsExactly(ids, ids);
    assertCoverageIsEveryExampleOnce(out, ids.size());
  }

  @Test
  void coverageAllWithTheExportApproachTrainsEveryExampleOncePerEpoch() throws Exception {
    // Export splits the exported files: 3 partitions of 337 or 338 rows make 49 files of at most
    // 7 each, 147 files; splits of at most 3 workers x 3 files: ceil(147 / 9) = 17 rounds
    Path out = tmp.resolve("export-all");
    CliRunner.Result r =
        train(
            out,
            "data=synthetic:rows=1013,features=4,classes=3",
            "workers=3",
            "batch-size=7",
            "averaging-frequency=3",
            "rdd-approach=export",
            "training.coverage=all");
    assertThat(r.out().lines()).noneMatch(l -> l.startsWith("warning"));
    List<Long> all = java.util.stream.LongStream.range(0, 1013).boxed().toList();
    assertThat(trainedIdsPerEpoch(out)).containsExactly(all, all);
    assertCoverageIsEveryExampleOnce(out, 1013);
    JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("roundsPerEpoch").toString()).isEqualTo("[17,17]");
    assertThat(out.resolve("export")).doesNotExist();
  }
}
