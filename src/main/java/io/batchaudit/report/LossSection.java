package io.batchaudit.report;

/**
 * "Loss": batch score per step and partition with the averaged score after every round, the score
 * per epoch (training, averaged, validation), and the table of the epochs.
 */
final class LossSection implements PageSection {
  @Override
  public void render(ReportData data, Html page) {
    page.open("section", "id", "loss").element("h2", "Loss");
    LineChart steps =
        new LineChart("Minibatch score per step", "step (DL4J iteration)", "score (loss)");
    for (ReportData.Line l : data.lossPerStep()) {
      steps.series(l.name(), xs(l), ys(l), false);
    }
    ReportData.Line rounds = data.roundScores();
    steps.series(
        "averaged after round", xs(rounds), ys(rounds), rounds.points().size() <= 60, true, "#222");
    PageParts.figure(
        page,
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
        PageParts.epochNumbers(data.epochs()),
        data.epochs().stream().mapToDouble(ReportData.EpochStats::meanScore).toArray(),
        true);
    epochs.series(
        "averaged score after last round",
        PageParts.epochNumbers(data.epochs()),
        data.epochs().stream().mapToDouble(ReportData.EpochStats::averagedScore).toArray(),
        true);
    if (!data.validation().isEmpty()) {
      epochs.series(
          "validation score",
          PageParts.epochNumbers(data.validation()),
          data.validation().stream().mapToDouble(ReportData.EpochStats::meanScore).toArray(),
          true);
    }
    PageParts.figure(
        page,
        epochs.hasData() ? epochs.toSvg() : null,
        "Per epoch: the row-weighted mean batch_score of training minibatches, DL4J's averaged"
            + " score after the epoch's last round"
            + (data.validation().isEmpty()
                ? "; the run has no validation phase."
                : ", and the validation score (row-weighted mean batch_score of the epoch's"
                    + " validation batches)."));
    epochTable(data, page);
    page.close();
  }

  /** One row per training epoch, with its validation phase's figures beside it. */
  private static void epochTable(ReportData data, Html page) {
    boolean classification = data.task() == ReportData.Task.CLASSIFICATION;
    String metric = classification ? "accuracy" : "MSE";
    page.open("table").open("tr");
    page.element("th", "epoch")
        .element("th", "rows")
        .element("th", "batches")
        .element("th", "mean batch score")
        .element("th", "averaged score")
        .element("th", metric);
    if (!data.validation().isEmpty()) {
      page.element("th", "validation rows")
          .element("th", "validation score")
          .element("th", "validation " + metric);
    }
    page.close();
    for (ReportData.EpochStats e : data.epochs()) {
      page.open("tr").open("td", "class", "n").text(e.epoch()).close();
      PageParts.number(page, e.rows());
      PageParts.number(page, e.batches());
      PageParts.number(page, e.meanScore());
      PageParts.number(page, e.averagedScore());
      metric(page, classification, e);
      if (!data.validation().isEmpty()) {
        ReportData.EpochStats v =
            data.validation().stream().filter(x -> x.epoch() == e.epoch()).findFirst().orElse(null);
        if (v == null) {
          page.element("td", "").element("td", "").element("td", "");
        } else {
          PageParts.number(page, v.rows());
          PageParts.number(page, v.meanScore());
          metric(page, classification, v);
        }
      }
      page.close();
    }
    page.close();
  }

  private static void metric(Html page, boolean classification, ReportData.EpochStats e) {
    if (classification) {
      PageParts.percentCell(page, e.accuracy());
    } else {
      PageParts.number(page, e.mse());
    }
  }

  private static double[] xs(ReportData.Line l) {
    return l.points().stream().mapToDouble(ReportData.Point::x).toArray();
  }

  private static double[] ys(ReportData.Line l) {
    return l.points().stream().mapToDouble(ReportData.Point::y).toArray();
  }
}
