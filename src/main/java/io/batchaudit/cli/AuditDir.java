package io.batchaudit.cli;

import io.batchaudit.read.AuditLog;
import picocli.CommandLine.Parameters;

/** The {@code AUDIT_DIR} argument shared by the commands that read a log. */
final class AuditDir {
  @Parameters(
      index = "0",
      paramLabel = "AUDIT_DIR",
      description = "The audit folder (<out>/audit).")
  String path;

  AuditLog open() {
    return AuditLog.open(path, Hadoop.configuration());
  }
}
