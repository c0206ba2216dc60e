package io.batchaudit.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Data Map (Swayamdipta et al., 2020): variability on x ([0, 0.5]), confidence on y ([0, 1]).
 * Either every example as a dot coloured by its correctness (six levels, as in the paper), or, when
 * there are too many, a density grid whose cells are shaded by their count and titled with count
 * and mean correctness. Renders to one SVG element with {@link #toSvg()}.
 */
final class DataMapChart {
  /** Correctness levels 0, 0.2, ..., 1, red to green, each dark enough to see on white. */
  static final String[] CORRECTNESS_COLORS = {
    "#d7191c", "#f17c4a", "#e6b422", "#a6d96a", "#66bd63", "#1a9850"
  };

  private final DynamicsData data;

  DataMapChart(DynamicsData data) {
    this.data = data;
  }

  /** The colour of a correctness in [0, 1]: its nearest level of 0, 0.2, ..., 1. */
  static String correctnessColor(double correctness) {
    int level = (int) Math.round(Math.max(0, Math.min(1, correctness)) * 5);
    return CORRECTNESS_COLORS[level];
  }

  boolean hasData() {
    return !data.points().isEmpty() || data.grid() != null;
  }

  String toSvg() {
    String title = "Data Map (" + data.phase() + ")";
    Svg svg = new Svg(Plot.WIDTH, Plot.HEIGHT + 40, title);
    List<String> names = new ArrayList<>();
    for (int i = 0; i <= 5; i++) {
      names.add("correctness " + String.format(Locale.ROOT, "%.1f", i / 5.0));
    }
    Scale x = Scale.numeric(0, 0.5, 6);
    Scale y = Scale.numeric(0, 1, 6);
    Plot plot = new Plot(svg, x, y, names);
    plot.axes(title, "variability (std of p[target])", "confidence (mean p[target])");
    if (data.grid() == null) {
      for (DynamicsData.MapPoint p : data.points()) {
        svg.circle(
            plot.px(p.variability()),
            plot.py(p.confidence()),
            2.5,
            correctnessColor(p.correctness()),
            0.8,
            String.format(
                Locale.ROOT,
                "sample %d: confidence %.3f, variability %.3f, correctness %.2f",
                p.sampleId(),
                p.confidence(),
                p.variability(),
                p.correctness()));
      }
    } else {
      long[][] grid = data.grid();
      long max = 1;
      for (long[] row : grid) {
        for (long c : row) {
          max = Math.max(max, c);
        }
      }
      int vBins = grid.length;
      for (int v = 0; v < vBins; v++) {
        int cBins = grid[v].length;
        for (int c = 0; c < cBins; c++) {
          if (grid[v][c] == 0) {
            continue;
          }
          double x0 = plot.px(0.5 * v / vBins);
          double x1 = plot.px(0.5 * (v + 1) / vBins);
          double y0 = plot.py((c + 1) / (double) cBins);
          double y1 = plot.py(c / (double) cBins);
          // shade by log count so that sparse cells (where label errors sit) stay visible
          double share = Math.log1p(grid[v][c]) / Math.log1p(max);
          svg.rect(
              x0,
              y0,
              Math.max(1, x1 - x0 - 1),
              Math.max(1, y1 - y0 - 1),
              Heatmap.shade(share),
              String.format(
                  Locale.ROOT,
                  "variability %.3f-%.3f, confidence %.2f-%.2f: %d examples, mean correctness %.2f",
                  0.5 * v / vBins,
                  0.5 * (v + 1) / vBins,
                  c / (double) cBins,
                  (c + 1) / (double) cBins,
                  grid[v][c],
                  data.gridCorrectness()[v][c]));
        }
      }
    }
    List<Plot.Entry> legend = new ArrayList<>();
    if (data.grid() == null) {
      for (int i = 0; i <= 5; i++) {
        legend.add(new Plot.Entry(names.get(i), CORRECTNESS_COLORS[i], Plot.Mark.DOT));
      }
    } else {
      legend.add(new Plot.Entry("few examples", Heatmap.shade(0.15), Plot.Mark.BOX));
      legend.add(new Plot.Entry("many examples", Heatmap.shade(1), Plot.Mark.BOX));
    }
    plot.legend(legend);
    return svg.finish();
  }
}
