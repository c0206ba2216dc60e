package io.batchaudit.report;

import java.util.List;

/**
 * The frame shared by the charts with two axes: title, plot area, grid, ticks with labels, axis
 * titles and a legend to the right. Maps data values to pixels through the two {@link Scale}s.
 */
final class Plot {
  /** How a legend entry shows its series. */
  enum Mark {
    LINE,
    BOX,
    DOT
  }

  /** One legend entry. */
  record Entry(String name, String color, Mark mark) {}

  static final int WIDTH = 720;
  static final int HEIGHT = 360;
  private static final int MAX_LEGEND = 14;

  private final Svg svg;
  private final Scale x;
  private final Scale y;
  private final double left = 72;
  private final double top = 40;
  private final double right;
  private final double bottom;

  /** A frame on {@code svg} with room on the right for a legend of {@code legendNames}. */
  Plot(Svg svg, Scale x, Scale y, List<String> legendNames) {
    this.svg = svg;
    this.x = x;
    this.y = y;
    int longest = legendNames.stream().mapToInt(String::length).max().orElse(0);
    this.right =
        svg.width() - (legendNames.isEmpty() ? 24 : Math.min(280, 56 + Math.ceil(longest * 6.6)));
    this.bottom = svg.height() - 56;
  }

  double px(double v) {
    return left + x.fraction(v) * (right - left);
  }

  double py(double v) {
    return bottom - y.fraction(v) * (bottom - top);
  }

  /** Width in pixels of one unit on the x axis. */
  double xUnit() {
    return (right - left) / (x.max() - x.min());
  }

  double plotBottom() {
    return bottom;
  }

  /** Draws the title, the grid, both axes with ticks and labels, and the axis titles. */
  void axes(String title, String xTitle, String yTitle) {
    svg.text(left, 22, title, "start", "font-size=\"15\" font-weight=\"bold\"");
    for (int i = 0; i < y.ticks().size(); i++) {
      double py = py(y.ticks().get(i));
      svg.line(left, py, right, py, Svg.GRID, 1);
      svg.line(left - 5, py, left, py, Svg.AXIS, 1);
      svg.text(left - 8, py + 4, y.labels().get(i), "end", "");
    }
    for (int i = 0; i < x.ticks().size(); i++) {
      double px = px(x.ticks().get(i));
      svg.line(px, bottom, px, bottom + 5, Svg.AXIS, 1);
      if (!x.labels().get(i).isEmpty()) {
        svg.text(px, bottom + 19, x.labels().get(i), "middle", "");
      }
    }
    svg.line(left, bottom, right, bottom, Svg.AXIS, 1);
    svg.line(left, top, left, bottom, Svg.AXIS, 1);
    svg.text((left + right) / 2, bottom + 44, xTitle, "middle", "font-weight=\"bold\"");
    double cy = (top + bottom) / 2;
    svg.text(
        18,
        cy,
        yTitle,
        "middle",
        "font-weight=\"bold\" transform=\"rotate(-90 18 " + Svg.n(cy) + ")\"");
  }

  /** Draws the legend to the right of the plot area; more than 14 entries are summarized. */
  void legend(List<Entry> entries) {
    double lx = right + 16;
    double ly = top + 4;
    int shown = Math.min(entries.size(), MAX_LEGEND);
    svg.group("legend");
    for (int i = 0; i < shown; i++) {
      Entry e = entries.get(i);
      double cy = ly + i * 20;
      switch (e.mark()) {
        case LINE -> svg.line(lx, cy, lx + 22, cy, e.color(), 3);
        case BOX -> svg.rect(lx + 4, cy - 7, 14, 14, e.color(), "");
        case DOT -> svg.circle(lx + 11, cy, 5, e.color(), 1, "");
      }
      svg.text(lx + 30, cy + 4, e.name(), "start", "");
    }
    if (entries.size() > shown) {
      svg.text(
          lx,
          ly + shown * 20 + 4,
          "+" + (entries.size() - shown) + " more",
          "start",
          "fill=\"#666\"");
    }
    svg.endGroup();
  }
}
