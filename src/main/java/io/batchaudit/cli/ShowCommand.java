package io.batchaudit.cli;

import io.batchaudit.read.AuditLog;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.FloatMatrix;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code batch-audit show}: prints committed batches in training order. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the committed batches in training order, with their keys and arrays.",
      "Order: epoch, phase, round, batch, partition. Arrays: sample ids, targets, predictions and",
      "whatever opt-in columns the log records."
    })
final class ShowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin AuditDir auditDir;

  @Option(names = "--epoch", paramLabel = "E", description = "Only this epoch (0-based).")
  Integer epoch;

  @Option(names = "--limit", paramLabel = "N", description = "At most N batches.")
  Integer limit;

  @Override
  public Integer call() {
    if (limit != null && limit < 0) {
      throw new IllegalArgumentException("Invalid --limit " + limit + ": expected a number >= 0");
    }
    AuditLog log = auditDir.open();
    PrintWriter out = spec.commandLine().getOut();
    long shown = 0;
    try (Stream<AuditBatch> batches = epoch == null ? log.batches() : log.batches(epoch)) {
      Iterator<AuditBatch> it = batches.iterator();
      while (it.hasNext() && (limit == null || shown < limit)) {
        print(out, it.next());
        shown++;
      }
    }
    if (shown == 0) {
      out.println(
          "no committed batches"
              + (epoch == null ? "" : " in epoch " + epoch)
              + " in "
              + log.location()
              + " (committed epochs: "
              + log.commits().stream().map(c -> c.phase().label() + " " + c.epoch()).toList()
              + ")");
    }
    out.flush();
    return ExitCodes.OK;
  }

  static void print(PrintWriter out, AuditBatch b) {
    out.printf(
        Locale.ROOT,
        "batch %s step %d attempt %d rows %d score %s%n",
        b.key(),
        b.step(),
        b.attempt(),
        b.size(),
        b.batchScore());
    out.println("  sample_id:  " + java.util.Arrays.toString(b.sampleIds()));
    out.println("  target:     " + format(b.targets()));
    out.println("  prediction: " + format(b.predictions()));
    if (b.features() != null) {
      out.println("  features:   " + format(b.features()));
    }
    if (b.labelMask() != null) {
      out.println("  label_mask: " + format(b.labelMask()));
    }
    if (b.loss() != null) {
      out.println("  loss:       " + java.util.Arrays.toString(b.loss()));
    }
    b.activations().forEach((k, v) -> out.println("  activation_" + k + ": " + format(v)));
  }

  /** A matrix as a list of row arrays, {@code [[a, b], [c, d]]}. */
  static String format(FloatMatrix m) {
    StringBuilder s = new StringBuilder("[");
    for (int r = 0; r < m.rows(); r++) {
      if (r > 0) {
        s.append(", ");
      }
      s.append('[');
      for (int c = 0; c < m.cols(); c++) {
        if (c > 0) {
          s.append(", ");
        }
        s.append(m.get(r, c));
      }
      s.append(']');
    }
    return s.append(']').toString();
  }
}
