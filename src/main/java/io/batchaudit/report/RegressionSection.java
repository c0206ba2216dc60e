package io.batchaudit.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * "Predictions against targets" of a regression log: sampled predictions against targets, error
 * histograms (last epoch, and per epoch overlaid), mean squared error per epoch, the per-partition
 * table.
 */
final class RegressionSection implements PageSection {
  /** Epochs whose error histograms are overlaid at most. */
  static final int MAX_HISTOGRAM_LINES = 6;

  @Override
  public void render(ReportData data, Html page) {
    page.open("section", "id", "regression").element("h2", "Predictions against targets");
    scatter(data, page);
    errorHistograms(data.errors(), page);
    LineChart mse =
        new LineChart("Mean squared error per epoch", "epoch", "MSE").yFromZero().wholeX();
    mse.series(
        "training, all partitions",
        PageParts.epochNumbers(data.epochs()),
        data.epochs().stream().mapToDouble(ReportData.EpochStats::mse).toArray(),
        true,
        true,
        "#222");
    if (!data.validation().isEmpty()) {
      mse.series(
          "validation",
          PageParts.epochNumbers(data.validation()),
          data.validation().stream().mapToDouble(ReportData.EpochStats::mse).toArray(),
          true,
          true,
          "#e15759");
    }
    PageParts.partitionLines(data, mse, false);
    PageParts.figure(
        page,
        mse.hasData() ? mse.toSvg() : null,
        "Mean over rows and outputs of (prediction - target)^2, per epoch: overall (black), per"
            + " worker partition"
            + (data.validation().isEmpty() ? "." : ", and on the validation batches (red)."));
    PageParts.partitionTable(data, page, false);
    page.close();
  }

  private static void scatter(ReportData data, Html page) {
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
    PageParts.figure(
        page,
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
  }

  private static void errorHistograms(ReportData.ErrorHistograms hist, Html page) {
    if (hist.epochs().isEmpty()) {
      return;
    }
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
    PageParts.figure(
        page,
        bars.toSvg(),
        String.format(
            Locale.ROOT,
            "Histogram of prediction minus target over every output value of the last training"
                + " epoch; %d bins of width %s from %s (the bins holding any epoch's errors).%s",
            bins,
            Scale.format(hist.binWidth()),
            Scale.format(hist.lowerEdge() + from * hist.binWidth()),
            last.nonFinite() > 0 ? " " + last.nonFinite() + " values were NaN or infinite." : ""));
    LineChart overlay =
        new LineChart("Error distribution per epoch", "prediction - target", "share of values")
            .yFromZero();
    for (int i : PageParts.spread(hist.epochs().size(), MAX_HISTOGRAM_LINES)) {
      ReportData.EpochHistogram e = hist.epochs().get(i);
      long total = Arrays.stream(e.counts()).sum();
      double[] share =
          Arrays.stream(e.counts(), from, to + 1).mapToDouble(c -> c / (double) total).toArray();
      overlay.series("epoch " + e.epoch(), centers, share, false);
    }
    PageParts.figure(
        page,
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
}
