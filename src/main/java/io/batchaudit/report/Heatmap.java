package io.batchaudit.report;

import java.util.List;
import java.util.Locale;

/**
 * A confusion-matrix heatmap: one row per target class, one column per predicted class, each cell
 * shaded by its share of the row (what fraction of that class's examples was predicted as the
 * column's class) and labelled with its count when the cell is large enough; a colour legend of the
 * share. Renders to one SVG element with {@link #toSvg()}.
 */
final class Heatmap {
  private final String title;
  private final String xTitle;
  private final String yTitle;
  private final List<String> labels;
  private final long[][] counts;

  /** {@code counts[target][predicted]}, square, one row and column per label. */
  Heatmap(String title, String xTitle, String yTitle, List<String> labels, long[][] counts) {
    if (counts.length != labels.size()) {
      throw new IllegalArgumentException(
          "Heatmap has " + counts.length + " rows for " + labels.size() + " labels");
    }
    for (long[] row : counts) {
      if (row.length != labels.size()) {
        throw new IllegalArgumentException(
            "Heatmap row has " + row.length + " cells for " + labels.size() + " labels");
      }
    }
    this.title = title;
    this.xTitle = xTitle;
    this.yTitle = yTitle;
    this.labels = List.copyOf(labels);
    this.counts = counts;
  }

  String toSvg() {
    int n = labels.size();
    double cell = Math.max(8, Math.min(56, 336.0 / Math.max(1, n)));
    double left = 84;
    double top = 64;
    double size = cell * n;
    int width = (int) Math.ceil(left + size + 110);
    int height = (int) Math.ceil(top + size + 34);
    Svg svg = new Svg(width, height, title);
    svg.text(8, 20, title, "start", "font-size=\"15\" font-weight=\"bold\"");
    svg.text(left + size / 2, 44, xTitle, "middle", "font-weight=\"bold\"");
    double cy = top + size / 2;
    svg.text(
        16,
        cy,
        yTitle,
        "middle",
        "font-weight=\"bold\" transform=\"rotate(-90 16 " + Svg.n(cy) + ")\"");
    boolean labelAll = cell >= 14;
    for (int i = 0; i < n; i++) {
      if (labelAll || i % (int) Math.ceil(14 / cell) == 0) {
        svg.text(left + i * cell + cell / 2, top - 6, labels.get(i), "middle", "");
        svg.text(left - 6, top + i * cell + cell / 2 + 4, labels.get(i), "end", "");
      }
    }
    for (int t = 0; t < n; t++) {
      long rowTotal = 0;
      for (long c : counts[t]) {
        rowTotal += c;
      }
      for (int p = 0; p < n; p++) {
        double share = rowTotal == 0 ? 0 : counts[t][p] / (double) rowTotal;
        double x = left + p * cell;
        double y = top + t * cell;
        svg.rect(
            x,
            y,
            cell - 1,
            cell - 1,
            shade(share),
            String.format(
                Locale.ROOT,
                "target %s, predicted %s: %d (%.1f%% of target %s)",
                labels.get(t),
                labels.get(p),
                counts[t][p],
                share * 100,
                labels.get(t)));
        if (cell >= 26) {
          svg.text(
              x + cell / 2,
              y + cell / 2 + 4,
              Long.toString(counts[t][p]),
              "middle",
              share > 0.5 ? "fill=\"#fff\"" : "fill=\"#222\"");
        }
      }
    }
    double lx = left + size + 20;
    svg.group("legend");
    svg.text(lx, top - 6, "share of row", "start", "");
    for (int i = 0; i <= 4; i++) {
      double share = 1 - i / 4.0;
      svg.rect(lx, top + i * 18, 16, 16, shade(share), "");
      svg.text(lx + 22, top + i * 18 + 12, (int) (share * 100) + "%", "start", "");
    }
    svg.endGroup();
    return svg.finish();
  }

  /** White for 0, dark blue for 1. */
  static String shade(double share) {
    double s = Math.max(0, Math.min(1, share));
    int r = (int) Math.round(247 + (8 - 247) * s);
    int g = (int) Math.round(251 + (48 - 251) * s);
    int b = (int) Math.round(255 + (107 - 255) * s);
    return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
  }
}
