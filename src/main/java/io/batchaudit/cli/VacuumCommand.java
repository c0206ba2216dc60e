package io.batchaudit.cli;

import io.batchaudit.store.table.AuditTable;
import io.batchaudit.store.table.Vacuum;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code batch-audit vacuum}: removes old uncommitted leftovers; never committed data. */
@Command(
    name = "vacuum",
    mixinStandardHelpOptions = true,
    description = {
      "Removes uncommitted leftovers older than the retention period.",
      "Staged task files, markers, unfinished commits and compactions, retired generations.",
      "Committed epochs are never touched. Keep the retention above the longest epoch of any job",
      "still writing to this folder."
    })
final class VacuumCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin AuditDir auditDir;

  @Option(
      names = "--retention",
      paramLabel = "AGE",
      defaultValue = "24h",
      description =
          "Keep leftovers younger than this: 90s, 30m, 24h, 7d (default ${DEFAULT-VALUE}).")
  String retention;

  @Option(names = "--dry-run", description = "List what would be removed; remove nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    Duration keep = parseAge(retention);
    AuditTable table = AuditTable.open(new Path(auditDir.path), Hadoop.configuration());
    Vacuum.Report report = Vacuum.run(table, keep, Instant.now(), dryRun);
    PrintWriter out = spec.commandLine().getOut();
    String verb = dryRun ? "would remove" : "removed";
    report.settled().forEach(line -> out.println("settled " + line));
    report.keptCommitted().forEach(p -> out.println("kept (only copy of a committed epoch) " + p));
    report.removed().forEach(p -> out.println(verb + " " + p));
    report.keptYoung().forEach(p -> out.println("kept (younger than " + retention + ") " + p));
    out.printf(
        Locale.ROOT,
        "%s %d leftovers (%d bytes); kept %d younger than %s; committed epochs untouched%n",
        verb,
        report.removed().size(),
        report.bytes(),
        report.keptYoung().size(),
        retention);
    out.flush();
    return ExitCodes.OK;
  }

  static Duration parseAge(String text) {
    try {
      return io.batchaudit.internal.Units.duration(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid --retention '"
              + text
              + "': expected a whole number with s, m, h or d (for"
              + " example 24h)");
    }
  }
}
