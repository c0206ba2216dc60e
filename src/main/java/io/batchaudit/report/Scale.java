package io.batchaudit.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One axis: the value range drawn, and the tick positions with their labels. Numeric axes get
 * "nice" ticks (1, 2 or 5 times a power of ten) that include the data range; category axes put one
 * tick per category at 0, 1, 2, ... and leave labels out evenly when there are too many to read.
 *
 * @param min value at the start of the axis
 * @param max value at the end of the axis ({@code > min})
 * @param ticks tick positions, ascending
 * @param labels the label of each tick ({@code ""} for an unlabelled tick)
 */
record Scale(double min, double max, List<Double> ticks, List<String> labels) {

  Scale {
    if (!(max > min) || !Double.isFinite(min) || !Double.isFinite(max)) {
      throw new IllegalArgumentException(
          "Axis range must be finite and max > min: " + min + ".." + max);
    }
    ticks = List.copyOf(ticks);
    labels = List.copyOf(labels);
  }

  /** A numeric axis covering {@code lo..hi} with about {@code count} nice ticks. */
  static Scale numeric(double lo, double hi, int count) {
    return numeric(lo, hi, count, false);
  }

  /**
   * A numeric axis covering {@code lo..hi} with about {@code count} nice ticks; {@code whole} puts
   * ticks on whole numbers only (for epochs).
   */
  static Scale numeric(double lo, double hi, int count, boolean whole) {
    if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
      lo = 0;
      hi = 1;
    }
    if (hi < lo) {
      double t = lo;
      lo = hi;
      hi = t;
    }
    if (hi == lo) {
      double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
      lo -= pad;
      hi += pad;
    }
    double step = niceStep((hi - lo) / Math.max(1, count - 1));
    if (whole) {
      step = Math.max(1, step);
    }
    double min = Math.floor(lo / step) * step;
    double max = Math.ceil(hi / step) * step;
    if (max <= min) {
      max = min + step;
    }
    List<Double> ticks = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    for (int i = 0; min + i * step <= max + step * 1e-6; i++) {
      double t = min + i * step;
      ticks.add(t);
      labels.add(label(t, decimals));
    }
    return new Scale(min, max, ticks, labels);
  }

  /** A category axis: one tick per name at 0, 1, ...; at most {@code maxLabels} labelled. */
  static Scale categories(List<String> names, int maxLabels) {
    int n = Math.max(1, names.size());
    int every = (int) Math.ceil(n / (double) Math.max(1, maxLabels));
    List<Double> ticks = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      ticks.add((double) i);
      labels.add(i % every == 0 ? names.get(i) : "");
    }
    return new Scale(-0.5, n - 0.5, ticks, labels);
  }

  /** Where {@code v} lies on the axis: 0 at {@link #min}, 1 at {@link #max}. */
  double fraction(double v) {
    return (v - min) / (max - min);
  }

  private static double niceStep(double raw) {
    if (!(raw > 0) || !Double.isFinite(raw)) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / power;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return nice * power;
  }

  private static String label(double v, int decimals) {
    if (Math.abs(v) < 1e-12) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 1e6) {
      return String.format(Locale.ROOT, "%.3g", v).replace("e+0", "e").replace("e+", "e");
    }
    if (decimals > 6) {
      return String.format(Locale.ROOT, "%.2g", v);
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** A value for tables and tooltips: four significant digits, no exponent for usual sizes. */
  static String format(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "∞" : "-∞";
    }
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e7)) {
      return String.format(Locale.ROOT, "%.3e", v);
    }
    String s = String.format(Locale.ROOT, "%.4f", v);
    return a >= 1000 ? String.format(Locale.ROOT, "%.1f", v) : s;
  }
}
