package io.batchaudit.source;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Built-in source data, parsed from the {@code data} key (files are {@link TableSpec}s). The
 * canonical string form ({@link #toString()}) is stored with the run, so that {@code verify} can
 * reload the same data.
 *
 * <ul>
 *   <li>{@code iris}: the 150 Iris examples that ship in deeplearning4j-core ({@code iris.dat});
 *       sample id = 0-based line number.
 *   <li>{@code synthetic:rows=R,features=F,classes=C[,seed=S]}: seeded classification data.
 *   <li>{@code synthetic:rows=R,features=F,outputs=K[,seed=S]}: seeded regression data.
 * </ul>
 *
 * <p>Synthetic sample id = 0-based generator row; every row is a pure function of (seed, row), so
 * any partitioning regenerates the same examples.
 */
public record DataSpec(Kind kind, long rows, int features, int classes, int outputs, long seed)
    implements InputSpec {
  public static final long DEFAULT_SYNTHETIC_SEED = 7;

  public enum Kind {
    IRIS,
    SYNTHETIC_CLASSIFICATION,
    SYNTHETIC_REGRESSION
  }

  public static DataSpec iris() {
    return new DataSpec(Kind.IRIS, 150, 4, 3, 0, 0);
  }

  public boolean classification() {
    return kind != Kind.SYNTHETIC_REGRESSION;
  }

  /** The widths a network must fit. */
  public DataShape shape() {
    return new DataShape(features, labelWidth(), classification());
  }

  /** Width of a target row: the number of classes (one-hot) or of regression outputs. */
  public int labelWidth() {
    return classification() ? classes : outputs;
  }

  public static DataSpec parse(String text) {
    String s = text.trim();
    if (s.equals("iris")) {
      return iris();
    }
    String usage =
        "use iris, synthetic:rows=R,features=F,classes=C or synthetic:rows=R,features=F,outputs=K"
            + " (optionally ,seed=S)";
    if (!s.startsWith("synthetic:")) {
      throw new IllegalArgumentException("unknown data source: " + usage);
    }
    Map<String, Long> p = new LinkedHashMap<>();
    for (String part : s.substring("synthetic:".length()).split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("cannot read '" + part + "' as name=value: " + usage);
      }
      String name = kv[0].trim();
      if (!name.matches("rows|features|classes|outputs|seed")) {
        throw new IllegalArgumentException("unknown synthetic parameter '" + name + "': " + usage);
      }
      try {
        p.put(name, Long.parseLong(kv[1].trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "synthetic parameter " + name + " must be a whole number, got '" + kv[1].trim() + "'");
      }
    }
    if (!p.containsKey("rows") || !p.containsKey("features")) {
      throw new IllegalArgumentException("synthetic data needs rows and features: " + usage);
    }
    if (p.containsKey("classes") == p.containsKey("outputs")) {
      throw new IllegalArgumentException(
          "synthetic data needs exactly one of classes (classification) or outputs (regression): "
              + usage);
    }
    long rows = p.get("rows");
    long features = p.get("features");
    long seed = p.getOrDefault("seed", DEFAULT_SYNTHETIC_SEED);
    if (rows < 1 || features < 1 || features > 100_000) {
      throw new IllegalArgumentException(
          "synthetic data needs rows >= 1 and 1 <= features <= 100000, got rows="
              + rows
              + ", features="
              + features);
    }
    if (p.containsKey("classes")) {
      long c = p.get("classes");
      if (c < 2 || c > 100_000) {
        throw new IllegalArgumentException("synthetic classes must be 2..100000, got " + c);
      }
      return new DataSpec(Kind.SYNTHETIC_CLASSIFICATION, rows, (int) features, (int) c, 0, seed);
    }
    long k = p.get("outputs");
    if (k < 1 || k > 100_000) {
      throw new IllegalArgumentException("synthetic outputs must be 1..100000, got " + k);
    }
    return new DataSpec(Kind.SYNTHETIC_REGRESSION, rows, (int) features, 0, (int) k, seed);
  }

  @Override
  public String toString() {
    switch (kind) {
      case IRIS:
        return "iris";
      case SYNTHETIC_CLASSIFICATION:
        return "synthetic:rows="
            + rows
            + ",features="
            + features
            + ",classes="
            + classes
            + ",seed="
            + seed;
      default:
        return "synthetic:rows="
            + rows
            + ",features="
            + features
            + ",outputs="
            + outputs
            + ",seed="
            + seed;
    }
  }
}
