package io.batchaudit.bench;

import io.batchaudit.config.JobConfig;
import io.batchaudit.config.Keys;
import io.batchaudit.train.RunSummary;
import io.batchaudit.train.TrainingJob;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * DL4J's two training approaches side by side, each without and with the audit: training seconds
 * (the job's training loop; for Export it includes the export, written once, in the first epoch) on
 * Spark {@code local[2]}, same data, network and settings, four variants run alternately (direct,
 * direct+audit, export, export+audit, then again), as {@link OverheadBench} does. Ratios are paired
 * within a cycle, to Direct without audit; the result is their median and range.
 *
 * <p>Not timed: the job's one Spark job that counts the training partitions for Export's split
 * plan, before training (a pass over the examples, without training).
 */
public final class ApproachBench {
  /** Median seconds of each variant, examples trained per run, and the paired ratios. */
  public record Result(
      String network,
      Map<String, Long> examplesPerRun,
      Map<String, Double> medianSeconds,
      Map<String, Double> ratios,
      Map<String, double[]> ratioRange) {}

  static final List<String> VARIANTS = List.of("direct", "direct+audit", "export", "export+audit");

  private ApproachBench() {}

  public static Result run(Path dir, boolean quick, PrintWriter progress) {
    SparkConf conf =
        new SparkConf()
            .setMaster("local[2]")
            .setAppName("batch-audit bench approach")
            .set("spark.ui.enabled", "false")
            .set("spark.ui.showConsoleProgress", "false");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      String data = "synthetic:rows=" + (quick ? 1000 : 8000) + ",features=4,classes=3";
      int reps = quick ? 1 : 7;
      Map<String, List<Double>> seconds = new LinkedHashMap<>();
      Map<String, Long> examples = new LinkedHashMap<>();
      VARIANTS.forEach(v -> seconds.put(v, new ArrayList<>()));
      for (int rep = quick ? 0 : -1; rep < reps; rep++) { // rep -1 warms up, untimed
        for (String v : VARIANTS) {
          RunSummary s = train(sc, dir.resolve("approach-run"), v, data);
          examples.put(v, s.examplesPerEpoch().stream().mapToLong(Long::longValue).sum());
          if (rep >= 0) {
            seconds.get(v).add(s.seconds());
          }
          progress.printf(
              Locale.ROOT, "approach %s%s: %.2f s%n", v, rep < 0 ? " (warm-up)" : "", s.seconds());
          progress.flush();
        }
      }
      Map<String, Double> medians = new LinkedHashMap<>();
      Map<String, Double> ratios = new LinkedHashMap<>();
      Map<String, double[]> range = new LinkedHashMap<>();
      List<Double> base = seconds.get("direct");
      for (String v : VARIANTS) {
        medians.put(v, IoBench.median(seconds.get(v).stream().mapToDouble(d -> d).toArray()));
        double[] paired = new double[base.size()];
        for (int i = 0; i < paired.length; i++) {
          paired[i] = seconds.get(v).get(i) / base.get(i);
        }
        ratios.put(v, IoBench.median(paired));
        range.put(
            v,
            new double[] {
              Arrays.stream(paired).min().orElse(1), Arrays.stream(paired).max().orElse(1)
            });
      }
      return new Result("small 4-16-3, " + data, examples, medians, ratios, range);
    }
  }

  private static RunSummary train(JavaSparkContext sc, Path out, String variant, String data) {
    JobConfig config =
        JobConfig.builder()
            .set(Keys.OUT, out.toString())
            .set(Keys.DATA, data)
            .set(Keys.HIDDEN_LAYERS, "16")
            .set(Keys.EPOCHS, "2")
            .set(Keys.WORKERS, "2")
            .set(Keys.BATCH_SIZE, "32")
            .set(Keys.AVERAGING_FREQUENCY, "5")
            .set(Keys.SEED, "42")
            .set(Keys.RDD_APPROACH, variant.startsWith("export") ? "export" : "direct")
            .set(Keys.AUDIT, String.valueOf(variant.endsWith("+audit")))
            .build();
    return TrainingJob.builder(config)
        .overwrite()
        .progress(new PrintWriter(new StringWriter()))
        .build()
        .run(sc);
  }

  public static void print(PrintWriter out, Result r) {
    out.println(
        "training approaches: Spark local[2], 2 workers, batch 32, averaging every 5, 2 epochs, "
            + r.network()
            + "; median of alternating runs; ratio = median of per-cycle ratios to direct, with"
            + " range");
    out.printf(
        "%-14s %10s %10s %12s %8s  %s%n",
        "variant", "examples", "seconds", "examples/s", "ratio", "range");
    for (String v : VARIANTS) {
      double s = r.medianSeconds().get(v);
      out.printf(
          Locale.ROOT,
          "%-14s %10d %10.2f %,12.0f %8.3f  %.3f-%.3f%n",
          v,
          r.examplesPerRun().get(v),
          s,
          r.examplesPerRun().get(v) / s,
          r.ratios().get(v),
          r.ratioRange().get(v)[0],
          r.ratioRange().get(v)[1]);
    }
    out.flush();
  }
}
