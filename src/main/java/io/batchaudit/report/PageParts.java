package io.batchaudit.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** What several sections of the report page draw alike: table cells, rows, figures, numbers. */
final class PageParts {
  private PageParts() {}

  /** A table row: {@code key} as its header cell, {@code value} as its data cell. */
  static void row(Html page, String key, String value) {
    page.open("tr").element("th", key).element("td", value).close();
  }

  /** A number cell of a whole number, with thousands separators. */
  static void number(Html page, long v) {
    page.open("td", "class", "n").text(String.format(Locale.ROOT, "%,d", v)).close();
  }

  /** A number cell, four significant digits (see {@link Scale#format}). */
  static void number(Html page, double v) {
    page.open("td", "class", "n").text(Scale.format(v)).close();
  }

  /** A number cell of a share, as a percentage. */
  static void percentCell(Html page, double v) {
    page.open("td", "class", "n").text(percent(v)).close();
  }

  /** A share as a percentage with one decimal; {@code n/a} for NaN. */
  static String percent(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", v * 100);
  }

  /** A figure: the chart, or "No data to draw." when {@code svg} is null, and its caption. */
  static void figure(Html page, String svg, String caption) {
    page.open("figure");
    if (svg == null) {
      page.open("p", "class", "muted").text("No data to draw.").close();
    } else {
      page.rawSvg(svg);
    }
    page.element("figcaption", caption).close();
  }

  /** Evenly spaced indices of {@code n} items, at most {@code max}, first and last included. */
  static int[] spread(int n, int max) {
    if (n <= max) {
      return IntStream.range(0, n).toArray();
    }
    return IntStream.range(0, max)
        .map(i -> (int) Math.round(i * (n - 1) / (double) (max - 1)))
        .distinct()
        .toArray();
  }

  static double[] epochNumbers(List<ReportData.EpochStats> epochs) {
    return epochs.stream().mapToDouble(ReportData.EpochStats::epoch).toArray();
  }

  /** One line per worker partition, of its accuracy or MSE per epoch. */
  static void partitionLines(ReportData data, LineChart chart, boolean accuracy) {
    Map<Integer, List<ReportData.PartitionStats>> byPartition =
        data.partitions().stream()
            .collect(
                Collectors.groupingBy(
                    ReportData.PartitionStats::partition, TreeMap::new, Collectors.toList()));
    byPartition.forEach(
        (p, list) ->
            chart.series(
                "partition " + p,
                list.stream().mapToDouble(ReportData.PartitionStats::epoch).toArray(),
                list.stream().mapToDouble(s -> accuracy ? s.accuracy() : s.mse()).toArray(),
                false));
  }

  /** The folded table of every (epoch, partition): rows, mean batch score, accuracy or MSE. */
  static void partitionTable(ReportData data, Html page, boolean classification) {
    page.open("details").element("summary", "Per epoch and partition").open("table");
    page.open("tr")
        .element("th", "epoch")
        .element("th", "partition")
        .element("th", "rows")
        .element("th", "mean batch score")
        .element("th", classification ? "accuracy" : "MSE")
        .close();
    for (ReportData.PartitionStats p : data.partitions()) {
      page.open("tr");
      number(page, p.epoch());
      number(page, p.partition());
      number(page, p.rows());
      number(page, p.meanScore());
      if (classification) {
        percentCell(page, p.accuracy());
      } else {
        number(page, p.mse());
      }
      page.close();
    }
    page.close().close();
  }
}
