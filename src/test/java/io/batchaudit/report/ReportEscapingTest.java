package io.batchaudit.report;

import static io.batchaudit.testing.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.read.AuditLog;
import io.batchaudit.read.Coverage;
import io.batchaudit.read.VerificationReport;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.Phase;
import io.batchaudit.store.table.RunEnd;
import io.batchaudit.testing.LogBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every text a user controls reaches the page escaped: the run id, the data source, the start time,
 * file paths (audit folder, the run end, problem messages), configuration keys and values, optional
 * column names (activation layer names), what the targets were checked against, coverage basis and
 * loss kind. (The page names classes by index only, "0", "1", ...: no class name reaches it.)
 */
class ReportEscapingTest {
  private static final String HOSTILE = "<script>alert(\"x&y\")</script>";
  private static final String ESCAPED = "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;";

  @TempDir Path tmp;

  private static ReportData.EpochStats epoch(int e) {
    return new ReportData.EpochStats(
        e, 4, 1, 0.5, 0.4, 4, 3, 0.75, Double.NaN, new long[][] {{2, 0}, {1, 1}});
  }

  /** A classification report with {@link #HOSTILE} in every text that comes from the user. */
  private static ReportData hostile() {
    VerificationReport v =
        new VerificationReport(
            false,
            1,
            1,
            4,
            List.of("epoch 1 (train) was never committed: " + HOSTILE),
            List.of(),
            List.of(),
            0,
            List.of(),
            List.of(),
            List.of("file file:/runs/" + HOSTILE + "/part.parquet is missing"),
            List.of(),
            Map.of("incompleteEpochs", 1L, "fileProblems", 1L),
            false,
            List.of());
    return new ReportData(
        new ReportData.RunFacts(
            "file:/runs/" + HOSTILE + "/audit",
            "run-" + HOSTILE,
            "2026-01-01T00:00:00Z" + HOSTILE,
            "csv:" + HOSTILE,
            2,
            2,
            8,
            2,
            List.of("loss", "activation_" + HOSTILE),
            Map.of("key." + HOSTILE, "value " + HOSTILE),
            List.of(0),
            List.of(),
            4,
            1,
            1.5,
            "training loop, from file:/runs/" + HOSTILE + "/audit/_batch_audit/end"),
        new ReportData.Verification(v, "not compared with the source data: " + HOSTILE),
        ReportData.Task.CLASSIFICATION,
        2,
        0,
        List.of(new ReportData.Line("partition 0", List.of(new ReportData.Point(0, 0.5)))),
        new ReportData.Line("averaged", List.of(new ReportData.Point(1, 0.4))),
        1,
        List.of(epoch(0)),
        List.of(),
        List.of(new ReportData.PartitionStats(0, 0, 4, 0.5, 0.75, Double.NaN)),
        new ReportData.ErrorHistograms(-1, 0.1, List.of()),
        List.of(),
        new ReportData.CoverageFacts(
            "source " + HOSTILE + ": 4 source examples",
            List.of(new Coverage.EpochCoverage(0, 4, 4, 0, 0, 0, List.of()))),
        new ReportData.TopExamples(
            0,
            "loss column " + HOSTILE,
            List.of(
                new ReportData.Example(
                    3,
                    new BatchKey(0, Phase.TRAIN, 0, 0, 0),
                    1.25,
                    new float[] {1, 0},
                    new float[] {0.5f, 0.5f}))));
  }

  @Test
  void everyUserTextOnThePageIsEscaped() {
    String html = ReportWriter.html(hostile());

    assertThat(html).doesNotContain("<script").doesNotContain("\"x&y\"");
    assertThat(html)
        .contains("<title>batch-audit report: run run-" + ESCAPED + "</title>")
        .contains("<h1>Training audit: run run-" + ESCAPED + "</h1>")
        .contains("<p>csv:" + ESCAPED + " \u00b7 file:/runs/" + ESCAPED + "/audit</p>")
        .contains("<tr><th>run id</th><td>run-" + ESCAPED + "</td></tr>")
        .contains("<tr><th>audit folder</th><td>file:/runs/" + ESCAPED + "/audit</td></tr>")
        .contains("<tr><th>data source</th><td>csv:" + ESCAPED + "</td></tr>")
        .contains("<tr><th>started</th><td>2026-01-01T00:00:00Z" + ESCAPED + "</td></tr>")
        .contains(
            "<tr><th>duration</th><td>1.5 s (training loop, from file:/runs/"
                + ESCAPED
                + "/audit/_batch_audit/end)</td></tr>")
        .contains("<tr><th>optional columns</th><td>loss, activation_" + ESCAPED + "</td></tr>")
        .contains("<tr><th>key." + ESCAPED + "</th><td>value " + ESCAPED + "</td></tr>")
        .contains(" Targets: not compared with the source data: " + ESCAPED + ".</p>")
        .contains("<li>epoch 1 (train) was never committed: " + ESCAPED + "</li>")
        .contains("<li>file file:/runs/" + ESCAPED + "/part.parquet is missing</li>")
        .contains("(source " + ESCAPED + ": 4 source examples)")
        .contains("Loss: loss column " + ESCAPED + ".</p>");
  }

  @Test
  void aLogInAFolderWhoseNameHoldsMarkupShowsItsPathsEscaped() {
    Path audit = tmp.resolve("a" + HOSTILE + "b").resolve("audit");
    LogBuilder b = new LogBuilder(audit, 1);
    b.task(0, 0, 0, 1, batch(LogBuilder.RUN_ID, 0, 0, 0, 0, 1, 0, 1, 2)).commit(0, 1);
    b.table()
        .finish(
            new RunEnd(
                RunEnd.FORMAT_VERSION, LogBuilder.RUN_ID, "2026-01-01T00:01:00Z", 2.5, 0.5, 1, 3));
    AuditLog log = AuditLog.open(b.location(), new Configuration());

    String html = ReportWriter.html(ReportCollector.collect(log, null, "no source: " + HOSTILE));

    String folder = "file:" + tmp.resolve("a" + ESCAPED + "b").resolve("audit");
    assertThat(html).doesNotContain("<script").doesNotContain("\"x&y\"");
    assertThat(html)
        .contains("<tr><th>audit folder</th><td>" + folder + "</td></tr>")
        .contains("<p>iris \u00b7 " + folder + "</p>")
        .contains(
            "<tr><th>duration</th><td>2.5 s (training loop, from "
                + folder
                + "/_batch_audit/run-end.json)</td></tr>")
        .contains(" Targets: not compared with the source data: no source: " + ESCAPED);
  }
}
