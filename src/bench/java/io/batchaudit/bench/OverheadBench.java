package io.batchaudit.bench;

import io.batchaudit.config.JobConfig;
import io.batchaudit.config.Keys;
import io.batchaudit.train.RunSummary;
import io.batchaudit.train.TrainingJob;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * What auditing costs in training: examples per second of parameter-averaged training on Spark
 * {@code local[2]}, same data, network and settings, for four variants run alternately (A B C D A B
 * C D ...): (a) no audit, (b) the default audit, (c) the naive hook ({@link NaiveOutputHook}), (d)
 * the default audit plus features.
 *
 * <p>Ratios are paired: in every cycle, the time of a variant over the time of (a) in the same
 * cycle; the result is the median of those per-cycle ratios, with their range. On a shared machine
 * run times drift by several percent over minutes; pairing within a cycle cancels the drift that
 * medians of times would keep.
 */
public final class OverheadBench {
  /**
   * Median seconds and examples per second of each variant, and the ratios to (a).
   *
   * @param network the network's name, its layer sizes
   * @param batchSize rows per minibatch
   * @param averagingFrequency minibatches each worker fits per averaging round
   */
  public record Result(
      String network,
      int batchSize,
      int averagingFrequency,
      long examplesPerRun,
      Map<String, Double> medianSeconds,
      Map<String, Double> ratios,
      Map<String, double[]> ratioRange) {}

  static final List<String> VARIANTS =
      List.of("a-no-audit", "b-audit", "c-naive-hook", "d-audit+features");

  /**
   * One configuration: the network, the data and the minibatches.
   *
   * @param name the network's name, its layer sizes
   * @param rows rows of synthetic data (per epoch), full run and {@code --quick}
   * @param features input width
   * @param classes output width
   * @param hidden the hidden layers' widths, comma-separated
   * @param batchSize rows per minibatch, full run and {@code --quick}
   * @param averagingFrequency minibatches per averaging round
   */
  record Setup(
      String name,
      int rows,
      int quickRows,
      int features,
      int classes,
      String hidden,
      int batchSize,
      int quickBatchSize,
      int averagingFrequency) {}

  /** The small and wide networks: Spark's per-round cost is most of every round. */
  static final Setup SMALL = new Setup("small 4-16-3", 8000, 2000, 4, 3, "16", 32, 32, 5);

  static final Setup WIDE =
      new Setup("wide 784-256-256-10", 6400, 400, 784, 10, "256,256", 32, 32, 5);

  /**
   * Compute-bound: a wider, deeper network, minibatches of 256 and 10 of them per averaging round
   * and worker, so that DL4J's fit (forward and backward pass of every minibatch) is most of every
   * round and a second forward pass per minibatch shows. 5,120 rows: one round per epoch. {@code
   * --quick}: 640 rows in minibatches of 64, one round of 5 per worker and epoch, the same network.
   */
  static final Setup COMPUTE =
      new Setup("compute 784-512-512-10", 5_120, 640, 784, 10, "512,512", 256, 64, 10);

  private OverheadBench() {}

  /** The default suite's configurations: small, wide and compute-bound. */
  public static List<Result> run(Path dir, boolean quick, PrintWriter progress) {
    return run(dir, List.of(SMALL, WIDE, COMPUTE), quick, progress);
  }

  /** The compute-bound configuration alone ({@code bench --suite compute}). */
  public static List<Result> runCompute(Path dir, boolean quick, PrintWriter progress) {
    return run(dir, List.of(COMPUTE), quick, progress);
  }

  private static List<Result> run(
      Path dir, List<Setup> setups, boolean quick, PrintWriter progress) {
    return run(dir.toAbsolutePath().toUri().toString(), Map.of(), setups, quick, progress);
  }

  /**
   * The small and wide networks with every run's output under {@code base}, any Hadoop URI (the
   * store suite runs it on hdfs: and s3a:), reached with the {@code spark.hadoop.*} properties
   * given.
   */
  public static List<Result> run(
      String base, Map<String, String> sparkHadoop, boolean quick, PrintWriter progress) {
    return run(base, sparkHadoop, List.of(SMALL, WIDE), quick, VARIANTS, quick ? 1 : 7, progress);
  }

  /**
   * The small and wide networks as {@link #run(String, Map, boolean, PrintWriter)} runs them, with
   * only {@code variants} (the first of them is the one the ratios are to) in {@code repetitions}
   * timed cycles after the warm-up.
   */
  public static List<Result> run(
      String base,
      Map<String, String> sparkHadoop,
      boolean quick,
      List<String> variants,
      int repetitions,
      PrintWriter progress) {
    return run(base, sparkHadoop, List.of(SMALL, WIDE), quick, variants, repetitions, progress);
  }

  private static List<Result> run(
      String base,
      Map<String, String> sparkHadoop,
      List<Setup> setups,
      boolean quick,
      PrintWriter progress) {
    return run(base, sparkHadoop, setups, quick, VARIANTS, quick ? 1 : 7, progress);
  }

