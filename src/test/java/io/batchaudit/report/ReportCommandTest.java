package io.batchaudit.report;

import static io.batchaudit.testing.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.cli.CliRunner;
import io.batchaudit.testing.LogBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code batch-audit report} in-process: exit codes, messages and the file it writes. */
class ReportCommandTest {
  private static final String RUN = LogBuilder.RUN_ID;
  @TempDir Path tmp;

  private String log() {
    LogBuilder b = new LogBuilder(tmp.resolve("audit"), 1);
    b.task(0, 0, 0, 1, batch(RUN, 0, 0, 0, 0, 1, 0, 1, 2), batch(RUN, 0, 0, 1, 0, 1, 3, 4))
        .task(0, 0, 1, 2, batch(RUN, 0, 0, 0, 1, 2, 5, 6, 7))
        .commit(0, 1);
    return b.location();
  }

  @Test
  void refusesAMissingAuditFolderWithExitCode2() {
    Path missing = tmp.resolve("nothing-here");
    CliRunner.Result r =
        CliRunner.run("report", missing.toString(), "--out", tmp.resolve("r.html").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Audit folder file:" + missing + " does not exist");
    assertThat(tmp.resolve("r.html")).doesNotExist();
  }

  @Test
  void refusesAnExistingReportFileUnlessOverwrite() throws Exception {
    String audit = log();
    Path html = tmp.resolve("report.html");
    Files.writeString(html, "keep me");

    CliRunner.Result refused = CliRunner.run("report", audit, "--out", html.toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err())
        .contains("Report file " + html + " already exists: pass --overwrite to replace it");
    assertThat(html).hasContent("keep me");

    CliRunner.Result done = CliRunner.run("report", audit, "--out", html.toString(), "--overwrite");
    assertThat(done.code()).as(done.err()).isZero();
    assertThat(done.out()).startsWith("report of run run-test (8 rows, verification ");
    String page = Files.readString(html);
    assertThat(page).startsWith("<!DOCTYPE html>").contains("Training audit: run run-test");
    assertThat(page).contains("<svg class=\"chart\"");
    assertThat(tmp).isDirectoryNotContaining("glob:**.tmp");
  }

  @Test
  void requiresTheOutputFile() {
    CliRunner.Result r = CliRunner.run("report", log());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option: '--out=FILE'");
  }

  @Test
  void topLevelHelpNamesTheReportCommand() {
    CliRunner.Result r = CliRunner.run();
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Missing command: train, show, verify, coverage, report,");
  }
}
