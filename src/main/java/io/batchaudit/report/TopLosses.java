package io.batchaudit.report;

import io.batchaudit.store.BatchKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The {@code k} examples with the highest loss seen so far, kept in a bounded min-heap: memory is
 * {@code k} examples however long the stream. Ties in loss rank the smaller sample id first; a NaN
 * loss ranks above every number (a diverged example is worth seeing first).
 */
final class TopLosses {
  /** Highest loss first, then smaller sample id, then training order. */
  static final Comparator<ReportData.Example> RANKING =
      Comparator.comparingDouble(ReportData.Example::loss)
          .reversed()
          .thenComparingLong(ReportData.Example::sampleId)
          .thenComparing(ReportData.Example::key);

  private final int k;
  private final PriorityQueue<ReportData.Example> heap;

  TopLosses(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("Top-K needs k >= 1, got " + k);
    }
    this.k = k;
    this.heap = new PriorityQueue<>(k, RANKING.reversed());
  }

  /** Whether an example with this loss and id would enter the top k now (no arrays copied yet). */
  boolean wouldKeep(double loss, long sampleId, BatchKey key) {
    if (heap.size() < k) {
      return true;
    }
    return RANKING.compare(
            new ReportData.Example(sampleId, key, loss, new float[0], new float[0]), heap.peek())
        < 0;
  }

  void offer(ReportData.Example e) {
    if (heap.size() < k) {
      heap.add(e);
    } else if (RANKING.compare(e, heap.peek()) < 0) {
      heap.poll();
      heap.add(e);
    }
  }

  /** The kept examples, highest loss first. */
  List<ReportData.Example> result() {
    List<ReportData.Example> out = new ArrayList<>(heap);
    out.sort(RANKING);
    return out;
  }
}
