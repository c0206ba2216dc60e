package io.batchaudit.cli;

import io.batchaudit.dynamics.DynamicsJob;
import io.batchaudit.dynamics.DynamicsOptions;
import io.batchaudit.read.AuditLog;
import io.batchaudit.read.LabelSource;
import io.batchaudit.report.ReportCollector;
import io.batchaudit.report.ReportData;
import io.batchaudit.report.ReportWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code batch-audit report}: one self-contained HTML page about a run and its log. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Writes one self-contained HTML report of a run and its audit log (opens offline).",
      "The run and its verification, loss per step and per epoch, accuracy and confusion matrices",
      "or predicted against target and error histograms, coverage, the highest-loss examples,",
      "and for classification the training dynamics (computed by an embedded Spark).",
      "Streams the log: memory does not grow with its rows."
    })
final class ReportCommand implements Callable<Integer> {
  /** Ranked examples the page lists. */
  static final int TOP_MISLABELED = 20;

  /** Examples the Data Map draws as dots; more are drawn as a density grid. */
  static final int MAX_MAP_POINTS = 3000;

  @Spec CommandSpec spec;

  @Mixin AuditDir auditDir;

  @Mixin SourceOption source;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      required = true,
      description = "The HTML file to write, for example report.html.")
  Path out;

  @Option(names = "--overwrite", description = "Replace --out if it exists.")
  boolean overwrite;

  @Option(
      names = "--no-dynamics",
      description =
          "Leave out the training dynamics (Data Map, forgetting events, likely mislabeled), which"
              + " start an embedded Spark.")
  boolean noDynamics;

  @Override
  public Integer call() {
    if (Files.exists(out) && !overwrite) {
      throw new IllegalArgumentException(
          "Report file "
              + out.toAbsolutePath()
              + " already exists: pass --overwrite to replace it");
    }
    long start = System.nanoTime();
    AuditLog log = auditDir.open();
    LabelSource labels = null;
    LabelSource validation = null;
    String whyNot = null;
    if (source.source != null) {
      SourceLabels.Sources sources = source.labels(log); // an explicit --source must load
      labels = sources.train();
      validation = sources.validation();
    } else {
      try {
        SourceLabels.Sources sources = source.labels(log);
        labels = sources.train();
        validation = sources.validation();
      } catch (RuntimeException e) { // the recorded source may be unknown or unreadable here
        whyNot =
            "the run's data source '"
                + log.run().dataSource()
                + "' could not be loaded ("
                + e.getMessage()
                + "); pass --source to compare targets";
      }
    }
    ReportData data = ReportCollector.collect(log, labels, validation, whyNot);
    if (data.task() == ReportData.Task.CLASSIFICATION) {
      data = withDynamics(data, log, labels);
    }
    if (overwrite) {
      ReportWriter.replace(data, out);
    } else {
      ReportWriter.write(data, out);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf(
        Locale.ROOT,
        "report of run %s (%,d rows, verification %s) written to %s in %.1f s%n",
        data.run().runId(),
        data.run().rows(),
        data.verification().report().ok() ? "OK" : "found problems",
        out.toAbsolutePath(),
        (System.nanoTime() - start) / 1e9);
    stdout.flush();
    return ExitCodes.OK;
  }

  /** The report's data with the training dynamics of the log, computed by Spark, or a note. */
  private ReportData withDynamics(ReportData data, AuditLog log, LabelSource labels) {
    if (noDynamics) {
      return data.withDynamics(null, "report --no-dynamics");
    }
    try (EmbeddedSpark spark = EmbeddedSpark.start("batch-audit report")) {
      DynamicsJob.Digest digest =
          DynamicsJob.digest(
              spark.session(),
              log,
              DynamicsOptions.defaults(),
              labels,
              TOP_MISLABELED,
              MAX_MAP_POINTS);
      return digest == null
          ? data.withDynamics(null, "the training phase's targets are not all one-hot")
          : data.withDynamics(ReportDynamics.of(digest), null);
    } catch (RuntimeException e) { // the rest of the page is still worth writing
      spec.commandLine()
          .getErr()
          .println("warning: training dynamics not computed: " + e.getMessage());
      return data.withDynamics(null, "computing them failed: " + e.getMessage());
    }
  }
}
