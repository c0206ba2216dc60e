package io.batchaudit.report;

import io.batchaudit.read.Coverage;
import io.batchaudit.read.VerificationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a {@link ReportData} as one self-contained HTML page: inline CSS, inline SVG charts, no
 * script, no fonts, images or styles fetched from anywhere, so the file opens offline and can be
 * mailed or archived as is. Every text from the log or its configuration is escaped.
 */
public final class ReportWriter {
  /** Confusion matrices drawn at most (first, last and evenly spaced epochs between). */
  static final int MAX_HEATMAPS = 12;

  /** Epochs whose error histograms are overlaid at most. */
  static final int MAX_HISTOGRAM_LINES = 6;

  private static final String CSS =
      """
      body{font-family:Helvetica,Arial,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
      header{background:#1d2b45;color:#fff;padding:20px 32px}
      header h1{margin:0 0 6px;font-size:24px}
      header p{margin:0;color:#c8d1e3;font-size:13px;word-break:break-all}
      main{padding:8px 32px 40px;max-width:1500px}
      section{background:#fff;border:1px solid #dde1e8;border-radius:8px;margin:18px 0;padding:12px 20px}
      h2{font-size:19px;margin:8px 0 10px}
      h3{font-size:15px;margin:16px 0 6px}
      .cards{display:flex;flex-wrap:wrap;gap:12px;margin:18px 0}
      .card{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:10px 16px;min-width:150px}
      .card .v{font-size:22px;font-weight:bold}
      .card .k{font-size:12px;color:#5a6478;text-transform:uppercase;letter-spacing:.04em}
      .ok{color:#1f7a3a}.bad{color:#b42318}.muted{color:#5a6478}
      table{border-collapse:collapse;font-size:13px;margin:6px 0 10px}
      th,td{border-bottom:1px solid #e6e9ef;padding:4px 10px;text-align:left;vertical-align:top}
      th{background:#f0f2f6}
      td.n{text-align:right;font-variant-numeric:tabular-nums}
      td.arr{font-family:Menlo,Consolas,monospace;font-size:12px;max-width:420px;word-break:break-all}
      figure{margin:10px 0 18px}
      figcaption{font-size:12px;color:#5a6478;max-width:720px;margin-top:2px}
      .grid{display:flex;flex-wrap:wrap;gap:10px 24px}
      .ids{font-family:Menlo,Consolas,monospace;font-size:12px}
      details summary{cursor:pointer;font-size:13px;color:#33415c}
      """;

  private final ReportData data;
  private final StringBuilder out = new StringBuilder(64 * 1024);

  private ReportWriter(ReportData data) {
    this.data = data;
  }

  /** The page of {@code data}. */
  public static String html(ReportData data) {
    return new ReportWriter(data).page();
  }

  /**
   * Writes the page of {@code data} to {@code file}, which must not exist: to a temporary file
   * beside it first, then moved into place, so {@code file} is either the complete page or not
   * there.
   */
  public static void write(ReportData data, Path file) {
    write(data, file, false);
  }

  /** {@link #write}, replacing {@code file} if it exists (atomically: old page or new page). */
  public static void replace(ReportData data, Path file) {
    write(data, file, true);
  }

