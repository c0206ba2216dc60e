package io.batchaudit.bench;

import io.batchaudit.cli.ExitCodes;
import io.batchaudit.cli.ExtraCommand;
import io.batchaudit.store.Json;
import io.batchaudit.store.parquet.WriterOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code batch-audit bench}: benchmarks, measured side by side in one run. An {@link ExtraCommand}:
 * the CLI finds it through {@code META-INF/services} when {@code target/bench-classes} is on the
 * classpath ({@code jobs/batch-audit}, the tests); the jars do not carry it.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks, every comparison measured side by side in one run.",
      "Suite 'all' (default): training overhead of the audit against no audit and a naive hook",
      "(alternating runs) on a small, a wide and a compute-bound network, writer and reader",
      "against plain parquet-java, bytes per float.",
      "Suite 'compute': the training overhead on the compute-bound network only.",
      "Suite 'scale': ordered reads of 1 and 10 million rows with -Xmx256m, before and after",
      "compaction, and 10 to 1000 rounds per epoch.",
      "Suite 'store': the commit protocol on file:, hdfs: and s3a: (servers started by jobs/hdfs",
      "and jobs/s3): staging, commit time against files and bytes, compaction, ordered reads,",
      "an epoch of 10,000 task files, and the training overhead with outputs on each store.",
      "Suite 'store-epoch': on each store, one epoch of 100,000 task files (--epoch 100x1000:",
      "100 workers x 1,000 rounds; --task-rows rows each) created 32 at a time through the",
      "real staging and sealing code, committed, and read back in training order.",
      "Suite 'store-overhead': the store suite's training overhead part alone, the audit (b)",
      "against no audit (a) in --repetitions paired cycles (default 7; --quick: 1).",
      "Both take --stores (default file:,hdfs:,s3a:).",
      "Suite 'approach': DL4J's Direct and Export approaches, each without and with the audit",
      "(alternating runs).",
      "Suite 'dynamics': the dynamics command (Spark) against DuckDB computing the same",
      "per-example aggregates over the same committed files, on 10 million rows.",
      "Suite 'read': the ordered read against DuckDB's ordered read and unordered scan of the",
      "same files (committed and compacted), and column projections; 'all' runs it too."
    })
public final class BenchCommand implements ExtraCommand {
  @Spec CommandSpec spec;

  @Option(
      names = "--suite",
      defaultValue = "all",
      description =
          "all: training overhead, writer, reader, size, read against DuckDB (default); scale:"
              + " read scale; read: read against DuckDB only; compute: the training overhead on the"
              + " compute-bound network only; store: the commit protocol on file:,"
              + " hdfs: and s3a:; store-epoch: a 100,000-file epoch on each store;"
              + " store-overhead: the training overhead on each store; approach: Direct and"
              + " Export, without and with audit; dynamics: dynamics against DuckDB.")
  String suite;

  @Option(
      names = "--stores",
      paramLabel = "STORES",
      split = ",",
      defaultValue = "file:,hdfs:,s3a:",
      description =
          "Suites store-epoch and store-overhead: the stores, comma-separated, of file:, hdfs:"
              + " (jobs/hdfs) and s3a: (jobs/s3) (default ${DEFAULT-VALUE}).")
  List<String> stores;

  @Option(
      names = "--epoch",
      paramLabel = "WORKERSxROUNDS",
      defaultValue = "100x1000",
      description =
          "Suite store-epoch: task files of the epoch, workers x rounds (default"
              + " ${DEFAULT-VALUE}: 100,000 files); --quick: 10x10.")
  String epoch;

  @Option(
      names = "--repetitions",
      paramLabel = "N",
      defaultValue = "7",
      description =
          "Suite store-overhead: timed cycles of (a) no audit and (b) the audit after the"
              + " warm-up (default ${DEFAULT-VALUE}); --quick: 1.")
  int repetitions;

  @Option(
      names = "--task-rows",
      paramLabel = "ROWS",
      defaultValue = "8",
      description =
          "Suite store-epoch: rows in each task file (default ${DEFAULT-VALUE}: one minibatch"
              + " of 8 rows, 10 classes; larger files measure how the commit grows with bytes).")
  int taskRows;

