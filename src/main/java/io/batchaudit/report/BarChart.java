package io.batchaudit.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A bar chart over categories (epochs, histogram bins): one or more series of non-negative values,
 * drawn side by side (grouped) or on top of each other (stacked); a legend when there is more than
 * one series. Renders to one SVG element with {@link #toSvg()}.
 */
final class BarChart {
  private record Series(String name, double[] values, String color) {}

  private final String title;
  private final String xTitle;
  private final String yTitle;
  private final List<String> categories;
  private final List<Series> series = new ArrayList<>();
  private boolean stacked;
  private double yMaxAtLeast;

  BarChart(String title, String xTitle, String yTitle, List<String> categories) {
    this.title = title;
    this.xTitle = xTitle;
    this.yTitle = yTitle;
    this.categories = List.copyOf(categories);
  }

  /** Adds a series: one value per category. */
  BarChart series(String name, double[] values) {
    return series(name, values, Svg.color(series.size()));
  }

  BarChart series(String name, double[] values, String color) {
    if (values.length != categories.size()) {
      throw new IllegalArgumentException(
          "Series '"
              + name
              + "' has "
              + values.length
              + " values for "
              + categories.size()
              + " categories");
    }
    series.add(new Series(name, values.clone(), color));
    return this;
  }

  /** Draws the series on top of each other instead of side by side. */
  BarChart stacked() {
    stacked = true;
    return this;
  }

  /** Extends the y axis to at least {@code v}. */
  BarChart yMaxAtLeast(double v) {
    yMaxAtLeast = v;
    return this;
  }

  /** Whether there is a category and a positive value to draw. */
  boolean hasData() {
    for (Series s : series) {
      for (double v : s.values()) {
        if (v > 0 && Double.isFinite(v)) {
          return true;
        }
      }
    }
    return false;
  }

  String toSvg() {
    double yHi = yMaxAtLeast;
    for (int c = 0; c < categories.size(); c++) {
      double sum = 0;
      for (Series s : series) {
        double v = value(s, c);
        sum = stacked ? sum + v : Math.max(sum, v);
      }
      yHi = Math.max(yHi, sum);
    }
    Svg svg = new Svg(Plot.WIDTH, Plot.HEIGHT, title);
    boolean legend = series.size() > 1;
    Plot plot =
        new Plot(
            svg,
            Scale.categories(categories, 16),
            Scale.numeric(0, yHi, 6),
            legend ? series.stream().map(Series::name).toList() : List.of());
    plot.axes(title, xTitle, yTitle);
    double slot = plot.xUnit() * 0.8;
    double barWidth = stacked || series.isEmpty() ? slot : slot / series.size();
    for (int c = 0; c < categories.size(); c++) {
      double base = 0;
      for (int k = 0; k < series.size(); k++) {
        Series s = series.get(k);
        double v = value(s, c);
        double x0 = plot.px(c) - slot / 2 + (stacked ? 0 : k * barWidth);
        double yTop = plot.py(base + v);
        double yBottom = plot.py(base);
        if (v > 0) {
          svg.rect(
              x0,
              yTop,
              Math.max(1, barWidth - (stacked ? 0 : 1)),
              Math.max(1, yBottom - yTop),
              s.color(),
              categories.get(c) + ", " + s.name() + ": " + Scale.format(v));
        }
        if (stacked) {
          base += v;
        }
      }
    }
    if (legend) {
      plot.legend(
          series.stream().map(s -> new Plot.Entry(s.name(), s.color(), Plot.Mark.BOX)).toList());
    }
    return svg.finish();
  }

  private static double value(Series s, int c) {
    double v = s.values()[c];
    return Double.isFinite(v) && v > 0 ? v : 0;
  }
}
