package io.batchaudit.report;

import io.batchaudit.read.VerificationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** "The run": what the run was, its verification, and every configuration value. */
final class RunSection implements PageSection {
  /** Problems listed at most; the rest are counted. */
  static final int MAX_PROBLEMS = 40;

  @Override
  public void render(ReportData data, Html page) {
    ReportData.RunFacts run = data.run();
    page.open("section", "id", "run").element("h2", "The run").open("table");
    PageParts.row(page, "run id", run.runId());
    PageParts.row(page, "audit folder", run.location());
    PageParts.row(page, "data source", run.dataSource());
    PageParts.row(page, "started", run.createdAt());
    PageParts.row(
        page,
        "duration",
        (Double.isNaN(run.seconds())
                ? "unknown"
                : String.format(Locale.ROOT, "%.1f s", run.seconds()))
            + " ("
            + run.durationSource()
            + ")");
    PageParts.row(
        page,
        "cluster shape",
        run.workers()
            + " workers, batch size "
            + run.batchSize()
            + ", averaging every "
            + run.averagingFrequency()
            + " minibatches");
    PageParts.row(
        page,
        "epochs",
        "training "
            + run.trainEpochs()
            + " committed of "
            + run.plannedEpochs()
            + " planned; validation "
            + (run.validationEpochs().isEmpty() ? "none" : run.validationEpochs().toString()));
    PageParts.row(
        page,
        "recorded",
        String.format(Locale.ROOT, "%,d rows in %,d batches", run.rows(), run.batches()));
    PageParts.row(
        page,
        "task",
        switch (data.task()) {
          case CLASSIFICATION ->
              "classification (one-hot targets, " + data.targetWidth() + " classes)";
          case REGRESSION -> "regression (" + data.targetWidth() + " outputs)";
          case UNKNOWN -> "unknown (no rows)";
        });
    PageParts.row(
        page,
        "optional columns",
        run.optionalColumns().isEmpty() ? "none" : String.join(", ", run.optionalColumns()));
    page.close();
    verification(data.verification(), page);
    configuration(run.config(), page);
    page.close();
  }

  private static void verification(ReportData.Verification verification, Html page) {
    VerificationReport v = verification.report();
    page.element("h3", "Verification").open("p");
    if (v.ok()) {
      page.open("span", "class", "ok").element("b", "OK").close();
      page.text(
          ": every planned epoch committed, every committed file as its manifest says, every batch"
              + " present exactly once, keys consistent");
      page.text(v.labelsChecked() ? ", every target equal to its source label." : ".");
    } else {
      page.open("span", "class", "bad").element("b", "Problems found").close();
      page.text(
          " ("
              + v.count("incompleteEpochs")
              + " incomplete epochs, "
              + v.count("fileProblems")
              + " file problems, "
              + v.count("tableProblems")
              + " table problems, "
              + v.count("missingBatches")
              + " missing, "
              + v.count("duplicateBatches")
              + " duplicates, "
              + v.count("keyProblems")
              + " key problems, "
              + v.labelMismatches()
              + " label mismatches).");
    }
    page.text(" Targets: " + verification.labels() + ".").close();
    List<String> problems = new ArrayList<>();
    problems.addAll(v.incompleteEpochs());
    problems.addAll(v.fileProblems());
    problems.addAll(v.tableProblems());
    problems.addAll(v.missingBatches());
    problems.addAll(v.duplicateBatches());
    problems.addAll(v.keyProblems());
    problems.addAll(v.labelMismatchExamples());
    if (!problems.isEmpty()) {
      page.open("ul");
      problems.stream().limit(MAX_PROBLEMS).forEach(p -> page.element("li", p));
      if (problems.size() > MAX_PROBLEMS) {
        page.element("li", "... and " + (problems.size() - MAX_PROBLEMS) + " more");
      }
      page.close();
    }
    if (!v.warnings().isEmpty()) {
      page.open("ul", "class", "warnings");
      v.warnings().stream()
          .limit(MAX_PROBLEMS)
          .forEach(w -> page.open("li", "class", "warning").text(w).close());
      page.close();
    }
  }

  private static void configuration(Map<String, String> config, Html page) {
    page.open("details").element("summary", "Configuration (" + config.size() + " keys)");
    page.open("table").open("tr").element("th", "key").element("th", "value").close();
    config.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> PageParts.row(page, e.getKey(), e.getValue()));
    page.close().close();
  }
}
