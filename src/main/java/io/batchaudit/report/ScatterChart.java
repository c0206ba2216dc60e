package io.batchaudit.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A scatter chart of predicted against target values: numeric axes with the same range on both, the
 * line {@code prediction = target} where a perfect model would put every point, and one colour per
 * series. Renders to one SVG element with {@link #toSvg()}.
 */
final class ScatterChart {
  private record Series(String name, float[] xs, float[] ys, String color) {}

  private final String title;
  private final String xTitle;
  private final String yTitle;
  private final List<Series> series = new ArrayList<>();

  ScatterChart(String title, String xTitle, String yTitle) {
    this.title = title;
    this.xTitle = xTitle;
    this.yTitle = yTitle;
  }

  ScatterChart series(String name, float[] xs, float[] ys) {
    if (xs.length != ys.length) {
      throw new IllegalArgumentException(
          "Series '" + name + "' has " + xs.length + " x values and " + ys.length + " y values");
    }
    series.add(new Series(name, xs.clone(), ys.clone(), Svg.color(series.size())));
    return this;
  }

  boolean hasData() {
    return series.stream().anyMatch(s -> s.xs().length > 0);
  }

  String toSvg() {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.xs().length; i++) {
        if (Float.isFinite(s.xs()[i]) && Float.isFinite(s.ys()[i])) {
          lo = Math.min(lo, Math.min(s.xs()[i], s.ys()[i]));
          hi = Math.max(hi, Math.max(s.xs()[i], s.ys()[i]));
        }
      }
    }
    Scale scale = Scale.numeric(lo, hi, 7);
    Svg svg = new Svg(Plot.WIDTH, Plot.HEIGHT, title);
    List<String> names = new ArrayList<>(series.stream().map(Series::name).toList());
    names.add("prediction = target");
    Plot plot = new Plot(svg, scale, scale, names);
    plot.axes(title, xTitle, yTitle);
    svg.line(
        plot.px(scale.min()),
        plot.py(scale.min()),
        plot.px(scale.max()),
        plot.py(scale.max()),
        "#888",
        1);
    List<Plot.Entry> legend = new ArrayList<>();
    for (Series s : series) {
      for (int i = 0; i < s.xs().length; i++) {
        if (Float.isFinite(s.xs()[i]) && Float.isFinite(s.ys()[i])) {
          svg.circle(plot.px(s.xs()[i]), plot.py(s.ys()[i]), 2.5, s.color(), 0.55, "");
        }
      }
      legend.add(new Plot.Entry(s.name(), s.color(), Plot.Mark.DOT));
    }
    legend.add(new Plot.Entry("prediction = target", "#888", Plot.Mark.LINE));
    plot.legend(legend);
    return svg.finish();
  }
}
