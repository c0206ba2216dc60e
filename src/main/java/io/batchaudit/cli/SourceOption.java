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

  /** The labels of {@code --source}, or of the data {@code log}'s run recorded. */
  SourceLabels labels(AuditLog log) {
    return SourceLabels.forRun(log, source);
  }

  /** The labels of the run's validation data, or {@code null} when the run had none. */
  SourceLabels validationLabels(AuditLog log) {
    String spec = log.run().validationSource();
    return spec == null ? null : SourceLabels.of(spec);
  }
}
