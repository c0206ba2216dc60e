package io.batchaudit.cli;

import io.batchaudit.dynamics.DataMapRegion;
import io.batchaudit.dynamics.DynamicsJob;
import io.batchaudit.dynamics.DynamicsOptions;
import io.batchaudit.dynamics.DynamicsOutput;
import io.batchaudit.dynamics.DynamicsSummary;
import io.batchaudit.dynamics.DynamicsTask;
import io.batchaudit.read.AuditLog;
import io.batchaudit.read.LabelSource;
import io.batchaudit.store.Json;
import io.batchaudit.store.Phase;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code batch-audit dynamics}: per-example training dynamics of a committed log as a Parquet table
 * (package {@code dynamics}), and a summary. Spark is embedded ({@code local[2]}, or {@code
 * spark.master}) unless the JVM already has a session (spark-submit, tests).
 */
@Command(
    name = "dynamics",
    mixinStandardHelpOptions = true,
    description = {
      "Per sample id statistics over all presentations in training order (confidence,",
      "variability, correctness, forgetting events, AUM, EL2N, Data Map region, mislabel rank;",
      "regression: squared error mean, spread, trend, outlier rank), written as a Parquet table",
      "(one row per sample id) to --out, computed by Spark over exactly the committed files."
    })
final class DynamicsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin AuditDir auditDir;

  @Mixin SourceOption source;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Folder of the table (default: <audit>/../dynamics). Replaced only when empty or an"
              + " earlier dynamics output (it holds _dynamics.json).")
  String out;

  @Option(
      names = "--phase",
      paramLabel = "PHASE",
      defaultValue = "train",
      description = "train (default) or validation.")
  String phase;

  @Option(
      names = "--el2n-epoch",
      paramLabel = "E",
      description = "Epoch whose presentations give EL2N (default: the first committed, 0).")
  Integer el2nEpoch;

  @Option(
      names = "--top",
      paramLabel = "N",
      defaultValue = "20",
      description = "Ranked examples the summary lists (default ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--json", description = "Print the summary as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    Phase p;
    try {
      p = Phase.fromLabel(phase);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid --phase '" + phase + "': expected train or validation", e);
    }
    if (top < 1) {
      throw new IllegalArgumentException("Invalid --top " + top + ": expected at least 1");
    }
    if (el2nEpoch != null && el2nEpoch < 0) {
      throw new IllegalArgumentException(
          "Invalid --el2n-epoch " + el2nEpoch + ": expected a committed epoch (0 or more)");
    }
    AuditLog log = auditDir.open();
    Configuration conf = Hadoop.configuration();
    Path outPath = out == null ? DynamicsOutput.defaultFor(log.location()) : new Path(out);
    DynamicsOutput.checkReplaceable(outPath, log.location(), conf); // before any work
    PrintWriter err = spec.commandLine().getErr();
    // before this command's Spark: file inputs are read by an embedded Spark of their own
    LabelSource labels = labels(log, p, err);
    try (EmbeddedSpark spark = EmbeddedSpark.start("batch-audit dynamics")) {
      DynamicsSummary summary =
          DynamicsJob.run(
              spark.session(), log, new DynamicsOptions(p, el2nEpoch), labels, outPath, top, conf);
      PrintWriter o = spec.commandLine().getOut();
      if (json) {
        o.println(Json.compact(summary));
      } else {
        print(o, summary);
      }
      o.flush();
      return ExitCodes.OK;
    }
  }

  /**
   * The labels of {@code --source} or of the run's recorded data for the phase; without {@code
   * --source}, a recorded source that no longer loads is a warning and the table has no {@code
   * source_row}.
   */
  private LabelSource labels(AuditLog log, Phase p, PrintWriter err) {
    SourceLabels.Sources sources;
    if (source.source != null) {
      sources = source.labels(log); // a bad --source is bad input
    } else {
      try {
        sources = source.labels(log);
      } catch (RuntimeException e) {
        err.println(
            "warning: the run's source data does not load ("
                + e.getMessage()
                + "); source_row is left empty (give --source DATA)");
        return null;
      }
    }
    return p == Phase.TRAIN ? sources.train() : sources.validation();
  }

  private static void print(PrintWriter o, DynamicsSummary s) {
    o.printf(
        "dynamics of %s (%s phase, epochs %s, %s): %d examples, %d presented, %d presentations"
            + " -> %s%n",
        s.audit(),
        s.phase(),
        s.epochs(),
        s.task().label(),
        s.examples(),
        s.presented(),
        s.presentations(),
        s.out());
    if (s.examples() > s.presented()) {
      o.printf(
          "%d examples of the source were never presented (presentations 0, no statistics)%n",
          s.examples() - s.presented());
    }
    boolean classification = s.task() == DynamicsTask.CLASSIFICATION;
    if (classification) {
      o.printf(
          Locale.ROOT,
          "data map regions (ambiguous: variability >= %.2f; else easy-to-learn: confidence >="
              + " %.2f; else hard-to-learn): %s%n",
          DataMapRegion.AMBIGUOUS_VARIABILITY,
          DataMapRegion.EASY_CONFIDENCE,
          join(s.regions()));
      o.printf("forgetting events (events: examples): %s%n", join(s.forgettingHistogram()));
      o.printf(
          "never learned: %d; likely mislabeled (AUM < 0): %d; EL2N at epoch %d%n",
          s.neverLearned(), s.likelyMislabeled(), s.el2nEpoch());
      o.printf(
          "most likely mislabeled (lowest AUM first; source_row: row in %s):%n",
          s.source() == null ? "(source not loaded)" : s.source());
    } else {
      o.printf(
          "largest mean squared error first (source_row: row in %s):%n",
          s.source() == null ? "(source not loaded)" : s.source());
    }
    List<String> columns =
        classification ? DynamicsSummary.CLASSIFICATION_TOP : DynamicsSummary.REGRESSION_TOP;
    o.println(String.join("  ", columns));
    for (Map<String, Object> row : s.top()) {
      o.println(columns.stream().map(c -> format(row.get(c))).collect(Collectors.joining("  ")));
    }
  }

  private static String format(Object v) {
    if (v instanceof Double d) {
      return String.format(Locale.ROOT, "%.4f", d);
    }
    return String.valueOf(v);
  }

  private static String join(Map<?, Long> m) {
    return m.entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
