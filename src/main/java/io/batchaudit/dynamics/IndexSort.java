package io.batchaudit.dynamics;

/**
 * Sorts of {@code int} index arrays over columns held elsewhere (primitive arrays), so that no row
 * is boxed: a stable merge sort by any order, and a stable counting sort by a dense {@code long}
 * key. Runs wherever its caller runs (Spark tasks).
 */
final class IndexSort {
  /** An order of indices: negative, zero or positive as index {@code a} comes before {@code b}. */
  @FunctionalInterface
  interface Order {
    int compare(int a, int b);
  }

  private static final int INSERTION = 24;

  private IndexSort() {}

  /** Sorts {@code index[from, to)} by {@code order}, stably. */
  static void sort(int[] index, int from, int to, Order order) {
    if (to - from <= INSERTION) {
      insertion(index, from, to, order);
      return;
    }
    int[] scratch = new int[to - from];
    mergeSort(index, scratch, from, to, order);
  }

  /** Insertion sort of {@code index[from, to)}: linear on input that is already in order. */
  static void insertion(int[] index, int from, int to, Order order) {
    for (int i = from + 1; i < to; i++) {
      int v = index[i];
      int j = i - 1;
      while (j >= from && order.compare(index[j], v) > 0) {
        index[j + 1] = index[j];
        j--;
      }
      index[j + 1] = v;
    }
  }

  private static void mergeSort(int[] a, int[] scratch, int from, int to, Order order) {
    if (to - from <= INSERTION) {
      insertion(a, from, to, order);
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(a, scratch, from, mid, order);
    mergeSort(a, scratch, mid, to, order);
    if (order.compare(a[mid - 1], a[mid]) <= 0) {
      return; // already in order: common for presentations that arrive in training order
    }
    int n = mid - from;
    System.arraycopy(a, from, scratch, 0, n);
    int i = 0;
    int j = mid;
    int k = from;
    while (i < n && j < to) {
      a[k++] = order.compare(a[j], scratch[i]) < 0 ? a[j++] : scratch[i++];
    }
    while (i < n) {
      a[k++] = scratch[i++];
    }
  }

  /**
   * The indices {@code 0 .. keys.length-1} stably sorted by {@code keys}, by counting when the keys
   * span at most {@code 4 * n + 1024} values, otherwise by merging.
   */
  static int[] byKey(long[] keys) {
    int n = keys.length;
    int[] index = new int[n];
    if (n == 0) {
      return index;
    }
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (long k : keys) {
      lo = Math.min(lo, k);
      hi = Math.max(hi, k);
    }
    long span = hi - lo; // may overflow: then negative, and not dense
    if (span >= 0 && span <= 4L * n + 1024) {
      int[] start = new int[(int) span + 2];
      for (long k : keys) {
        start[(int) (k - lo) + 1]++;
      }
      for (int i = 1; i < start.length; i++) {
        start[i] += start[i - 1];
      }
      for (int i = 0; i < n; i++) {
        index[start[(int) (keys[i] - lo)]++] = i;
      }
      return index;
    }
    for (int i = 0; i < n; i++) {
      index[i] = i;
    }
    sort(index, 0, n, (a, b) -> Long.compare(keys[a], keys[b]));
    return index;
  }
}
