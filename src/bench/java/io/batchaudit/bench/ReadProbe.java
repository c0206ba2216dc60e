package io.batchaudit.bench;

import io.batchaudit.read.AuditLog;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.ValueColumn;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * Child-JVM probe: reads a whole log in training order with the project's reader and prints one
 * line {@code rows seconds peakHeapBytes checksum peakRssBytes}. Run with the heap under test
 * ({@code -Xmx}). {@code args[1]}, optional, is a column projection: {@code ids} (keys and sample
 * ids, as coverage reads), {@code targets} (and targets, as verify reads); without it every column
 * is read.
 */
public final class ReadProbe {
  private ReadProbe() {}

  public static void main(String[] args) {
    PeakHeap.watch();
    long start = System.nanoTime();
    long rows = 0;
    double checksum = 0;
    Set<ValueColumn> columns =
        args.length < 2
            ? ValueColumn.ALL
            : switch (args[1]) {
              case "ids" -> ValueColumn.NONE;
              case "targets" -> EnumSet.of(ValueColumn.TARGETS);
              default ->
                  throw new IllegalArgumentException(
                      "Projection must be ids or targets, got '" + args[1] + "'");
            };
    AuditLog log = AuditLog.open(args[0], new Configuration());
    try (Stream<AuditBatch> batches = log.batches(columns)) {
      Iterator<AuditBatch> it = batches.iterator();
      while (it.hasNext()) {
        AuditBatch b = it.next();
        rows += b.size();
        checksum += b.sampleIds()[b.size() - 1];
        if (b.targets() != null) {
          checksum += b.targets().values()[0];
        }
        if (b.predictions() != null) {
          checksum += b.predictions().values()[0];
        }
      }
    }
    report(rows, start, checksum);
  }

  /**
   * Prints the result line of a probe: rows, seconds since {@code startNanos}, peak heap, and a
   * checksum that keeps the JIT from skipping the reads, then the process's peak resident set
   * ({@code VmHWM}, 0 where {@code /proc} has none): heap, native memory (DuckDB's) and the JVM
   * itself, then the largest heap in use right after a collection ({@link PeakHeap}, -1 when not
   * watched). Peak heap is the largest heap in use that {@link PeakHeap} saw before a collection
   * (the heap is at its fullest just before one) or now, when the probe watched; else the sum of
   * the heap pools' peak usages (an upper bound: the pools peak at different times).
   */
  static void report(long rows, long startNanos, double checksum) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    long peak = PeakHeap.peak();
    if (peak < 0) {
      peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
    }
    System.out.println(
        rows
            + " "
            + seconds
            + " "
            + peak
            + " "
            + checksum
            + " "
            + peakRss()
            + " "
            + PeakHeap.peakAfterCollection());
  }

  private static long peakRss() {
    try {
      for (String line :
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // no /proc: not Linux
    }
    return 0;
  }
}
