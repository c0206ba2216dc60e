package io.batchaudit.bench;

import io.batchaudit.read.AuditLog;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.OptionalColumns;
import io.batchaudit.store.Phase;
import io.batchaudit.store.RoundStart;
import io.batchaudit.store.hadoop.HadoopSettings;
import io.batchaudit.store.parquet.WriterOptions;
import io.batchaudit.store.table.AcceptedAttempt;
import io.batchaudit.store.table.AuditLayout;
import io.batchaudit.store.table.AuditTable;
import io.batchaudit.store.table.Compactor;
import io.batchaudit.store.table.RunInfo;
import io.batchaudit.store.table.StagedFile;
import io.batchaudit.store.table.StagingArea;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * {@code bench --suite store}: the commit protocol's costs on {@code file:}, {@code hdfs:} and
 * {@code s3a:}, all on this machine (the servers started by {@code jobs/hdfs} and {@code jobs/s3},
 * stopped afterwards), through the real staging, sealing, commit, compaction and reading code (no
 * training): a task's staging cost (create, write, seal, marker), an epoch's commit time as files
 * and as bytes grow, compaction time, ordered read throughput, and one epoch of many small task
 * files (100 workers x 100 rounds in the full run) staged, committed and read; then the training
 * overhead benchmark of the default suite ({@link OverheadBench}) with its outputs on the store.
 *
 * <p>Runs in the bench JVM, one store after the other; every figure is one measurement (the servers
 * are shared by nothing else, the machine by everything else: run it twice to see the noise).
 */
final class StoreBench {
  private StoreBench() {}

  /** One figure: the store, the protocol its log used, what was measured, the value and unit. */
  record Row(String store, String protocol, String measure, double value, String unit) {}

  record Store(
      String name, String uri, Configuration conf, Map<String, String> spark, String stopScript) {}

  /** The stores a store suite runs on, in this order (the {@code --stores} values). */
  static final List<String> STORES = List.of("file:", "hdfs:", "s3a:");

  /** What one suite measures on one store. */
  interface Part {
    List<Row> measure(Store store, PrintWriter progress);
  }

  /** {@code bench --suite store}: everything, on every store. */
  static List<Row> run(java.nio.file.Path dir, boolean quick, PrintWriter progress) {
    return run(dir, STORES, (s, p) -> measure(s, quick, p), progress);
  }

  /**
   * Runs {@code part} on each of {@code stores} (a subset of {@link #STORES}, in that order), each
   * server started before and stopped after.
   *
   * @throws IllegalArgumentException if a store is not one of {@link #STORES}
   */
  static List<Row> run(
      java.nio.file.Path dir, List<String> stores, Part part, PrintWriter progress) {
    for (String name : stores) {
      if (!STORES.contains(name)) {
        throw new IllegalArgumentException(
            "Unknown store '"
                + name
                + "' in --stores: use a comma-separated subset of file:,hdfs:,s3a:");
      }
    }
    List<Row> rows = new ArrayList<>();
    List<Store> started = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      if (stores.contains("file:")) {
        started.add(
            new Store(
                "file:",
                dir.toAbsolutePath().resolve("store-" + System.nanoTime()).toUri().toString(),
                new Configuration(),
                Map.of(),
                null));
      }
      for (String script : List.of("hdfs", "s3")) {
        if (!stores.contains(script.equals("hdfs") ? "hdfs:" : "s3a:")) {
          continue;
        }
        try {
          started.add(start(script, progress));
        } catch (RuntimeException e) {
          script(script, "stop"); // started, but its output was not understood
          throw e;
        }
      }
      for (Store s : started) {
        progress.println("store " + s.name() + " at " + s.uri() + " ...");
        progress.flush();
        rows.addAll(part.measure(s, progress));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (Store s : started) {
        if (s.stopScript() != null) {
          script(s.stopScript(), "stop");
        }
      }
    }
    return rows;
  }

