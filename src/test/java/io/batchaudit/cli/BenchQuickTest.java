package io.batchaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.batchaudit.store.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark still runs end to end (no timing is asserted: figures belong in README). */
class BenchQuickTest {
  @TempDir Path tmp;

  @Test
  void scaleSuiteMeasuresEveryLogCommittedAndCompacted() throws Exception {
    CliRunner.Result r = CliRunner.run("bench", "--suite", "scale", "--quick", "--json", "--dir", tmp.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode rows = Json.mapper().readTree(r.out()).get("scale");
    assertThat(rows.size()).isEqualTo(6);
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      assertThat(row.get("layout").asText()).isEqualTo(i % 2 == 0 ? "committed" : "compacted");
      assertThat(row.get("rows").asLong()).isEqualTo(20_000);
      assertThat(row.get("readSeconds").asDouble()).isPositive();
      assertThat(row.get("peakHeapBytes").asLong()).isPositive();
    }
    assertThat(rows.get(1).get("files").asInt()).isEqualTo(2); // one compacted file per epoch
    assertThat(rows.get(5).get("roundsPerEpoch").asInt()).isEqualTo(50);
  }
}
