package io.batchaudit.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A line chart: numeric x and y axes, one line per series (optionally with point markers), a
 * legend. Non-finite points are left out. Renders to one SVG element with {@link #toSvg()}.
 */
final class LineChart {
  /** One line: its name in the legend, its points in drawing order, and how it is drawn. */
  record Series(String name, double[] xs, double[] ys, boolean markers, boolean bold) {}

  private final String title;
  private final String xTitle;
  private final String yTitle;
  private final List<Series> series = new ArrayList<>();
  private boolean yFromZero;
  private boolean wholeX;
  private double yMaxAtLeast = Double.NEGATIVE_INFINITY;
  private final List<String> colors = new ArrayList<>();

  LineChart(String title, String xTitle, String yTitle) {
    this.title = title;
    this.xTitle = xTitle;
    this.yTitle = yTitle;
  }

  /** Adds a line in the next palette colour. */
  LineChart series(String name, double[] xs, double[] ys, boolean markers) {
    return series(name, xs, ys, markers, false, Svg.color(series.size()));
  }

  /** Adds a line in {@code color}; {@code bold} draws it thicker, for an overall figure. */
  LineChart series(
      String name, double[] xs, double[] ys, boolean markers, boolean bold, String color) {
    if (xs.length != ys.length) {
      throw new IllegalArgumentException(
          "Series '" + name + "' has " + xs.length + " x values and " + ys.length + " y values");
    }
    series.add(new Series(name, xs.clone(), ys.clone(), markers, bold));
    colors.add(color);
    return this;
  }

  /** Starts the y axis at 0 (for shares and counts). */
  LineChart yFromZero() {
    yFromZero = true;
    return this;
  }

  /** Puts x ticks on whole numbers only (epochs). */
  LineChart wholeX() {
    wholeX = true;
    return this;
  }

  /** Extends the y axis to at least {@code v} (for example 1 for a share). */
  LineChart yMaxAtLeast(double v) {
    yMaxAtLeast = v;
    return this;
  }

  /** Whether any series has a drawable point. */
  boolean hasData() {
    return series.stream().anyMatch(s -> finitePoints(s) > 0);
  }

  String toSvg() {
    double xLo = Double.POSITIVE_INFINITY;
    double xHi = Double.NEGATIVE_INFINITY;
    double yLo = yFromZero ? 0 : Double.POSITIVE_INFINITY;
    double yHi = yMaxAtLeast;
    for (Series s : series) {
      for (int i = 0; i < s.xs().length; i++) {
        if (finite(s, i)) {
          xLo = Math.min(xLo, s.xs()[i]);
          xHi = Math.max(xHi, s.xs()[i]);
          yLo = Math.min(yLo, s.ys()[i]);
          yHi = Math.max(yHi, s.ys()[i]);
        }
      }
    }
    Svg svg = new Svg(Plot.WIDTH, Plot.HEIGHT, title);
    Plot plot =
        new Plot(
            svg,
            Scale.numeric(xLo, xHi, 8, wholeX),
            Scale.numeric(yLo, yHi, 6),
            series.stream().map(Series::name).toList());
    plot.axes(title, xTitle, yTitle);
    List<Plot.Entry> legend = new ArrayList<>();
    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      String color = colors.get(k);
      int n = finitePoints(s);
      double[] px = new double[n];
      double[] py = new double[n];
      int j = 0;
      for (int i = 0; i < s.xs().length; i++) {
        if (finite(s, i)) {
          px[j] = plot.px(s.xs()[i]);
          py[j] = plot.py(s.ys()[i]);
          j++;
        }
      }
      if (n > 1) {
        svg.polyline(px, py, color, s.bold() ? 3 : 1.6, "");
      }
      if (s.markers() || n == 1) {
        for (int i = 0, q = 0; i < s.xs().length; i++) {
          if (finite(s, i)) {
            svg.circle(
                px[q],
                py[q],
                s.bold() ? 4 : 3,
                color,
                1,
                s.name()
                    + ": "
                    + (wholeX ? Long.toString(Math.round(s.xs()[i])) : Scale.format(s.xs()[i]))
                    + ", "
                    + Scale.format(s.ys()[i]));
            q++;
          }
        }
      }
      legend.add(
          new Plot.Entry(s.name(), color, s.markers() && n > 0 ? Plot.Mark.DOT : Plot.Mark.LINE));
    }
    plot.legend(legend);
    return svg.finish();
  }

  private static boolean finite(Series s, int i) {
    return Double.isFinite(s.xs()[i]) && Double.isFinite(s.ys()[i]);
  }

  private static int finitePoints(Series s) {
    int n = 0;
    for (int i = 0; i < s.xs().length; i++) {
      if (finite(s, i)) {
        n++;
      }
    }
    return n;
  }
}
