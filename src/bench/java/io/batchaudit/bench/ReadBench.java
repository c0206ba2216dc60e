package io.batchaudit.bench;

import io.batchaudit.read.AuditLog;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.table.AuditTable;
import io.batchaudit.store.table.Compactor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The ordered read against DuckDB, side by side in one run: one synthetic log ({@code epochs x 100
 * rounds x 4 partitions}, batches of 32, 10-class targets and predictions), read whole as training
 * committed it and again compacted, by (a) the project's ordered reader ({@link ReadProbe}, child
 * JVM with {@code -Xmx256m}), (b) DuckDB reading exactly the committed files into memory ordered by
 * the training-order key and (c) DuckDB's unordered scan of the same files ({@link
 * DuckdbReadProbe}, child JVMs); then the project's reader with column projections (sample ids
 * only, as coverage reads; ids and targets, as verify reads). Variants alternate (a b c a b c ...);
 * each figure is the fastest of its repetitions, every repetition is kept for the noise.
 *
 * <p>The logs stay in the working folder and are reused by the next run when their manifests still
 * hold the expected rows (writing 10 million rows takes a minute or two).
 */
public final class ReadBench {
  static final int PARTITIONS = 4;
  static final int ROUNDS = 100;
  static final int BATCH = 32;
  static final int WIDTH = 10;
  static final String HEAP = "-Xmx256m";

  /** The variants, in the order they alternate. */
  static final List<String> VARIANTS =
      List.of("ordered", "duckdbOrdered", "duckdbScan", "orderedIds", "orderedIdsTargets");

  /**
   * One layout's figures.
   *
   * @param layout committed (one file per round and partition) or compacted
   * @param rows rows of the log
   * @param files data files
   * @param bytes bytes of the data files
   * @param seconds per variant, the fastest repetition
   * @param allSeconds per variant, every repetition in order
   * @param orderedPeakHeapBytes the project's ordered read (all columns): peak heap in use, from
   *     the collector's notifications (just before a collection; G1 lets it fill the heap it has)
   * @param orderedPeakLiveHeapBytes the same read's largest heap in use right after a collection
   * @param peakRssBytes per variant, the peak resident set of the child JVM of the fastest
   *     repetition
   */
  public record Layout(
      String layout,
      long rows,
      int files,
      long bytes,
      Map<String, Double> seconds,
      Map<String, List<Double>> allSeconds,
      long orderedPeakHeapBytes,
      long orderedPeakLiveHeapBytes,
      Map<String, Long> peakRssBytes) {
    public double rowsPerSecond(String variant) {
      return rows / seconds.get(variant);
    }

    /** The project's ordered read's rows per second over DuckDB's ordered read's. */
    public double orderedVsDuckdbOrdered() {
      return seconds.get("duckdbOrdered") / seconds.get("ordered");
    }

    /** The project's ordered read's rows per second over DuckDB's unordered scan's. */
    public double orderedVsDuckdbScan() {
      return seconds.get("duckdbScan") / seconds.get("ordered");
    }
  }

  private ReadBench() {}

  /**
   * Runs the suite on a log of {@code rows} rows ({@code rows / 1,000,000} epochs, at least 1, of
   * 100 rounds; {@code --quick}: 40,000 rows, 2 epochs of 20 rounds, one repetition).
   */
  public static List<Layout> run(Path dir, boolean quick, long rows, PrintWriter progress) {
    int epochs = quick ? 2 : (int) Math.max(1, rows / 1_000_000);
    int rounds = quick ? 20 : ROUNDS;
    long total = quick ? 40_000 : rows;
    int reps = quick ? 1 : 2;
    Path base = dir.resolve(String.format(Locale.ROOT, "read-%d-e%d-r%d", total, epochs, rounds));
    Path committed = base.resolve("committed").resolve("audit");
    Path compacted = base.resolve("compacted").resolve("audit");
    Configuration conf = new Configuration();
    if (!holds(committed, total, false)) {
      ScaleBench.deleteTree(committed.getParent());
      progress.printf(
          Locale.ROOT,
          "writing %,d rows, %d epochs x %d rounds x %d partitions to %s ...%n",
          total,
          epochs,
          rounds,
          PARTITIONS,
          committed);
      progress.flush();
      SyntheticLog.write(
          hadoop(committed), epochs, total / epochs, rounds, PARTITIONS, BATCH, WIDTH);
    }
    if (!holds(compacted, total, true)) {
      ScaleBench.deleteTree(compacted.getParent());
      progress.printf("compacting a copy to %s ...%n", compacted);
      progress.flush();
      copyTree(committed, compacted);
      pointStagingAt(compacted, committed);
      AuditTable table = AuditTable.open(hadoop(compacted), conf);
      for (EpochCommit c : table.commits()) {
        Compactor.compact(table, conf, c.phase(), c.epoch(), 128L << 20, Duration.ZERO);
      }
    }
    List<Layout> out = new ArrayList<>();
    out.add(measure("committed", committed, reps, progress));
    out.add(measure("compacted", compacted, reps, progress));
    return out;
  }

