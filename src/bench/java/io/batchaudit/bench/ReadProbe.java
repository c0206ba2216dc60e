package io.batchaudit.bench;

import io.batchaudit.read.AuditLog;
import io.batchaudit.store.AuditBatch;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Iterator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * Child-JVM probe: reads a whole log in training order with the project's reader and prints one
 * line {@code rows seconds peakHeapBytes checksum}. Run with the heap under test ({@code -Xmx}).
 */
public final class ReadProbe {
  private ReadProbe() {}

  public static void main(String[] args) {
    long start = System.nanoTime();
    long rows = 0;
    double checksum = 0;
    AuditLog log = AuditLog.open(args[0], new Configuration());
    try (Stream<AuditBatch> batches = log.batches()) {
      Iterator<AuditBatch> it = batches.iterator();
      while (it.hasNext()) {
        AuditBatch b = it.next();
        rows += b.size();
        checksum += b.predictions().values()[0] + b.sampleIds()[b.size() - 1];
      }
    }
    report(rows, start, checksum);
  }

  /**
   * Prints the result line of a probe: rows, seconds since {@code startNanos}, peak heap (the sum
   * of the heap pools' peak usages: an upper bound of the true peak), and a checksum that keeps the
   * JIT from skipping the reads.
   */
  static void report(long rows, long startNanos, double checksum) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.println(rows + " " + seconds + " " + peak + " " + checksum);
  }
}
