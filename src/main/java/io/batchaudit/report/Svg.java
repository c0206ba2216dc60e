package io.batchaudit.report;

import java.util.Locale;

/**
 * One SVG document being built, element by element in drawing order. Every text and attribute value
 * that comes from data goes through {@link #escape}; coordinates are written with one decimal.
 */
final class Svg {
  /** Colours of series, in order (Tableau 10: distinguishable, also in grey-scale print). */
  static final String[] PALETTE = {
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"
  };

  static final String AXIS = "#333";
  static final String GRID = "#e3e3e3";

  private final StringBuilder out = new StringBuilder();
  private final int width;
  private final int height;

  /** Starts a chart of {@code width x height} pixels whose accessible name is {@code title}. */
  Svg(int width, int height, String title) {
    this.width = width;
    this.height = height;
    out.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\" role=\"img\" aria-label=\"")
        .append(escape(title))
        .append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n")
        .append("<title>")
        .append(escape(title))
        .append("</title>\n");
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  /** The colour of series {@code i}. */
  static String color(int i) {
    return PALETTE[Math.floorMod(i, PALETTE.length)];
  }

  /** Text at (x, y); {@code anchor} is start, middle or end; {@code extra} raw attributes. */
  Svg text(double x, double y, String text, String anchor, String extra) {
    out.append("<text x=\"")
        .append(n(x))
        .append("\" y=\"")
        .append(n(y))
        .append("\" text-anchor=\"")
        .append(anchor)
        .append('"');
    if (!extra.isEmpty()) {
      out.append(' ').append(extra);
    }
    out.append('>').append(escape(text)).append("</text>\n");
    return this;
  }

  Svg line(double x1, double y1, double x2, double y2, String stroke, double strokeWidth) {
    out.append("<line x1=\"")
        .append(n(x1))
        .append("\" y1=\"")
        .append(n(y1))
        .append("\" x2=\"")
        .append(n(x2))
        .append("\" y2=\"")
        .append(n(y2))
        .append("\" stroke=\"")
        .append(stroke)
        .append("\" stroke-width=\"")
        .append(n(strokeWidth))
        .append("\"/>\n");
    return this;
  }

  /** A filled rectangle; {@code tooltip} (may be empty) shows on hover. */
  Svg rect(double x, double y, double w, double h, String fill, String tooltip) {
    out.append("<rect x=\"")
        .append(n(x))
        .append("\" y=\"")
        .append(n(y))
        .append("\" width=\"")
        .append(n(Math.max(0, w)))
        .append("\" height=\"")
        .append(n(Math.max(0, h)))
        .append("\" fill=\"")
        .append(fill)
        .append('"');
    return close(tooltip, "rect");
  }

  Svg circle(double cx, double cy, double r, String fill, double opacity, String tooltip) {
    out.append("<circle cx=\"")
        .append(n(cx))
        .append("\" cy=\"")
        .append(n(cy))
        .append("\" r=\"")
        .append(n(r))
        .append("\" fill=\"")
        .append(fill)
        .append("\" fill-opacity=\"")
        .append(n(opacity))
        .append('"');
    return close(tooltip, "circle");
  }

  /** An open line through the points, in order. */
  Svg polyline(double[] xs, double[] ys, String stroke, double strokeWidth, String dash) {
    out.append("<polyline fill=\"none\" stroke=\"")
        .append(stroke)
        .append("\" stroke-width=\"")
        .append(n(strokeWidth))
        .append("\" stroke-linejoin=\"round\"");
    if (!dash.isEmpty()) {
      out.append(" stroke-dasharray=\"").append(dash).append('"');
    }
    out.append(" points=\"");
    for (int i = 0; i < xs.length; i++) {
      out.append(i == 0 ? "" : " ").append(n(xs[i])).append(',').append(n(ys[i]));
    }
    out.append("\"/>\n");
    return this;
  }

  /** Opens a group of class {@code cls} (for example the legend, which is not data). */
  Svg group(String cls) {
    out.append("<g class=\"").append(escape(cls)).append("\">\n");
    return this;
  }

  /** Closes the group opened last. */
  Svg endGroup() {
    out.append("</g>\n");
    return this;
  }

  /** The finished document. */
  String finish() {
    return out.append("</svg>\n").toString();
  }

  private Svg close(String tooltip, String element) {
    if (tooltip.isEmpty()) {
      out.append("/>\n");
    } else {
      out.append("><title>")
          .append(escape(tooltip))
          .append("</title></")
          .append(element)
          .append(">\n");
    }
    return this;
  }

  /** Text made safe for XML and HTML content and attribute values (as {@link Html} escapes). */
  static String escape(String s) {
    return Html.escape(s);
  }

  /** A coordinate with one decimal. */
  static String n(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("Cannot draw at a non-finite coordinate: " + v);
    }
    long tenths = Math.round(v * 10);
    return tenths % 10 == 0
        ? Long.toString(tenths / 10)
        : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
  }
}