  private static Layout measure(String layout, Path root, int reps, PrintWriter progress) {
    AuditLog log = AuditLog.open(root.toUri().toString(), new Configuration());
    List<String> files = log.committedFiles();
    long bytes =
        log.commits().stream()
            .flatMap(c -> c.files().stream())
            .mapToLong(io.batchaudit.store.CommittedFile::bytes)
            .sum();
    Path list;
    try {
      list = Files.createTempFile("committed-files", ".txt");
      Files.write(list, files);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, List<Double>> all = new LinkedHashMap<>();
    Map<String, ChildJvm.Measured> best = new LinkedHashMap<>();
    for (String v : VARIANTS) {
      all.put(v, new ArrayList<>());
    }
    String uri = root.toUri().toString();
    for (int rep = 0; rep < reps; rep++) {
      for (String v : VARIANTS) {
        progress.printf(Locale.ROOT, "%s: %s, repetition %d of %d ...%n", layout, v, rep + 1, reps);
        progress.flush();
        ChildJvm.Measured m =
            switch (v) {
              case "ordered" -> ChildJvm.run(HEAP, ReadProbe.class, uri);
              case "orderedIds" -> ChildJvm.run(HEAP, ReadProbe.class, uri, "ids");
              case "orderedIdsTargets" -> ChildJvm.run(HEAP, ReadProbe.class, uri, "targets");
              case "duckdbOrdered" ->
                  ChildJvm.run("-Xmx1g", DuckdbReadProbe.class, "ordered", list.toString());
              case "duckdbScan" ->
                  ChildJvm.run("-Xmx1g", DuckdbReadProbe.class, "scan", list.toString());
              default -> throw new IllegalStateException(v);
            };
        if (m.rows() != log.rows()) {
          throw new IllegalStateException(
              v + " read " + m.rows() + " rows of " + root + ", the manifests hold " + log.rows());
        }
        all.get(v).add(m.seconds());
        if (!best.containsKey(v) || m.seconds() < best.get(v).seconds()) {
          best.put(v, m);
        }
      }
    }
    try {
      Files.delete(list);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Double> seconds = new LinkedHashMap<>();
    Map<String, Long> rss = new LinkedHashMap<>();
    best.forEach(
        (v, m) -> {
          seconds.put(v, m.seconds());
          rss.put(v, m.peakRssBytes());
        });
    return new Layout(
        layout,
        log.rows(),
        files.size(),
        bytes,
        seconds,
        all,
        best.get("ordered").peakHeapBytes(),
        best.get("ordered").peakLiveHeapBytes(),
        rss);
  }

  /** The figures {@code bench --json} prints at its top level: the worse layout of each. */
  public static Map<String, Object> summary(List<Layout> layouts) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put(
        "orderedReadVsDuckdbOrdered",
        layouts.stream().mapToDouble(Layout::orderedVsDuckdbOrdered).min().orElseThrow());
    o.put(
        "orderedReadVsDuckdbScan",
        layouts.stream().mapToDouble(Layout::orderedVsDuckdbScan).min().orElseThrow());
    o.put(
        "orderedReadPeakHeapBytes",
        layouts.stream().mapToLong(Layout::orderedPeakHeapBytes).max().orElseThrow());
    o.put(
        "orderedReadPeakLiveHeapBytes",
        layouts.stream().mapToLong(Layout::orderedPeakLiveHeapBytes).max().orElseThrow());
    return o;
  }

  public static void print(PrintWriter out, List<Layout> layouts) {
    Layout first = layouts.get(0);
    out.printf(
        Locale.ROOT,
        "ordered read against DuckDB: %,d rows (%d partitions, batches of %d, %d classes), child"
            + " JVMs; the project's reader with %s, DuckDB through JDBC (2 threads, into an"
            + " in-memory table); fastest of the repetitions%n",
        first.rows(),
        PARTITIONS,
        BATCH,
        WIDTH,
        HEAP);
    out.printf(
        "%-9s %5s %9s %-18s %8s %12s %12s %8s  %s%n",
        "layout",
        "files",
        "MB",
        "reader",
        "s",
        "rows/s",
        "heap/live MB",
        "RSS MB",
        "every repetition, s");
    for (Layout l : layouts) {
      for (String v : VARIANTS) {
        out.printf(
            Locale.ROOT,
            "%-9s %5d %9.0f %-18s %8.2f %,12.0f %12s %8.0f  %s%n",
            l.layout(),
            l.files(),
            l.bytes() / 1e6,
            v,
            l.seconds().get(v),
            l.rowsPerSecond(v),
            v.equals("ordered")
                ? (l.orderedPeakHeapBytes() >> 20) + "/" + (l.orderedPeakLiveHeapBytes() >> 20)
                : "",
            l.peakRssBytes().get(v) / 1048576.0,
            Arrays.toString(
                l.allSeconds().get(v).stream()
                    .map(s -> String.format(Locale.ROOT, "%.2f", s))
                    .toArray()));
      }
      out.printf(
          Locale.ROOT,
          "%-9s ordered read vs DuckDB ordered %.2f, vs DuckDB unordered scan %.2f%n",
          l.layout(),
          l.orderedVsDuckdbOrdered(),
          l.orderedVsDuckdbScan());
    }
    out.flush();
  }

  /**
   * Whether {@code root} is a log whose manifests hold {@code rows} rows, every epoch compacted
   * ({@code compacted}) or none.
   */
  private static boolean holds(Path root, long rows, boolean compacted) {
    if (!Files.isDirectory(root)) {
      return false;
    }
    try {
      AuditLog log = AuditLog.open(root.toUri().toString(), new Configuration());
      return log.rows() == rows
          && !log.commits().isEmpty()
          && log.commits().stream().allMatch(c -> c.sorted() == compacted);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * The copy's run file names the original's staging folder, where compaction would put its retired
   * generations; it gets a staging folder of its own.
   */
  private static void pointStagingAt(Path copy, Path original) {
    Path run = copy.resolve("_batch_audit").resolve("run.json");
    try {
      String json = Files.readString(run);
      String from = original.toAbsolutePath().normalize() + "-staging";
      String to = copy.toAbsolutePath().normalize() + "-staging";
      if (!json.contains(from)) {
        throw new IllegalStateException(run + " does not name the staging folder " + from);
      }
      Files.writeString(run, json.replace(from, to));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  private static void copyTree(Path from, Path to) {
    try (var walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
