package io.batchaudit.cli;

import io.batchaudit.read.AuditLog;
import io.batchaudit.read.LabelSource;
import picocli.CommandLine.Option;

/** The {@code --source DATA} option of the commands that compare a log with its source data. */
final class SourceOption {
  @Option(
      names = "--source",
      paramLabel = "DATA",
      description = "Source data specification (default: the data the run recorded).")
  String source;

  /** The labels of {@code --source}, or of the data {@code log}'s run recorded. */
  LabelSource labels(AuditLog log) {
    return SourceLabels.train(log, source);
  }

  /**
   * The labels of the run's validation data, or {@code null} when the run had none. (With {@code
   * --source}, file validation data takes its columns from that training source.)
   */
  LabelSource validationLabels(AuditLog log) {
    return SourceLabels.validation(log, source);
  }
}
