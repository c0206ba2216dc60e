package io.batchaudit.cli;

import io.batchaudit.internal.Units;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.table.AuditTable;
import io.batchaudit.store.table.Compactor;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code batch-audit compact}: compacts committed epochs that are not compacted yet. */
@Command(
    name = "compact",
    mixinStandardHelpOptions = true,
    description = {
      "Compacts committed epochs into a few large files in training order.",
      "Training does this after every epoch unless audit.compaction=false; this command catches",
      "up on logs written without it."
    })
final class CompactCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin AuditDir auditDir;

  @Option(names = "--epoch", paramLabel = "E", description = "Only this epoch.")
  Integer epoch;

  @Option(
      names = "--file-size",
      paramLabel = "SIZE",
      defaultValue = "128m",
      description = "Target size of a compacted file (default ${DEFAULT-VALUE}).")
  String fileSize;

  @Option(
      names = "--grace",
      paramLabel = "AGE",
      defaultValue = "10m",
      description =
          "Keep replaced generations this long for readers that listed them (default ${DEFAULT-VALUE}).")
  String grace;

  @Override
  public Integer call() {
    long bytes;
    java.time.Duration keep;
    try {
      bytes = Units.bytes(fileSize);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid --file-size: " + e.getMessage(), e);
    }
    try {
      keep = Units.duration(grace);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid --grace: " + e.getMessage(), e);
    }
    Configuration conf = Hadoop.configuration();
    AuditTable table = AuditTable.open(new Path(auditDir.path), conf);
    PrintWriter out = spec.commandLine().getOut();
    int done = 0;
    for (EpochCommit c : table.commits()) {
      if (epoch != null && c.epoch() != epoch) {
        continue;
      }
      Compactor.Result r = Compactor.compact(table, conf, c.phase(), c.epoch(), bytes, keep);
      if (r.compacted()) {
        done++;
        out.printf(
            "%s epoch %d: %d files -> %d (generation %d)%n",
            c.phase().label(),
            c.epoch(),
            r.before().files().size(),
            r.after().files().size(),
            r.after().generation());
      } else {
        out.printf(
            "%s epoch %d: already compacted (generation %d)%n",
            c.phase().label(), c.epoch(), c.generation());
      }
    }
    out.printf("compacted %d epochs%n", done);
    out.flush();
    return ExitCodes.OK;
  }
}