  private static void write(ReportData data, Path file, boolean overwrite) {
    Path target = file.toAbsolutePath();
    if (Files.exists(target) && !overwrite) {
      throw new IllegalArgumentException(
          "Report file " + target + " already exists: pass --overwrite to replace it");
    }
    if (Files.isDirectory(target)) {
      throw new IllegalArgumentException(
          "Report file " + target + " is a folder: give a file name, for example report.html");
    }
    try {
      Files.createDirectories(target.getParent());
      // not Files.createTempFile: its files are private (0600); the report gets the umask's mode
      Path tmp =
          target.resolveSibling(
              "." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
      try {
        Files.writeString(tmp, html(data), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write report " + target + ": " + e.getMessage(), e);
    }
  }

  private String page() {
    ReportData.RunFacts run = data.run();
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>batch-audit report: run ")
        .append(h(run.runId()))
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<header>\n<h1>Training audit: run ")
        .append(h(run.runId()))
        .append("</h1>\n<p>")
        .append(h(run.dataSource()))
        .append(" &middot; ")
        .append(h(run.location()))
        .append("</p>\n</header>\n<main>\n");
    cards();
    runSection();
    lossSection();
    if (data.task() == ReportData.Task.CLASSIFICATION) {
      classificationSection();
    } else if (data.task() == ReportData.Task.REGRESSION) {
      regressionSection();
    }
    coverageSection();
    topSection();
    out.append("<p class=\"muted\">Written by batch-audit report from the committed log;")
        .append(" epochs, rounds, batches and partitions are 0-based as in the log.</p>\n")
        .append("</main>\n</body>\n</html>\n");
    return out.toString();
  }

  private void cards() {
    ReportData.RunFacts run = data.run();
    VerificationReport v = data.verification().report();
    out.append("<div class=\"cards\">\n");
    card(
        "verification",
        v.ok() ? "<span class=\"ok\">OK</span>" : "<span class=\"bad\">problems</span>");
    card("rows recorded", h(String.format(Locale.ROOT, "%,d", run.rows())));
    card(
        "epochs committed",
        run.trainEpochs().size()
            + " of "
            + run.plannedEpochs()
            + (run.validationEpochs().isEmpty()
                ? ""
                : " <span class=\"muted\">+ "
                    + run.validationEpochs().size()
                    + " validation</span>"));
    card(
        "duration",
        Double.isNaN(run.seconds())
            ? "unknown"
            : h(String.format(Locale.ROOT, "%.1f s", run.seconds())));
    card("cluster", run.workers() + " workers");
    if (!data.epochs().isEmpty()) {
      ReportData.EpochStats last = data.epochs().get(data.epochs().size() - 1);
      if (data.task() == ReportData.Task.CLASSIFICATION) {
        card("last epoch accuracy", h(percent(last.accuracy())));
      } else if (data.task() == ReportData.Task.REGRESSION) {
        card("last epoch MSE", h(Scale.format(last.mse())));
      }
    }
    out.append("</div>\n");
  }

  private void card(String key, String valueHtml) {
    out.append("<div class=\"card\"><div class=\"k\">")
        .append(h(key))
        .append("</div><div class=\"v\">")
        .append(valueHtml)
        .append("</div></div>\n");
  }

  private void runSection() {
    ReportData.RunFacts run = data.run();
    out.append("<section id=\"run\">\n<h2>The run</h2>\n<table>\n");
    row("run id", run.runId());
    row("audit folder", run.location());
    row("data source", run.dataSource());
    row("started", run.createdAt());
    row(
        "duration",
        (Double.isNaN(run.seconds())
                ? "unknown"
                : String.format(Locale.ROOT, "%.1f s", run.seconds()))
            + " ("
            + run.durationSource()
            + ")");
    row(
        "cluster shape",
        run.workers()
            + " workers, batch size "
            + run.batchSize()
            + ", averaging every "
            + run.averagingFrequency()
            + " minibatches");
    row(
        "epochs",
        "training "
            + run.trainEpochs()
            + " committed of "
            + run.plannedEpochs()
            + " planned; validation "
            + (run.validationEpochs().isEmpty() ? "none" : run.validationEpochs().toString()));
    row(
        "recorded",
        String.format(Locale.ROOT, "%,d rows in %,d batches", run.rows(), run.batches()));
    row(
        "task",
        switch (data.task()) {
          case CLASSIFICATION ->
              "classification (one-hot targets, " + data.targetWidth() + " classes)";
          case REGRESSION -> "regression (" + data.targetWidth() + " outputs)";
          case UNKNOWN -> "unknown (no rows)";
        });
    row(
        "optional columns",
        run.optionalColumns().isEmpty() ? "none" : String.join(", ", run.optionalColumns()));
    out.append("</table>\n");
    verification();
    out.append("<details><summary>Configuration (")
        .append(run.config().size())
        .append(" keys)</summary>\n<table>\n<tr><th>key</th><th>value</th></tr>\n");
    run.config().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> row(e.getKey(), e.getValue()));
    out.append("</table>\n</details>\n</section>\n");
  }

  private void verification() {
    VerificationReport v = data.verification().report();
    out.append("<h3>Verification</h3>\n<p>");
    if (v.ok()) {
      out.append("<span class=\"ok\"><b>OK</b></span>: every planned epoch committed, every")
          .append(" committed file as its manifest says, every batch present exactly once, keys")
          .append(" consistent");
      out.append(v.labelsChecked() ? ", every target equal to its source label." : ".");
    } else {
      out.append("<span class=\"bad\"><b>Problems found</b></span> (")
          .append(v.count("incompleteEpochs"))
          .append(" incomplete epochs, ")
          .append(v.count("fileProblems"))
          .append(" file problems, ")
          .append(v.count("tableProblems"))
          .append(" table problems, ")
          .append(v.count("missingBatches"))
          .append(" missing, ")
          .append(v.count("duplicateBatches"))
          .append(" duplicates, ")
          .append(v.count("keyProblems"))
          .append(" key problems, ")
          .append(v.labelMismatches())
          .append(" label mismatches).");
    }
    out.append(" Targets: ").append(h(data.verification().labels())).append(".</p>\n");
    List<String> problems = new ArrayList<>();
    problems.addAll(v.incompleteEpochs());
    problems.addAll(v.fileProblems());
    problems.addAll(v.tableProblems());
    problems.addAll(v.missingBatches());
    problems.addAll(v.duplicateBatches());
    problems.addAll(v.keyProblems());
    problems.addAll(v.labelMismatchExamples());
    if (!problems.isEmpty()) {
      out.append("<ul>\n");
      problems.stream().limit(40).forEach(p -> out.append("<li>").append(h(p)).append("</li>\n"));
      if (problems.size() > 40) {
        out.append("<li>... and ").append(problems.size() - 40).append(" more</li>\n");
      }
      out.append("</ul>\n");
    }
  }

  private void lossSection() {
    out.append("<section id=\"loss\">\n<h2>Loss</h2>\n");
    LineChart steps =
        new LineChart("Minibatch score per step", "step (DL4J iteration)", "score (loss)");
    for (ReportData.Line l : data.lossPerStep()) {
      steps.series(l.name(), xs(l), ys(l), false);
    }
    ReportData.Line rounds = data.roundScores();
    steps.series(
        "averaged after round", xs(rounds), ys(rounds), rounds.points().size() <= 60, true, "#222");
    figure(
        steps.hasData() ? steps.toSvg() : null,
        "batch_score of every training minibatch against its step, one line per worker partition"
            + (data.stepsPerPoint() > 1
                ? " (each point averages up to " + data.stepsPerPoint() + " consecutive steps)"
                : "")
            + "; black: DL4J's averaged score after each averaging round (from the epoch"
            + " manifests), at the step after the round.");
    LineChart epochs = new LineChart("Score per epoch", "epoch", "score (loss)").wholeX();
    epochs.series(
        "training, mean batch score",
        epochNumbers(data.epochs()),
        data.epochs().stream().mapToDouble(ReportData.EpochStats::meanScore).toArray(),
        true);
    epochs.series(
        "averaged score after last round",
        epochNumbers(data.epochs()),
        data.epochs().stream().mapToDouble(ReportData.EpochStats::averagedScore).toArray(),
        true);
    if (!data.validation().isEmpty()) {
      epochs.series(
          "validation score",
          epochNumbers(data.validation()),
          data.validation().stream().mapToDouble(ReportData.EpochStats::meanScore).toArray(),
          true);
    }
    figure(
        epochs.hasData() ? epochs.toSvg() : null,
        "Per epoch: the row-weighted mean batch_score of training minibatches, DL4J's averaged"
            + " score after the epoch's last round"
            + (data.validation().isEmpty()
                ? "; the run has no validation phase."
                : ", and the validation score (row-weighted mean batch_score of the epoch's"
                    + " validation batches)."));
    epochTable();
    out.append("</section>\n");
  }

  private void epochTable() {
    boolean classification = data.task() == ReportData.Task.CLASSIFICATION;
    String metric = classification ? "accuracy" : "MSE";
    out.append("<table>\n<tr><th>epoch</th><th>rows</th><th>batches</th><th>mean batch score</th>")
        .append("<th>averaged score</th><th>")
        .append(metric)
        .append("</th>");
    if (!data.validation().isEmpty()) {
      out.append("<th>validation rows</th><th>validation score</th><th>validation ")
          .append(metric)
          .append("</th>");
    }
    out.append("</tr>\n");
    for (ReportData.EpochStats e : data.epochs()) {
      out.append("<tr><td class=\"n\">")
          .append(e.epoch())
          .append("</td>")
          .append(num(e.rows()))
          .append(num(e.batches()))
          .append(num(e.meanScore()))
          .append(num(e.averagedScore()))
          .append(classification ? pct(e.accuracy()) : num(e.mse()));
      if (!data.validation().isEmpty()) {
        ReportData.EpochStats v =
            data.validation().stream().filter(x -> x.epoch() == e.epoch()).findFirst().orElse(null);
        if (v == null) {
          out.append("<td></td><td></td><td></td>");
        } else {
          out.append(num(v.rows()))
              .append(num(v.meanScore()))
              .append(classification ? pct(v.accuracy()) : num(v.mse()));
        }
      }
      out.append("</tr>\n");
    }
    out.append("</table>\n");
  }

  private void classificationSection() {
    out.append("<section id=\"accuracy\">\n<h2>Accuracy</h2>\n");
    LineChart acc = new LineChart("Accuracy per epoch", "epoch", "accuracy").yFromZero().wholeX();
    acc.yMaxAtLeast(1);
    acc.series(
        "training, all partitions",
        epochNumbers(data.epochs()),
        data.epochs().stream().mapToDouble(ReportData.EpochStats::accuracy).toArray(),
        true,
        true,
        "#222");
    if (!data.validation().isEmpty()) {
      acc.series(
          "validation",
          epochNumbers(data.validation()),
          data.validation().stream().mapToDouble(ReportData.EpochStats::accuracy).toArray(),
          true,
          true,
          "#e15759");
    }
    partitionLines(acc, true);
    figure(
        acc.hasData() ? acc.toSvg() : null,
        "Share of recorded examples whose largest prediction is the target class, per epoch:"
            + " overall (black), per worker partition"
            + (data.validation().isEmpty() ? "." : ", and on the validation batches (red).")
            + (data.notOneHotRows() > 0
                ? " "
                    + data.notOneHotRows()
                    + " rows had a target that is not one-hot and are left out."
                : ""));
    List<ReportData.EpochStats> withMatrix =
        data.epochs().stream().filter(e -> e.confusion() != null && e.classified() > 0).toList();
    if (withMatrix.isEmpty()) {
      if (data.targetWidth() > BatchAggregator.MAX_CONFUSION_CLASSES) {
        out.append("<p class=\"muted\">No confusion matrix: ")
            .append(data.targetWidth())
            .append(" classes (drawn up to ")
            .append(BatchAggregator.MAX_CONFUSION_CLASSES)
            .append(").</p>\n");
      }
    } else {
      out.append("<h3>Confusion matrix per epoch</h3>\n<div class=\"grid\">\n");
      List<String> labels = new ArrayList<>();
      for (int c = 0; c < data.targetWidth(); c++) {
        labels.add(Integer.toString(c));
      }
      for (int i : spread(withMatrix.size(), MAX_HEATMAPS)) {
        ReportData.EpochStats e = withMatrix.get(i);
        out.append("<figure>\n")
            .append(
                new Heatmap(
                        "Epoch " + e.epoch() + ": accuracy " + percent(e.accuracy()),
                        "predicted class",
                        "target class",
                        labels,
                        e.confusion())
                    .toSvg())
            .append("</figure>\n");
      }
      out.append("</div>\n<p class=\"muted\">Rows: target class, columns: predicted class (largest")
          .append(" prediction); shade: share of the row; hover a cell for its count.")
          .append(
              withMatrix.size() > MAX_HEATMAPS
                  ? " "
                      + MAX_HEATMAPS
                      + " of "
                      + withMatrix.size()
                      + " epochs shown, evenly spaced."
                  : "")
          .append("</p>\n");
    }
    partitionTable(true);
    out.append("</section>\n");
  }

  private void regressionSection() {
    out.append("<section id=\"regression\">\n<h2>Predictions against targets</h2>\n");
    ScatterChart scatter =
        new ScatterChart("Predicted against target", "target value", "predicted value");
    for (ReportData.Sample s : data.samples()) {
      float[] t = new float[s.points().size()];
      float[] p = new float[s.points().size()];
      for (int i = 0; i < t.length; i++) {
        t[i] = s.points().get(i).target();
        p[i] = s.points().get(i).prediction();
      }
      scatter.series("epoch " + s.epoch(), t, p);
    }
    figure(
        scatter.hasData() ? scatter.toSvg() : null,
        "Every output value of a uniform random sample (at most "
            + BatchAggregator.SAMPLE_SIZE
            + " values per epoch, reservoir sampling) of the first and last training epoch: "
            + data.samples().stream()
                .map(
                    s ->
                        String.format(
                            Locale.ROOT,
                            "epoch %d: %,d of %,d",
                            s.epoch(),
                            s.points().size(),
                            s.values()))
                .collect(Collectors.joining("; "))
            + ". On the grey line the prediction equals the target.");
    ReportData.ErrorHistograms hist = data.errors();
    if (!hist.epochs().isEmpty()) {
      // draw the bins from the first to the last one with a count in any epoch
      int from = ErrorHistogram.BINS;
      int to = -1;
      for (ReportData.EpochHistogram e : hist.epochs()) {
        for (int i = 0; i < e.counts().length; i++) {
          if (e.counts()[i] > 0) {
            from = Math.min(from, i);
            to = Math.max(to, i);
          }
        }
      }
      if (to < 0) {
        from = 0;
        to = ErrorHistogram.BINS - 1;
      }
      int bins = to - from + 1;
      double[] centers = new double[bins];
      List<String> names = new ArrayList<>();
      for (int i = 0; i < bins; i++) {
        centers[i] = hist.lowerEdge() + (from + i + 0.5) * hist.binWidth();
        names.add(String.format(Locale.ROOT, "%.3g", centers[i]));
      }
      ReportData.EpochHistogram last = hist.epochs().get(hist.epochs().size() - 1);
      BarChart bars =
          new BarChart(
                  "Error distribution, epoch " + last.epoch(),
                  "prediction - target (bin centre)",
                  "values",
                  names)
              .series(
                  "epoch " + last.epoch(),
                  Arrays.stream(last.counts(), from, to + 1).asDoubleStream().toArray());
      figure(
          bars.toSvg(),
          String.format(
              Locale.ROOT,
              "Histogram of prediction minus target over every output value of the last training"
                  + " epoch; %d bins of width %s from %s (the bins holding any epoch's errors).%s",
              bins,
              Scale.format(hist.binWidth()),
              Scale.format(hist.lowerEdge() + from * hist.binWidth()),
              last.nonFinite() > 0
                  ? " " + last.nonFinite() + " values were NaN or infinite."
                  : ""));
      LineChart overlay =
          new LineChart("Error distribution per epoch", "prediction - target", "share of values")
              .yFromZero();
      for (int i : spread(hist.epochs().size(), MAX_HISTOGRAM_LINES)) {
        ReportData.EpochHistogram e = hist.epochs().get(i);
        long total = Arrays.stream(e.counts()).sum();
        double[] share =
            Arrays.stream(e.counts(), from, to + 1).mapToDouble(c -> c / (double) total).toArray();
        overlay.series("epoch " + e.epoch(), centers, share, false);
      }
      figure(
          overlay.toSvg(),
          "The same histogram per training epoch (share of the epoch's values per bin), to see the"
              + " errors narrow as training goes on"
              + (hist.epochs().size() > MAX_HISTOGRAM_LINES
                  ? "; "
                      + MAX_HISTOGRAM_LINES
                      + " of "
                      + hist.epochs().size()
                      + " epochs, evenly spaced."
                  : "."));
    }
    LineChart mse =
        new LineChart("Mean squared error per epoch", "epoch", "MSE").yFromZero().wholeX();
    mse.series(
        "training, all partitions",
        epochNumbers(data.epochs()),
        data.epochs().stream().mapToDouble(ReportData.EpochStats::mse).toArray(),
        true,
        true,
        "#222");
    if (!data.validation().isEmpty()) {
      mse.series(
          "validation",
          epochNumbers(data.validation()),
          data.validation().stream().mapToDouble(ReportData.EpochStats::mse).toArray(),
          true,
          true,
          "#e15759");
    }
    partitionLines(mse, false);
    figure(
        mse.hasData() ? mse.toSvg() : null,
        "Mean over rows and outputs of (prediction - target)^2, per epoch: overall (black), per"
            + " worker partition"
            + (data.validation().isEmpty() ? "." : ", and on the validation batches (red)."));
    partitionTable(false);
    out.append("</section>\n");
  }

  private void partitionLines(LineChart chart, boolean accuracy) {
    Map<Integer, List<ReportData.PartitionStats>> byPartition =
        data.partitions().stream()
            .collect(
                Collectors.groupingBy(
                    ReportData.PartitionStats::partition,
                    java.util.TreeMap::new,
                    Collectors.toList()));
    byPartition.forEach(
        (p, list) ->
            chart.series(
                "partition " + p,
                list.stream().mapToDouble(ReportData.PartitionStats::epoch).toArray(),
                list.stream().mapToDouble(s -> accuracy ? s.accuracy() : s.mse()).toArray(),
                false));
  }

  private void partitionTable(boolean classification) {
    out.append("<details><summary>Per epoch and partition</summary>\n<table>\n")
        .append("<tr><th>epoch</th><th>partition</th><th>rows</th><th>mean batch score</th><th>")
        .append(classification ? "accuracy" : "MSE")
        .append("</th></tr>\n");
    for (ReportData.PartitionStats p : data.partitions()) {
      out.append("<tr>")
          .append(num(p.epoch()))
          .append(num(p.partition()))
          .append(num(p.rows()))
          .append(num(p.meanScore()))
          .append(classification ? pct(p.accuracy()) : num(p.mse()))
          .append("</tr>\n");
    }
    out.append("</table>\n</details>\n");
  }

  private void coverageSection() {
    ReportData.CoverageFacts cov = data.coverage();
    out.append("<section id=\"coverage\">\n<h2>Coverage</h2>\n");
    if (cov.epochs().isEmpty()) {
      out.append("<p class=\"muted\">No coverage: ").append(h(cov.basis())).append("</p>\n");
      out.append("</section>\n");
      return;
    }
    List<String> names = cov.epochs().stream().map(c -> Integer.toString(c.epoch())).toList();
    BarChart bars =
        new BarChart("Examples trained per epoch", "epoch", "source examples", names)
            .stacked()
            .series(
                "never",
                cov.epochs().stream().mapToDouble(Coverage.EpochCoverage::neverTrained).toArray(),
                "#e15759")
            .series(
                "once",
                cov.epochs().stream().mapToDouble(Coverage.EpochCoverage::trainedOnce).toArray(),
                "#59a14f")
            .series(
                "more than once",
                cov.epochs().stream()
                    .mapToDouble(Coverage.EpochCoverage::trainedMoreThanOnce)
                    .toArray(),
                "#f28e2b");
    figure(
        bars.toSvg(),
        "How many source examples each training epoch trained never, once or more than once ("
            + cov.basis()
            + "). DL4J's parameter averaging trains at most averaging-frequency x batch-size"
            + " examples per worker and round and skips the rest of its split.");
    out.append("<table>\n<tr><th>epoch</th><th>never</th><th>once</th><th>more than once</th>")
        .append("<th>outside source</th><th>never-trained sample ids (smallest ")
        .append(Coverage.SAMPLE_LIMIT)
        .append(")</th></tr>\n");
    for (Coverage.EpochCoverage c : cov.epochs()) {
      out.append("<tr>")
          .append(num(c.epoch()))
          .append(num(c.neverTrained()))
          .append(num(c.trainedOnce()))
          .append(num(c.trainedMoreThanOnce()))
          .append(num(c.outsideSource()))
          .append("<td class=\"ids\">")
          .append(
              h(
                  c.neverTrainedSample().stream()
                          .map(String::valueOf)
                          .collect(Collectors.joining(", "))
                      + (c.neverTrained() > c.neverTrainedSample().size() ? ", ..." : "")))
          .append("</td></tr>\n");
    }
    out.append("</table>\n</section>\n");
  }

  private void topSection() {
    ReportData.TopExamples top = data.top();
    out.append("<section id=\"top-loss\">\n<h2>Highest loss in the last epoch</h2>\n");
    if (top.examples().isEmpty()) {
      out.append("<p class=\"muted\">No training rows.</p>\n</section>\n");
      return;
    }
    out.append("<p>The ")
        .append(top.examples().size())
        .append(" examples of training epoch ")
        .append(top.epoch())
        .append(" with the highest loss. Loss: ")
        .append(h(top.lossKind()))
        .append(".</p>\n<table>\n<tr><th>#</th><th>sample id</th><th>loss</th><th>round</th>")
        .append("<th>batch</th><th>partition</th><th>target</th><th>prediction</th></tr>\n");
    int rank = 1;
    for (ReportData.Example e : top.examples()) {
      out.append("<tr>")
          .append(num(rank++))
          .append(num(e.sampleId()))
          .append(num(e.loss()))
          .append(num(e.key().round()))
          .append(num(e.key().batch()))
          .append(num(e.key().partition()))
          .append("<td class=\"arr\">")
          .append(h(array(e.target())))
          .append("</td><td class=\"arr\">")
          .append(h(array(e.prediction())))
          .append("</td></tr>\n");
    }
    out.append("</table>\n</section>\n");
  }

  private void figure(String svg, String caption) {
    out.append("<figure>\n");
    if (svg == null) {
      out.append("<p class=\"muted\">No data to draw.</p>\n");
    } else {
      out.append(svg);
    }
    out.append("<figcaption>").append(h(caption)).append("</figcaption>\n</figure>\n");
  }

  private void row(String key, String value) {
    out.append("<tr><th>")
        .append(h(key))
        .append("</th><td>")
        .append(h(value))
        .append("</td></tr>\n");
  }

  /** Evenly spaced indices of {@code n} items, at most {@code max}, first and last included. */
  static int[] spread(int n, int max) {
    if (n <= max) {
      return java.util.stream.IntStream.range(0, n).toArray();
    }
    return java.util.stream.IntStream.range(0, max)
        .map(i -> (int) Math.round(i * (n - 1) / (double) (max - 1)))
        .distinct()
        .toArray();
  }

  private static double[] epochNumbers(List<ReportData.EpochStats> epochs) {
    return epochs.stream().mapToDouble(ReportData.EpochStats::epoch).toArray();
  }

  private static double[] xs(ReportData.Line l) {
    return l.points().stream().mapToDouble(ReportData.Point::x).toArray();
  }

  private static double[] ys(ReportData.Line l) {
    return l.points().stream().mapToDouble(ReportData.Point::y).toArray();
  }

  private static String array(float[] values) {
    StringBuilder s = new StringBuilder("[");
    int shown = Math.min(values.length, 12);
    for (int i = 0; i < shown; i++) {
      s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", values[i]));
    }
    if (values.length > shown) {
      s.append(", ... (").append(values.length).append(" values)");
    }
    return s.append(']').toString();
  }

  private static String num(long v) {
    return "<td class=\"n\">" + String.format(Locale.ROOT, "%,d", v) + "</td>";
  }

  private static String num(double v) {
    return "<td class=\"n\">" + h(Scale.format(v)) + "</td>";
  }

  private static String pct(double v) {
    return "<td class=\"n\">" + h(percent(v)) + "</td>";
  }

  private static String percent(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", v * 100);
  }

  private static String h(String s) {
    return Svg.escape(s == null ? "" : s);
  }
}
