package io.batchaudit.bench;

import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.table.AuditTable;
import io.batchaudit.store.table.Compactor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/**
 * The read-scale benchmark: time and peak heap of reading logs of 1 and 10 million rows in training
 * order, before and after compaction, and how reading time grows with the rounds per epoch. Each
 * read runs in a child JVM with {@code -Xmx256m}, best of two.
 */
public final class ScaleBench {
  /** One measured log. */
  public record Row(
      long rows,
      int epochs,
      int roundsPerEpoch,
      int files,
      String layout,
      double writeSeconds,
      double compactSeconds,
      double readSeconds,
      long peakHeapBytes) {
    public double rowsPerSecond() {
      return rows / readSeconds;
    }
  }

  static final int PARTITIONS = 4;
  static final int BATCH = 32;
  static final int WIDTH = 10;
  static final String HEAP = "-Xmx256m";

  private ScaleBench() {}

  public static List<Row> run(Path dir, boolean quick, PrintWriter progress) {
    List<Row> rows = new ArrayList<>();
    long[] sizes = quick ? new long[] {20_000} : new long[] {1_000_000, 10_000_000};
    for (long total : sizes) {
      rows.addAll(measure(dir, total, quick ? 2 : 10, quick ? 20 : 100, progress));
    }
    long perEpoch = quick ? 20_000 : 1_000_000;
    int[] rounds = quick ? new int[] {10, 50} : new int[] {10, 100, 1000};
    for (int r : rounds) {
      rows.addAll(measure(dir, perEpoch, 1, r, progress));
    }
    return rows;
  }

  private static List<Row> measure(
      Path dir, long total, int epochs, int rounds, PrintWriter progress) {
    Path root =
        dir.resolve(String.format("log-%d-e%d-r%d", total, epochs, rounds)).resolve("audit");
    deleteTree(root.getParent());
    progress.printf(
        Locale.ROOT,
        "writing %,d rows, %d epochs x %d rounds x %d partitions ...%n",
        total,
        epochs,
        rounds,
        PARTITIONS);
    progress.flush();
    org.apache.hadoop.fs.Path hroot = new org.apache.hadoop.fs.Path(root.toUri());
    long t0 = System.nanoTime();
    SyntheticLog.write(hroot, epochs, total / epochs, rounds, PARTITIONS, BATCH, WIDTH);
    double write = (System.nanoTime() - t0) / 1e9;
    Configuration conf = new Configuration();
    AuditTable table = AuditTable.open(hroot, conf);
    int committedFiles = table.commits().stream().mapToInt(c -> c.files().size()).sum();
    long[] before = bestOfTwo(root);
    long t1 = System.nanoTime();
    for (EpochCommit c : table.commits()) {
      Compactor.compact(table, conf, c.phase(), c.epoch(), 128L << 20, Duration.ZERO);
    }
    double compact = (System.nanoTime() - t1) / 1e9;
    int compactedFiles =
        AuditTable.open(hroot, conf).commits().stream().mapToInt(c -> c.files().size()).sum();
    long[] after = bestOfTwo(root);
    List<Row> out =
        List.of(
            new Row(
                total,
                epochs,
                rounds,
                committedFiles,
                "committed",
                write,
                0,
                before[0] / 1e9,
                before[1]),
            new Row(
                total,
                epochs,
                rounds,
                compactedFiles,
                "compacted",
                0,
                compact,
                after[0] / 1e9,
                after[1]));
    deleteTree(root.getParent());
    return out;
  }

  /** {nanos, peak heap bytes} of the faster of two reads in child JVMs. */
  private static long[] bestOfTwo(Path root) {
    long[] best = null;
    for (int i = 0; i < 2; i++) {
      long[] r = probe(root);
      if (best == null || r[0] < best[0]) {
        best = r;
      }
    }
    return best;
  }

  private static long[] probe(Path root) {
    ChildJvm.Measured m = ChildJvm.run(HEAP, ReadProbe.class, root.toUri().toString());
    return new long[] {(long) (m.seconds() * 1e9), m.peakHeapBytes()};
  }

  public static void print(PrintWriter out, List<Row> rows) {
    out.printf(
        "read scale: ordered read of the whole log by the project's reader in a child JVM"
            + " with %s (best of 2);%n%d partitions, batches of %d, %d classes%n",
        HEAP, PARTITIONS, BATCH, WIDTH);
    out.printf(
        "%12s %6s %12s %6s %-9s %8s %9s %7s %11s %12s%n",
        "rows",
        "epochs",
        "rounds/epoch",
        "files",
        "layout",
        "write s",
        "compact s",
        "read s",
        "rows/s",
        "peak heap MB");
    for (Row r : rows) {
      out.printf(
          Locale.ROOT,
          "%,12d %6d %12d %6d %-9s %8s %9s %7.2f %,11.0f %12.0f%n",
          r.rows(),
          r.epochs(),
          r.roundsPerEpoch(),
          r.files(),
          r.layout(),
          r.writeSeconds() > 0 ? String.format(Locale.ROOT, "%.1f", r.writeSeconds()) : "",
          r.compactSeconds() > 0 ? String.format(Locale.ROOT, "%.1f", r.compactSeconds()) : "",
          r.readSeconds(),
          r.rowsPerSecond(),
          r.peakHeapBytes() / 1048576.0);
    }
    out.flush();
  }

  static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
