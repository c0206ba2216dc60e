package io.batchaudit.cli;

import io.batchaudit.read.AuditLog;
import picocli.CommandLine.Option;

/** The {@code --source DATA} option of the commands that compare a log with its source data. */
final class SourceOption {
  @Option(
      names = "--source",
      paramLabel = "DATA",
      description = "Source data specification (default: the data the run recorded).")
  String source;

  /**
   * The labels of {@code --source} (or of the data {@code log}'s run recorded) and of the run's
   * validation data, if any. (With {@code --source}, file validation data takes its columns from
   * that training source.)
   */
  SourceLabels.Sources labels(AuditLog log) {
    return SourceLabels.forRun(log, source);
  }
}
