package io.batchaudit.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The peak of the heap in use in this JVM, from the garbage collector's notifications: the heap is
 * at its fullest just before a collection, and every notification carries the usage of every pool
 * before it. Counts what is allocated and not yet collected, live or not; for a probe in a child
 * JVM, started first thing in its {@code main}.
 */
final class PeakHeap {
  private static final AtomicLong PEAK = new AtomicLong(-1);
  private static final AtomicLong LIVE = new AtomicLong(-1);

  private PeakHeap() {}

  /** Starts watching the collections of this JVM. */
  static void watch() {
    PEAK.set(0);
    LIVE.set(0);
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(
            (n, handback) -> {
              if (n.getType()
                  .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                long used =
                    info.getGcInfo().getMemoryUsageBeforeGc().entrySet().stream()
                        .filter(e -> isHeap(e.getKey()))
                        .mapToLong(e -> e.getValue().getUsed())
                        .sum();
                PEAK.accumulateAndGet(used, Math::max);
                long after =
                    info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(e -> isHeap(e.getKey()))
                        .mapToLong(e -> e.getValue().getUsed())
                        .sum();
                LIVE.accumulateAndGet(after, Math::max);
              }
            },
            null,
            null);
      }
    }
  }

  /** The peak seen, including the heap in use now; -1 when {@link #watch} was not called. */
  static long peak() {
    if (PEAK.get() < 0) {
      return -1;
    }
    MemoryUsage now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return PEAK.accumulateAndGet(now.getUsed(), Math::max);
  }

  /**
   * The largest heap in use right after a collection: what the program kept (live, or not yet
   * collected by a partial collection); -1 when {@link #watch} was not called.
   */
  static long peakAfterCollection() {
    return LIVE.get();
  }

  private static boolean isHeap(String pool) {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .anyMatch(
            p -> p.getName().equals(pool) && p.getType() == java.lang.management.MemoryType.HEAP);
  }
}