  private static List<Result> run(
      String base,
      Map<String, String> sparkHadoop,
      List<Setup> setups,
      boolean quick,
      List<String> variants,
      int reps,
      PrintWriter progress) {
    String dir = base.endsWith("/") ? base : base + "/";
    SparkConf conf =
        new SparkConf()
            .setMaster("local[2]")
            .setAppName("batch-audit bench")
            .set("spark.ui.enabled", "false")
            .set("spark.ui.showConsoleProgress", "false");
    sparkHadoop.forEach(conf::set);
    List<Result> results = new ArrayList<>();
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      for (Setup s : setups) {
        results.add(network(sc, dir, s, quick, variants, reps, progress));
      }
    }
    return results;
  }

  private static Result network(
      JavaSparkContext sc,
      String dir,
      Setup setup,
      boolean quick,
      List<String> variants,
      int reps,
      PrintWriter progress) {
    String name = setup.name();
    String data =
        "synthetic:rows="
            + (quick ? setup.quickRows() : setup.rows())
            + ",features="
            + setup.features()
            + ",classes="
            + setup.classes();
    int batch = quick ? setup.quickBatchSize() : setup.batchSize();
    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    variants.forEach(v -> seconds.put(v, new ArrayList<>()));
    long examples = 0;
    for (int rep = -1; rep < reps; rep++) { // rep -1 warms up the JIT and Spark, untimed
      for (String v : variants) {
        // a folder of its own for every run: overwriting the previous run's would delete it
        // first, untimed but slow on s3a: (one bulk delete S3Proxy answers after about 60 s)
        RunSummary s =
            train(
                sc,
                dir
                    + "overhead-"
                    + setup.name().replaceAll("[^A-Za-z0-9]+", "-")
                    + "-"
                    + v
                    + "-"
                    + (rep + 1),
                v,
                data,
                setup.hidden(),
                batch,
                setup.averagingFrequency());
        examples = s.examplesPerEpoch().stream().mapToLong(Long::longValue).sum();
        if (rep >= 0) {
          seconds.get(v).add(s.seconds());
        }
        progress.printf(
            Locale.ROOT, "%s %s%s: %.2f s%n", name, v, rep < 0 ? " (warm-up)" : "", s.seconds());
        progress.flush();
      }
    }
    Map<String, Double> medians = new LinkedHashMap<>();
    seconds.forEach(
        (v, l) -> medians.put(v, IoBench.median(l.stream().mapToDouble(d -> d).toArray())));
    Map<String, Double> ratios = new LinkedHashMap<>();
    Map<String, double[]> range = new LinkedHashMap<>();
    List<Double> base = seconds.get(variants.get(0));
    for (String v : variants) {
      double[] paired = new double[base.size()];
      for (int i = 0; i < paired.length; i++) {
        paired[i] = seconds.get(v).get(i) / base.get(i);
      }
      ratios.put(v, IoBench.median(paired));
      range.put(
          v,
          new double[] {
            java.util.Arrays.stream(paired).min().orElse(1),
            java.util.Arrays.stream(paired).max().orElse(1)
          });
    }
    return new Result(name, batch, setup.averagingFrequency(), examples, medians, ratios, range);
  }

  private static RunSummary train(
      JavaSparkContext sc,
      String out,
      String variant,
      String data,
      String hidden,
      int batchSize,
      int averagingFrequency) {
    JobConfig.Builder b =
        JobConfig.builder()
            .set(Keys.OUT, out)
            .set(Keys.DATA, data)
            .set(Keys.HIDDEN_LAYERS, hidden)
            .set(Keys.EPOCHS, "2")
            .set(Keys.WORKERS, "2")
            .set(Keys.BATCH_SIZE, String.valueOf(batchSize))
            .set(Keys.AVERAGING_FREQUENCY, String.valueOf(averagingFrequency))
            .set(Keys.SEED, "42")
            .set(Keys.AUDIT, variant.startsWith("a") || variant.startsWith("c") ? "false" : "true")
            // the audit's cost on DL4J's Direct approach, as measured before Export became the
            // default; the approach suite (ApproachBench) measures Export's
            .set(Keys.RDD_APPROACH, "direct")
            .set(Keys.AUDIT_FEATURES, String.valueOf(variant.startsWith("d")));
    TrainingJob.Builder job =
        TrainingJob.builder(b.build()).overwrite().progress(new PrintWriter(new StringWriter()));
    if (variant.startsWith("c")) {
      job.hook(new NaiveOutputHook());
    }
    return job.build().run(sc);
  }

  public static void print(PrintWriter out, List<Result> results) {
    out.println(
        "training overhead: Spark local[2], 2 workers, 2 epochs; median of alternating runs;"
            + " ratio = median of per-cycle ratios to (a), with range");
    out.printf(
        "%-26s %5s %5s %-18s %10s %12s %8s  %s%n",
        "network", "batch", "avg", "variant", "seconds", "examples/s", "ratio", "range");
    for (Result r : results) {
      for (String v : VARIANTS) {
        double s = r.medianSeconds().get(v);
        out.printf(
            Locale.ROOT,
            "%-26s %5d %5d %-18s %10.2f %,12.0f %8.3f  %.3f-%.3f%n",
            r.network(),
            r.batchSize(),
            r.averagingFrequency(),
            v,
            s,
            r.examplesPerRun() / s,
            r.ratios().get(v),
            r.ratioRange().get(v)[0],
            r.ratioRange().get(v)[1]);
      }
    }
    out.flush();
  }
}