  private static Store start(String script, PrintWriter progress) {
    progress.println("starting jobs/" + script + " ...");
    progress.flush();
    List<String> lines = script(script, "start");
    String uri =
        lines.stream()
            .filter(l -> l.matches("(hdfs|s3a)://\\S*"))
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException("no URI in jobs/" + script + ":\n" + lines));
    String confDir =
        lines.stream()
            .filter(l -> l.startsWith("HADOOP_CONF_DIR="))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no HADOOP_CONF_DIR in: " + lines))
            .substring("HADOOP_CONF_DIR=".length());
    HadoopSettings settings = HadoopSettings.of(confDir, Map.of());
    return new Store(
        uri.startsWith("hdfs") ? "hdfs:" : "s3a:",
        uri,
        settings.configuration(),
        settings.sparkProperties(),
        script);
  }

  private static List<String> script(String script, String verb) {
    try {
      Process p =
          new ProcessBuilder("bash", "jobs/" + script, verb).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("jobs/" + script + " " + verb + " failed:\n" + out);
      }
      // without the ANSI colour codes Maven's output may leave at a line's start
      return out.lines().map(l -> l.replaceAll("\u001B\\[[0-9;]*m", "")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<Row> measure(Store s, boolean quick, PrintWriter progress) {
    List<Row> rows = new ArrayList<>();
    String base = s.uri() + (s.uri().endsWith("/") ? "" : "/") + "bench-" + System.nanoTime();
    // staging: small task files, as a round of a small network writes them
    int tasks = quick ? 10 : 100;
    Log staging = new Log(new Path(base + "/staging-cost/audit"), s.conf());
    Map<String, Long> before = requests(staging.table.fileSystem());
    long t0 = System.nanoTime();
    staging.stageEpoch(0, 1, tasks, 8, 10);
    double perTask = (System.nanoTime() - t0) / 1e6 / tasks;
    Map<String, Long> after = requests(staging.table.fileSystem());
    String protocol = staging.table.layout().protocol().label();
    rows.add(
        new Row(
            s.name(), protocol, "staging, per task (create, write, seal, marker)", perTask, "ms"));
    // S3A counts its requests (by kind); the other stores' statistics do not
    for (Map.Entry<String, Long> e : after.entrySet()) {
      double n = (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / (double) tasks;
      rows.add(new Row(s.name(), protocol, "staging, " + e.getKey() + " requests per task", n, ""));
    }
    // commit time as files grow (same bytes per file)
    for (int files : quick ? new int[] {10, 40} : new int[] {10, 100, 1000}) {
      Log log = new Log(new Path(base + "/files-" + files + "/audit"), s.conf());
      log.stageEpoch(0, 1, files, 8, 10);
      rows.add(
          new Row(
              s.name(), protocol, "commit, " + files + " files of 8 rows", log.commit(0), "ms"));
    }
    // commit time as bytes grow (same files)
    int files = quick ? 10 : 50;
    for (int rowsPerFile : quick ? new int[] {8, 2_000} : new int[] {8, 8_000}) {
      Log log = new Log(new Path(base + "/bytes-" + rowsPerFile + "/audit"), s.conf());
      log.stageEpoch(0, 1, files, rowsPerFile, 10);
      long bytes = log.stagedBytes;
      rows.add(
          new Row(
              s.name(),
              protocol,
              String.format(
                  "commit, %d files of %d rows (%.1f MB)", files, rowsPerFile, bytes / 1e6),
              log.commit(0),
              "ms"));
    }
    // compaction and ordered read of one large epoch
    long readRows = quick ? 50_000 : 1_000_000;
    int rounds = quick ? 10 : 100;
    Log big = new Log(new Path(base + "/read/audit"), s.conf());
    big.stageEpoch(0, rounds, 4, (int) (readRows / (rounds * 4L)), 10);
    big.commit(0);
    rows.add(
        new Row(
            s.name(),
            protocol,
            "ordered read, " + readRows + " rows, committed",
            big.readRowsPerSecond(),
            "rows/s"));
    long c0 = System.nanoTime();
    Compactor.compact(big.table, s.conf(), Phase.TRAIN, 0, 128L << 20, Duration.ofMinutes(10));
    rows.add(
        new Row(
            s.name(),
            protocol,
            "compaction, " + readRows + " rows",
            (System.nanoTime() - c0) / 1e6,
            "ms"));
    rows.add(
        new Row(
            s.name(),
            protocol,
            "ordered read, " + readRows + " rows, compacted",
            big.readRowsPerSecond(),
            "rows/s"));
    // one epoch of many small task files
    // the 100 workers x 1,000 rounds is 100,000 creates: on this machine's one-DataNode
    // HDFS, at 0.3-0.4 s a file under load, hours; the full run does a tenth of it
    int workers = quick ? 10 : 100;
    int manyRounds = quick ? 10 : 100;
    progress.println("  " + workers * manyRounds + " task files ...");
    progress.flush();
    Log many = new Log(new Path(base + "/many/audit"), s.conf());
    long m0 = System.nanoTime();
    many.stageEpoch(0, manyRounds, workers, 4, 10);
    double stageMs = (System.nanoTime() - m0) / 1e6;
    String what =
        workers * manyRounds + " task files (" + workers + " workers x " + manyRounds + " rounds)";
    rows.add(new Row(s.name(), protocol, "staging, " + what, stageMs, "ms"));
    rows.add(new Row(s.name(), protocol, "commit, " + what, many.commit(0), "ms"));
    rows.add(
        new Row(s.name(), protocol, "ordered read, " + what, many.readRowsPerSecond(), "rows/s"));
    rows.addAll(overhead(s, base, protocol, quick, progress));
    return rows;
  }

  /**
   * {@code bench --suite store-overhead}: the training overhead benchmark of the store suite alone,
   * its outputs on the store, for the audit (b) against no audit (a) only, in {@code repetitions}
   * paired cycles.
   */
  static List<Row> overhead(Store s, boolean quick, int repetitions, PrintWriter progress) {
    String base = s.uri() + (s.uri().endsWith("/") ? "" : "/") + "bench-" + System.nanoTime();
    String protocol = new Log(new Path(base + "/probe/audit"), s.conf()).protocol();
    return overhead(
        s, base, protocol, quick, OverheadBench.VARIANTS.subList(0, 2), repetitions, progress);
  }

  private static List<Row> overhead(
      Store s, String base, String protocol, boolean quick, PrintWriter progress) {
    return overhead(s, base, protocol, quick, OverheadBench.VARIANTS, quick ? 1 : 7, progress);
  }

  private static List<Row> overhead(
      Store s,
      String base,
      String protocol,
      boolean quick,
      List<String> variants,
      int repetitions,
      PrintWriter progress) {
    List<Row> rows = new ArrayList<>();
    // the training overhead benchmark of the default suite, its outputs on this store
    progress.println("  training overhead (the default suite's benchmark) ...");
    progress.flush();
    for (OverheadBench.Result r :
        OverheadBench.run(base + "/overhead", s.spark(), quick, variants, repetitions, progress)) {
      for (String v : variants) {
        rows.add(
            new Row(
                s.name(),
                protocol,
                "training, " + r.network() + ", " + v + " / a-no-audit (median of paired ratios)",
                r.ratios().get(v),
                "x"));
        double[] range = r.ratioRange().get(v);
        rows.add(
            new Row(
                s.name(),
                protocol,
                "training, " + r.network() + ", " + v + " / a-no-audit, lowest paired ratio",
                range[0],
                "x"));
        rows.add(
            new Row(
                s.name(),
                protocol,
                "training, " + r.network() + ", " + v + " / a-no-audit, highest paired ratio",
                range[1],
                "x"));
      }
      rows.add(
          new Row(
              s.name(),
              protocol,
              "training, " + r.network() + ", a-no-audit, median seconds",
              r.medianSeconds().get("a-no-audit"),
              "s"));
    }
    return rows;
  }

  /** Threads that create an epoch's task files side by side ({@link #epoch}). */
  static final int EPOCH_THREADS = 32;

  /**
   * {@code bench --suite store-epoch}: one epoch of {@code workers x rounds} task files of {@code
   * taskRows} rows each, as a training run's tasks write them (through {@link StagingArea}: create,
   * write, seal with its footer check, marker), one per worker at a time (at most {@value
   * #EPOCH_THREADS}); then the epoch's commit ({@link AuditTable#commitEpoch}, the driver's side)
   * and the read of the committed epoch in training order with the project's reader ({@link
   * AuditLog}). Each phase timed on its own.
   */
  static List<Row> epoch(Store s, int workers, int rounds, int taskRows, PrintWriter progress) {
    List<Row> rows = new ArrayList<>();
    String base = s.uri() + (s.uri().endsWith("/") ? "" : "/") + "bench-" + System.nanoTime();
    Log log = new Log(new Path(base + "/epoch/audit"), s.conf());
    String protocol = log.protocol();
    String what =
        String.format(
            Locale.ROOT,
            "%,d task files of %d rows (%d workers x %d rounds)",
            (long) workers * rounds,
            taskRows,
            workers,
            rounds);
    // as many at a time as workers write side by side, at most EPOCH_THREADS: one worker's
    // tasks one after the other, so that --epoch 1xN measures a task's staging latency
    int threads = Math.min(EPOCH_THREADS, workers);
    progress.printf(Locale.ROOT, "  %s, %d threads ...%n", what, threads);
    progress.flush();
    long t0 = System.nanoTime();
    log.stageEpochInParallel(0, rounds, workers, taskRows, 10, threads, progress);
    double stageS = (System.nanoTime() - t0) / 1e9;
    rows.add(new Row(s.name(), protocol, "staging, " + what, stageS, "s"));
    rows.add(
        new Row(
            s.name(),
            protocol,
            "staging, task files per second (" + threads + " threads)",
            (double) workers * rounds / stageS,
            "files/s"));
    rows.add(new Row(s.name(), protocol, "staged bytes, " + what, log.stagedBytes / 1e6, "MB"));
    progress.println("  commit ...");
    progress.flush();
    rows.add(new Row(s.name(), protocol, "commit, " + what, log.commit(0) / 1e3, "s"));
    progress.println("  ordered read ...");
    progress.flush();
    long r0 = System.nanoTime();
    long read = log.readRows();
    double readS = (System.nanoTime() - r0) / 1e9;
    long expected = (long) workers * rounds * taskRows;
    if (read != expected) {
      throw new IllegalStateException(
          "The ordered read of the epoch returned " + read + " rows, not " + expected);
    }
    rows.add(new Row(s.name(), protocol, "ordered read, " + what, readS, "s"));
    rows.add(
        new Row(
            s.name(),
            protocol,
            "ordered read, " + what + ", rows per second",
            read / readS,
            "rows/s"));
    return rows;
  }

  /** S3A's request counters by kind (PUT, HEAD, LIST, GET); empty on other file systems. */
  private static Map<String, Long> requests(org.apache.hadoop.fs.FileSystem fs) {
    Map<String, String> kinds =
        Map.of(
            "object_put_request", "PUT",
            "object_metadata_request", "HEAD",
            "object_list_request", "LIST",
            "action_http_get_request", "GET");
    Map<String, Long> counts = new java.util.TreeMap<>();
    if (!"s3a".equals(fs.getScheme())) {
      return counts;
    }
    org.apache.hadoop.fs.StorageStatistics stats = fs.getStorageStatistics();
    kinds.forEach(
        (key, kind) -> {
          Long v = stats.getLong(key);
          counts.put(kind, v == null ? 0L : v);
        });
    return counts;
  }

  /** One synthetic log on a store, staged and committed through the project's code. */
  private static final class Log {
    final AuditTable table;
    final StagingArea staging;
    final Configuration conf;
    final String runId = "bench-" + Long.toHexString(System.nanoTime());
    final List<RoundStart> starts = new ArrayList<>();
    final List<AcceptedAttempt> accepted = new ArrayList<>();
    long task;
    long stagedBytes;

    Log(Path root, Configuration conf) {
      this.conf = conf;
      RunInfo info =
          new RunInfo(
              RunInfo.FORMAT_VERSION,
              runId,
              AuditLayout.defaultStaging(root).toString(),
              Instant.now().toString(),
              "synthetic:bench",
              "none",
              null,
              null,
              1,
              8,
              1,
              Integer.MAX_VALUE,
              OptionalColumns.NONE,
              Map.of("audit.compression", WriterOptions.DEFAULTS.compression()),
              null); // detected from the store, as a training run does
      table = AuditTable.create(root, conf, info);
      staging =
          new StagingArea(
              table.layout(), conf, runId, OptionalColumns.NONE, WriterOptions.DEFAULTS);
    }

    /** Stages and seals {@code rounds x partitions} task files of {@code rowsPerTask} rows. */
    void stageEpoch(int epoch, int rounds, int partitions, int rowsPerTask, int width) {
      for (int round = 0; round < rounds; round++) {
        starts.add(new RoundStart(round, "bench", 0.5, partitions));
        for (int p = 0; p < partitions; p++) {
          StagedFile s = stageTask(epoch, round, p, task, rowsPerTask, width);
          stagedBytes += s.bytes();
          accepted.add(new AcceptedAttempt(round, p, task, s.batches(), s.rows()));
          task++;
        }
      }
    }

    String protocol() {
      return table.layout().protocol().label();
    }

    /**
     * Stages and seals {@code rounds x partitions} task files of {@code rowsPerTask} rows, {@code
     * threads} at a time, in round order (a file's task attempt id is its place in that order);
     * appends their rounds and accepted attempts in that order too. Prints progress every tenth.
     */
    void stageEpochInParallel(
        int epoch,
        int rounds,
        int partitions,
        int rowsPerTask,
        int width,
        int threads,
        PrintWriter progress) {
      int files = rounds * partitions;
      long firstTask = task;
      StagedFile[] sealed = new StagedFile[files];
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(threads);
      java.util.concurrent.atomic.AtomicInteger done =
          new java.util.concurrent.atomic.AtomicInteger();
      try {
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>(files);
        for (int i = 0; i < files; i++) {
          int index = i;
          futures.add(
              pool.submit(
                  () -> {
                    int round = index / partitions;
                    int p = index % partitions;
                    sealed[index] =
                        stageTask(epoch, round, p, firstTask + index, rowsPerTask, width);
                    synchronized (done) {
                      int n = done.incrementAndGet();
                      if (n % Math.max(1, files / 10) == 0) {
                        progress.printf(Locale.ROOT, "    %,d of %,d staged%n", n, files);
                        progress.flush();
                      }
                    }
                    return null;
                  }));
        }
        for (java.util.concurrent.Future<?> f : futures) {
          f.get();
        }
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("Staging failed: " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } finally {
        pool.shutdownNow();
      }
      for (int round = 0; round < rounds; round++) {
        starts.add(new RoundStart(round, "bench", 0.5, partitions));
      }
      for (StagedFile f : sealed) {
        stagedBytes += f.bytes();
        accepted.add(
            new AcceptedAttempt(
                f.round(), f.partition(), f.taskAttemptId(), f.batches(), f.rows()));
      }
      task = firstTask + files;
    }

    /** One task attempt's file: its own random numbers (threads share nothing but the store). */
    private StagedFile stageTask(
        int epoch, int round, int p, long taskId, int rowsPerTask, int width) {
      SplittableRandom rnd = new SplittableRandom(taskId);
      StagingArea.StagedWriter w = staging.open(Phase.TRAIN, epoch, round, p, 1, 0, taskId);
      int batch = 0;
      long sampleId = taskId * rowsPerTask;
      for (int written = 0; written < rowsPerTask; written += 8, batch++) {
        int n = Math.min(8, rowsPerTask - written);
        long[] ids = new long[n];
        float[] targets = new float[n * width];
        float[] predictions = new float[n * width];
        for (int r = 0; r < n; r++) {
          ids[r] = sampleId++;
          targets[r * width + rnd.nextInt(width)] = 1f;
          for (int c = 0; c < width; c++) {
            predictions[r * width + c] = (float) rnd.nextDouble();
          }
        }
        w.write(
            new AuditBatch(
                runId,
                new BatchKey(epoch, Phase.TRAIN, round, batch, p),
                (long) round * 100 + batch,
                0,
                taskId,
                0.7,
                ids,
                new FloatMatrix(n, width, targets),
                new FloatMatrix(n, width, predictions),
                null,
                null,
                null,
                Map.of()));
      }
      return w.seal();
    }

    /** Reads the whole log in training order (every row touched); the rows read. */
    long readRows() {
      long n = 0;
      double touched = 0;
      try (Stream<AuditBatch> s = AuditLog.open(table.layout().root().toString(), conf).batches()) {
        for (AuditBatch b : (Iterable<AuditBatch>) s::iterator) {
          n += b.sampleIds().length;
          touched += b.predictions().values()[0];
        }
      }
      if (Double.isNaN(touched)) {
        throw new IllegalStateException("NaN prediction in a synthetic log");
      }
      return n;
    }

    /** Commits the staged epoch; returns the milliseconds the commit took. */
    double commit(int epoch) {
      long t0 = System.nanoTime();
      table.commitEpoch(Phase.TRAIN, epoch, starts, accepted);
      return (System.nanoTime() - t0) / 1e6;
    }

    /** Reads the whole log in training order (every row touched); rows per second. */
    double readRowsPerSecond() {
      long t0 = System.nanoTime();
      long n = 0;
      double touched = 0; // every batch's arrays are decoded; summing one value keeps them used
      try (Stream<AuditBatch> s = AuditLog.open(table.layout().root().toString(), conf).batches()) {
        for (AuditBatch b : (Iterable<AuditBatch>) s::iterator) {
          n += b.sampleIds().length;
          touched += b.predictions().values()[0];
        }
      }
      if (Double.isNaN(touched)) {
        throw new IllegalStateException("NaN prediction in a synthetic log");
      }
      return n / ((System.nanoTime() - t0) / 1e9);
    }
  }

  static void print(PrintWriter out, List<Row> rows) {
    out.println("| store | protocol | measure | value |");
    out.println("|---|---|---|---:|");
    for (Row r : rows) {
      out.printf(
          "| `%s` | %s | %s | %s %s |%n",
          r.store(),
          r.protocol(),
          r.measure(),
          switch (r.unit()) {
            case "rows/s" -> String.format("%,.0f", r.value());
            case "x" -> String.format("%.3f", r.value());
            case "" -> String.format("%.1f", r.value());
            default -> String.format("%,.1f", r.value());
          },
          r.unit());
    }
    out.flush();
  }
}
