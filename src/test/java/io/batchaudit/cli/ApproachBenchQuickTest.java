package io.batchaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.batchaudit.store.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke test of {@code bench --suite approach --quick}: the suite runs end to end through the
 * command line and reports every variant. It proves nothing about speed (no ratio is compared with
 * anything but zero); it proves that the audited and plain runs of each approach trained the same
 * examples, and that Export trained a different count than Direct here (its splits count files).
 */
class ApproachBenchQuickTest {
  @TempDir Path tmp;

  @Test
  void approachSuiteReportsDirectAndExportWithAndWithoutAudit() throws Exception {
    CliRunner.Result r =
        CliRunner.run("bench", "--suite", "approach", "--quick", "--json", "--dir", tmp.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode o = Json.mapper().readTree(r.out()).get("approach");
    for (String v : List.of("direct", "direct+audit", "export", "export+audit")) {
      assertThat(o.get("medianSeconds").get(v).asDouble()).as(v).isPositive();
      assertThat(o.get("ratios").get(v).asDouble()).as(v).isPositive();
    }
    JsonNode examples = o.get("examplesPerRun");
    assertThat(examples.get("direct+audit").asLong()).isEqualTo(examples.get("direct").asLong());
    assertThat(examples.get("export+audit").asLong()).isEqualTo(examples.get("export").asLong());
    // 1000 rows, 2 workers x 32 x 5 = 320 a round: Direct trains 3 rounds of 320 an epoch; Export
    // splits 2 x 16 files (15 x 32 + 20) into 32 / 10 = 3 rounds of at most 10 files
    assertThat(examples.get("direct").asLong()).isEqualTo(2 * 960);
  }
}