  @Option(
      names = "--read-rows",
      paramLabel = "ROWS",
      defaultValue = "10000000",
      description =
          "Rows of the log the read suite measures (default ${DEFAULT-VALUE}: 10 epochs x 100"
              + " rounds x 4 partitions; one epoch per million rows); --quick: 40000.")
  long readRows;

  @Option(names = "--quick", description = "Small sizes: checks that the benchmark works.")
  boolean quick;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = "target/bench",
      description = "Working folder for the logs it writes (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter progress = spec.commandLine().getErr();
    switch (suite) {
      case "store" -> {
        List<StoreBench.Row> rows = StoreBench.run(dir, quick, progress);
        if (json) {
          out.println(Json.compact(Map.of("store", rows)));
        } else {
          StoreBench.print(out, rows);
        }
      }
      case "store-epoch", "store-overhead" -> {
        StoreBench.Part part;
        if (suite.equals("store-overhead")) {
          if (repetitions < 1) {
            throw new IllegalArgumentException(
                "--repetitions " + repetitions + " is not a number of cycles: give 1 or more");
          }
          int reps = quick ? 1 : repetitions;
          part = (s, p) -> StoreBench.overhead(s, quick, reps, p);
        } else {
          int[] wr = workersAndRounds(quick ? "10x10" : epoch);
          if (taskRows < 1) {
            throw new IllegalArgumentException(
                "--task-rows " + taskRows + " is not a number of rows: give 1 or more");
          }
          part = (s, p) -> StoreBench.epoch(s, wr[0], wr[1], taskRows, p);
        }
        List<StoreBench.Row> rows = StoreBench.run(dir, stores, part, progress);
        if (json) {
          out.println(Json.compact(Map.of("store", rows)));
        } else {
          StoreBench.print(out, rows);
        }
      }
      case "dynamics" -> {
        DynamicsBench.Result r = DynamicsBench.run(dir, quick, progress);
        if (json) {
          out.println(Json.compact(Map.of("dynamics", r)));
        } else {
          DynamicsBench.print(out, r);
        }
      }
      case "scale" -> {
        List<ScaleBench.Row> rows = ScaleBench.run(dir, quick, progress);
        if (json) {
          out.println(Json.compact(Map.of("scale", rows)));
        } else {
          ScaleBench.print(out, rows);
        }
      }
      case "approach" -> {
        ApproachBench.Result result = ApproachBench.run(dir, quick, progress);
        if (json) {
          out.println(Json.compact(Map.of("approach", result)));
        } else {
          ApproachBench.print(out, result);
        }
      }
      case "compute" -> {
        List<OverheadBench.Result> overhead = OverheadBench.runCompute(dir, quick, progress);
        if (json) {
          Map<String, Object> o = new java.util.LinkedHashMap<>();
          o.put("overheadCompute", overhead.get(0).ratios().get("b-audit"));
          o.put("naiveOverheadCompute", overhead.get(0).ratios().get("c-naive-hook"));
          o.put("featuresOverheadCompute", overhead.get(0).ratios().get("d-audit+features"));
          o.put("overhead", overhead);
          out.println(Json.compact(o));
        } else {
          OverheadBench.print(out, overhead);
        }
      }
      case "read" -> {
        List<ReadBench.Layout> read = ReadBench.run(dir, quick, readRows, progress);
        if (json) {
          Map<String, Object> o = new java.util.LinkedHashMap<>(ReadBench.summary(read));
          o.put("read", read);
          out.println(Json.compact(o));
        } else {
          ReadBench.print(out, read);
        }
      }
      case "all" -> {
        List<OverheadBench.Result> overhead = OverheadBench.run(dir, quick, progress);
        long rows = quick ? 50_000 : 1_000_000;
        int reps = quick ? 1 : 5;
        progress.println("writer: " + rows + " rows, " + reps + " alternating repetitions ...");
        progress.flush();
        IoBench.Throughput writer = IoBench.writer(dir, rows, reps);
        progress.println("reader: " + rows + " rows ...");
        progress.flush();
        IoBench.Throughput reader = IoBench.reader(dir, rows, quick ? 1 : 3);
        List<IoBench.Size> sizes = IoBench.sizes(dir, quick ? 20_000 : 200_000);
        IoBench.Size chosen =
            sizes.stream()
                .filter(
                    z ->
                        z.codec().equals(WriterOptions.DEFAULTS.compression())
                            && z.predictionDictionary() == WriterOptions.DEFAULTS.floatDictionary())
                .findFirst()
                .orElseThrow();
        List<ReadBench.Layout> read = ReadBench.run(dir, quick, readRows, progress);
        if (json) {
          Map<String, Object> o = new java.util.LinkedHashMap<>();
          o.put("overheadSmall", overhead.get(0).ratios().get("b-audit"));
          o.put("overheadWide", overhead.get(1).ratios().get("b-audit"));
          o.put("naiveOverheadSmall", overhead.get(0).ratios().get("c-naive-hook"));
          o.put("naiveOverheadWide", overhead.get(1).ratios().get("c-naive-hook"));
          o.put("featuresOverheadSmall", overhead.get(0).ratios().get("d-audit+features"));
          o.put("featuresOverheadWide", overhead.get(1).ratios().get("d-audit+features"));
          o.put("overheadCompute", overhead.get(2).ratios().get("b-audit"));
          o.put("naiveOverheadCompute", overhead.get(2).ratios().get("c-naive-hook"));
          o.put("featuresOverheadCompute", overhead.get(2).ratios().get("d-audit+features"));
          o.put("writerRatio", writer.ratio());
          o.put("readerRatio", reader.ratio());
          o.put("bytesPerPredictionFloat", chosen.bytesPerPredictionFloat());
          o.put("bytesPerTargetFloat", chosen.bytesPerTargetFloat());
          o.put("overhead", overhead);
          o.put("writer", writer);
          o.put("reader", reader);
          o.put("sizes", sizes);
          o.putAll(ReadBench.summary(read));
          o.put("read", read);
          out.println(Json.compact(o));
        } else {
          OverheadBench.print(out, overhead);
          out.printf(
              java.util.Locale.ROOT,
              "writer: %,.0f rows/s, plain parquet-java (Group writer) %,.0f rows/s, ratio %.2f%n",
              writer.oursRowsPerSecond(),
              writer.plainRowsPerSecond(),
              writer.ratio());
          out.printf(
              java.util.Locale.ROOT,
              "reader: ordered %,.0f rows/s (peak heap %d MB), plain unordered %,.0f rows/s (%d MB),"
                  + " ratio %.2f%n",
              reader.oursRowsPerSecond(),
              reader.oursPeakHeapBytes() >> 20,
              reader.plainRowsPerSecond(),
              reader.plainPeakHeapBytes() >> 20,
              reader.ratio());
          for (IoBench.Size z : sizes) {
            out.printf(
                java.util.Locale.ROOT,
                "size: %-6s float dictionary %-5s target %.3f B/float, prediction %.3f B/float%s%n",
                z.codec(),
                z.predictionDictionary(),
                z.bytesPerTargetFloat(),
                z.bytesPerPredictionFloat(),
                z == chosen ? "  (default)" : "");
          }
          ReadBench.print(out, read);
        }
      }
      default ->
          throw new IllegalArgumentException(
              "Unknown --suite '"
                  + suite
                  + "': use all, compute, scale, read, store, store-epoch, store-overhead,"
                  + " approach or dynamics");
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** {@code --epoch WORKERSxROUNDS}, both at least 1. */
  private static int[] workersAndRounds(String value) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d{1,6})x(\\d{1,6})").matcher(value);
    if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(2)) < 1) {
      throw new IllegalArgumentException(
          "--epoch '"
              + value
              + "' is not WORKERSxROUNDS: give two positive numbers, e.g. 100x1000");
    }
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
  }
}
