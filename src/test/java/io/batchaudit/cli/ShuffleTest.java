package io.batchaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.batchaudit.read.AuditLog;
import io.batchaudit.store.Json;
import io.batchaudit.store.Phase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, section 3: sorted data gives each worker few classes, {@code coverage} shows the
 * classes per worker partition and flags strong skew, and {@code shuffle=true} (seeded by {@code
 * seed}) mixes them without changing sample ids or targets, reproducibly.
 */
class ShuffleTest {
  @TempDir static Path tmp;
  private static Path sorted;
  private static Path shuffled;

  /**
   * The demo job with DL4J's own splitting and source order (the keys' defaults, which the demo
   * overrides), the demo's former averaging frequency and DL4J's Direct approach (not the default,
   * Export), so that the figures below are those of Direct on sorted data; {@code settings}
   * override these.
   */
  private static Path train(String name, String... settings) {
    Path out = tmp.resolve(name);
    java.util.Map<String, String> keys = new java.util.LinkedHashMap<>();
    keys.put("master", "local[2]");
    keys.put("epochs", "2");
    keys.put("training.coverage", "dl4j");
    keys.put("shuffle", "false");
    keys.put("averaging-frequency", "2");
    keys.put("rdd-approach", "direct");
    for (String s : settings) {
      keys.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
    }
    List<String> args = new ArrayList<>(List.of("train", "--conf", "jobs/iris.conf"));
    args.addAll(List.of("--out", out.toString()));
    keys.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
    CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    return out;
  }

  @BeforeAll
  static void trainTheDemoInSourceOrderAndShuffled() {
    sorted = train("sorted");
    shuffled = train("shuffled", "shuffle=true");
  }

  private static JsonNode coverage(Path out) throws Exception {
    CliRunner.Result r = CliRunner.run("coverage", out.resolve("audit").toString(), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    return Json.mapper().readTree(r.out());
  }

  /** "epoch/partition: [counts per class]" of every partition of coverage's label mix. */
  private static List<String> mix(JsonNode coverage) {
    List<String> out = new ArrayList<>();
    coverage
        .get("labelMix")
        .forEach(
            m ->
                out.add(
                    m.get("epoch").asInt()
                        + "/"
                        + m.get("partition").asInt()
                        + ": "
                        + m.get("classCounts")));
    return out;
  }

  /** Every training batch as "key ids", in training order. */
  private static List<String> batches(Path out) {
    AuditLog log = AuditLog.open(out.resolve("audit").toString(), new Configuration());
    try (Stream<io.batchaudit.store.AuditBatch> b = log.batches()) {
      return b.filter(x -> x.key().phase() == Phase.TRAIN)
          .map(x -> x.key() + " " + Arrays.toString(x.sampleIds()))
          .toList();
    }
  }

  @Test
  void sourceOrderGivesAWorkerOneClassAndCoverageFlagsIt() throws Exception {
    JsonNode c = coverage(sorted);
    // Iris is sorted by class and DL4J hands each worker a contiguous part of every split
    assertThat(mix(c))
        .containsExactly("0/0: [50,14,0]", "0/1: [0,34,30]", "1/0: [50,14,0]", "1/1: [0,34,30]");
    c.get("labelMix").forEach(m -> assertThat(m.get("balance").asDouble()).isZero());
    List<String> warnings = new ArrayList<>();
    c.get("warnings").forEach(w -> warnings.add(w.asText()));
    assertThat(warnings.stream().filter(w -> w.contains("worker partition")))
        .containsExactly(
            skew(0, 0, "[50, 14, 0]", 2),
            skew(0, 1, "[0, 34, 30]", 0),
            skew(1, 0, "[50, 14, 0]", 2),
            skew(1, 1, "[0, 34, 30]", 0));
    CliRunner.Result text = CliRunner.run("coverage", sorted.resolve("audit").toString());
    assertThat(text.out())
        .contains(
            "classes per worker partition (balance: 1 the epoch's mix, 0 a class missing; strong"
                + " skew below 0.25)")
        .contains("    0         0       64    0.00  [50, 14, 0] strong skew")
        .contains("    1         1       64    0.00  [0, 34, 30] strong skew");
  }

  private static String skew(int epoch, int partition, String classes, int missing) {
    return "warning: training epoch "
        + epoch
        + ": worker partition "
        + partition
        + " trained classes "
        + classes
        + " of the epoch's [50, 48, 30] (class "
        + missing
        + " at 0.00 of its share; DL4J hands each worker a contiguous part of the data in source"
        + " order; shuffle=true shuffles the examples before DL4J splits them)";
  }

  @Test
  void shuffleMixesTheClassesOfEveryWorkerAndIdsAndTargetsStillVerify() throws Exception {
    JsonNode c = coverage(shuffled);
    assertThat(mix(c)).hasSize(4).isNotEqualTo(mix(coverage(sorted)));
    c.get("labelMix")
        .forEach(
            m -> {
              assertThat(m.get("balance").asDouble()).as(m.toString()).isGreaterThanOrEqualTo(0.25);
              m.get("classCounts")
                  .forEach(n -> assertThat(n.asLong()).as(m.toString()).isPositive());
            });
    for (JsonNode e : c.get("epochs")) {
      assertThat(e.get("trainedMoreThanOnce").asLong()).isZero();
      assertThat(e.get("outsideSource").asLong()).isZero();
    }
    List<String> warnings = new ArrayList<>();
    c.get("warnings").forEach(w -> warnings.add(w.asText()));
    assertThat(warnings).noneMatch(w -> w.contains("worker partition"));
    CliRunner.Result verify = CliRunner.run("verify", shuffled.resolve("audit").toString());
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out())
        .contains("OK: every batch present exactly once, keys consistent, all ")
        .contains("targets equal their source labels");
  }

  @Test
  void shuffleWithCoverageAllTrainsEveryExampleOnceWithMixedClasses() throws Exception {
    Path out = train("shuffled-all", "shuffle=true", "training.coverage=all");
    JsonNode c = coverage(out);
    for (JsonNode e : c.get("epochs")) {
      assertThat(e.get("trainedOnce").asLong()).isEqualTo(150);
      assertThat(e.get("neverTrained").asLong()).isZero();
    }
    c.get("labelMix")
        .forEach(m -> assertThat(m.get("balance").asDouble()).isGreaterThanOrEqualTo(0.25));
    assertThat(c.get("warnings").size()).isZero();
    CliRunner.Result verify = CliRunner.run("verify", out.resolve("audit").toString());
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
  }

  @Test
  void shuffleIsReproducibleForASeedAndDiffersForAnother() throws Exception {
    Path again = train("shuffled-again", "shuffle=true");
    assertThat(batches(again)).isEqualTo(batches(shuffled));
    JsonNode a = Json.mapper().readTree(shuffled.resolve("summary.json").toFile());
    JsonNode b = Json.mapper().readTree(again.resolve("summary.json").toFile());
    assertThat(b.get("finalScore").asDouble()).isEqualTo(a.get("finalScore").asDouble());
    Path otherSeed = train("shuffled-seed-7", "shuffle=true", "seed=7");
    assertThat(batches(otherSeed)).isNotEqualTo(batches(shuffled));
  }
}
