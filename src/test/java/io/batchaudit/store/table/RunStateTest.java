package io.batchaudit.store.table;

import static io.batchaudit.testing.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchaudit.testing.LogBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's end, recorded in its table: unfinished until then, finished after, once. */
class RunStateTest {
  private static final String RUN = LogBuilder.RUN_ID;
  @TempDir Path tmp;

  /** A one-epoch log in {@code <tmp>/out/audit}, the job's layout. */
  private LogBuilder log() {
    LogBuilder b = new LogBuilder(tmp.resolve("out/audit"), 1);
    b.task(0, 0, 0, 1, batch(RUN, 0, 0, 0, 0, 1, 1, 2, 3)).commit(0, 1);
    return b;
  }

  private static RunEnd end(String runId) {
    return new RunEnd(RunEnd.FORMAT_VERSION, runId, "2026-01-01T00:01:40Z", 98.5, 0.25, 1, 3);
  }

  private static List<String> metaFiles(Path audit) throws Exception {
    try (Stream<Path> files = Files.list(audit.resolve("_batch_audit"))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aRunIsUnfinishedUntilItsEndIsRecordedAndReadsItBackAfterReopening() throws Exception {
    LogBuilder b = log();
    AuditTable table = b.table();
    assertThat(table.state()).isEqualTo(new RunState.Unfinished());

    table.finish(end(RUN));

    RunState.Finished expected = new RunState.Finished(end(RUN), table.layout().runEnd());
    assertThat(table.state()).isEqualTo(expected);
    AuditTable reopened = AuditTable.open(table.layout().root(), new Configuration());
    assertThat(reopened.state()).isEqualTo(expected);
    assertThat(expected.recordedIn().toString())
        .isEqualTo("file:" + tmp.resolve("out/audit/_batch_audit/run-end.json"));
    assertThat(metaFiles(tmp.resolve("out/audit"))).containsExactly("run-end.json", "run.json");
  }

  @Test
  void aRunEndsOnceAndTheFirstEndStays() throws Exception {
    AuditTable table = log().table();
    table.finish(end(RUN));
    byte[] first = Files.readAllBytes(tmp.resolve("out/audit/_batch_audit/run-end.json"));

    RunEnd later = new RunEnd(RunEnd.FORMAT_VERSION, RUN, "2026-01-02T00:00:00Z", 1.0, 9.0, 1, 3);
    assertThatThrownBy(() -> table.finish(later))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Run run-test in file:"
                + tmp.resolve("out/audit")
                + " already ended at 2026-01-01T00:01:40Z (file:"
                + tmp.resolve("out/audit/_batch_audit/run-end.json")
                + "): a run ends once");
    assertThat(tmp.resolve("out/audit/_batch_audit/run-end.json")).hasBinaryContent(first);
    assertThat(metaFiles(tmp.resolve("out/audit"))).containsExactly("run-end.json", "run.json");
  }

  @Test
  void refusesTheEndOfAnotherRunAndRecordsNothing() throws Exception {
    AuditTable table = log().table();

    assertThatThrownBy(() -> table.finish(end("run-other")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Run end of run run-other given to the table of run run-test in file:"
                + tmp.resolve("out/audit")
                + ": record a run's end in its own table");
    assertThat(table.state()).isEqualTo(new RunState.Unfinished());
    assertThat(metaFiles(tmp.resolve("out/audit"))).containsExactly("run.json");
  }

  private record LegacySummary(
      String runId, int epochs, List<Long> rowsPerEpoch, double finalScore, double seconds) {}

  @Test
  void aLogWrittenBeforeRunEndsIsFinishedWhenTheSummaryBesideItNamesItsRun() throws Exception {
    AuditTable table = log().table();
    Path out = tmp.resolve("out");
    org.apache.hadoop.fs.Path summary =
        RunSummaryFile.write(
            new org.apache.hadoop.fs.Path(out.toString()),
            new Configuration(),
            new LegacySummary(RUN, 2, List.of(3L, 4L), 0.5, 12.25));
    assertThat(summary.toString()).isEqualTo("file:" + out.resolve("summary.json"));
    Files.setLastModifiedTime(
        out.resolve("summary.json"),
        java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2026-01-01T00:05:00Z")));

    RunState state = table.state();

    assertThat(state).isInstanceOf(RunState.Finished.class);
    RunState.Finished finished = (RunState.Finished) state;
    assertThat(finished.recordedIn().toString()).isEqualTo("file:" + out.resolve("summary.json"));
    RunEnd end = finished.end();
    assertThat(end.runId()).isEqualTo(RUN);
    assertThat(end.trainingSeconds()).isEqualTo(12.25);
    assertThat(end.finalScore()).isEqualTo(0.5);
    assertThat(end.epochs()).isEqualTo(2);
    assertThat(end.rows()).isEqualTo(7);
    assertThat(end.endedAt())
        .as("the summary's modification time")
        .isEqualTo("2026-01-01T00:05:00Z");
    assertThat(metaFiles(tmp.resolve("out/audit"))).containsExactly("run.json");
  }

  @Test
  void aSummaryOfAnotherRunDoesNotFinishThisOne() {
    AuditTable table = log().table();
    RunSummaryFile.write(
        new org.apache.hadoop.fs.Path(tmp.resolve("out").toString()),
        new Configuration(),
        new LegacySummary("run-other", 1, List.of(3L), 0.5, 12.25));

    assertThat(table.state()).isEqualTo(new RunState.Unfinished());
  }

  @Test
  void theSummaryIsWrittenOnceAndNeverOverwritten() throws Exception {
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(tmp.toString());
    RunSummaryFile.write(out, new Configuration(), new LegacySummary(RUN, 1, List.of(3L), 1, 2));
    String first = Files.readString(tmp.resolve("summary.json"));

    assertThatThrownBy(
            () ->
                RunSummaryFile.write(
                    out, new Configuration(), new LegacySummary("run-2", 1, List.of(), 1, 2)))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessage(
            "Cannot write file:"
                + tmp.resolve("summary.json")
                + ": Refusing to overwrite file:"
                + tmp.resolve("summary.json"));
    assertThat(tmp.resolve("summary.json")).hasContent(first);
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("summary.json");
    }
  }

  @Test
  void existsOnlyWhereARunFileIs() {
    Configuration conf = new Configuration();
    assertThat(AuditTable.exists(new org.apache.hadoop.fs.Path(tmp.toString()), conf)).isFalse();
    log();
    assertThat(
            AuditTable.exists(
                new org.apache.hadoop.fs.Path(tmp.resolve("out/audit").toString()), conf))
        .isTrue();
    assertThat(
            AuditTable.exists(new org.apache.hadoop.fs.Path(tmp.resolve("out").toString()), conf))
        .isFalse();
  }
}
