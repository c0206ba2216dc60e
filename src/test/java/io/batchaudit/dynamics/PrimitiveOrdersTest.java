package io.batchaudit.dynamics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The primitive orders the dynamics job sorts and ranks by: they must agree with Spark SQL's order,
 * which the table's ranks and arg max were defined by, in the cases the hand-built logs of {@link
 * DynamicsStatisticsTest} do not reach (sparse ids, NaN, negative zero).
 */
class PrimitiveOrdersTest {
  @Test
  void sortsByKeyStablyWhetherTheIdsAreDenseOrSparse() {
    long[] dense = {5, 3, 5, 4, 3};
    assertThat(IndexSort.byKey(dense)).containsExactly(1, 4, 3, 0, 2);
    long[] sparse = {Long.MAX_VALUE, -7, Long.MIN_VALUE, -7, 1L << 40};
    assertThat(IndexSort.byKey(sparse)).containsExactly(2, 1, 3, 4, 0);
  }

  @Test
  void mergeSortIsStableBeyondTheInsertionThreshold() {
    int n = 1000;
    int[] keys = new int[n];
    int[] index = new int[n];
    for (int i = 0; i < n; i++) {
      keys[i] = (i * 7919) % 13;
      index[i] = i;
    }
    IndexSort.sort(index, 0, n, (a, b) -> Integer.compare(keys[a], keys[b]));
    for (int i = 1; i < n; i++) {
      int a = index[i - 1];
      int b = index[i];
      assertThat(keys[a] < keys[b] || (keys[a] == keys[b] && a < b)).as("at %d", i).isTrue();
    }
  }

  @Test
  void rankKeysOrderDoublesAsSparkSql() {
    double[] values = {Double.NaN, 1.5, -0.0, Double.NEGATIVE_INFINITY, 0.0, -2, Double.MAX_VALUE};
    Long[] keys = Arrays.stream(values).mapToObj(Ranking::ascending).toArray(Long[]::new);
    assertThat(keys[2]).isEqualTo(keys[4]); // -0.0 ranks with 0.0
    Long[] sorted = keys.clone();
    Arrays.sort(sorted);
    assertThat(sorted)
        .containsExactly(keys[3], keys[5], keys[2], keys[4], keys[1], keys[6], keys[0]);
  }

  @Test
  void theArgMaxIsTheFirstMaximumWithNanAboveEveryNumber() {
    float[] p = {0.2f, 0.5f, 0.5f, 0.1f};
    assertThat(PresentationScan.argMax(p, 0, 4, -1)).isEqualTo(1);
    assertThat(PresentationScan.argMax(p, 0, 4, 1)).isEqualTo(2);
    float[] withNan = {9, 0.1f, Float.NaN, 3, Float.NaN};
    assertThat(PresentationScan.argMax(withNan, 1, 4, -1)).isEqualTo(1); // from offset 1
    assertThat(PresentationScan.argMax(withNan, 1, 4, 1)).isEqualTo(3);
  }
}
