package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shuffle's sort key: distinct ids never tie, and the seed decides the order. */
class ShuffleOrderTest {
  @Test
  void distinctIdsGetDistinctKeysAndAnotherSeedAnotherOrder() {
    Set<Long> keys = new HashSet<>();
    for (long id = 0; id < 100_000; id++) {
      keys.add(DataSets.order(42, id));
    }
    assertThat(keys).hasSize(100_000);
    assertThat(DataSets.order(42, 7)).isEqualTo(DataSets.order(42, 7));
    assertThat(DataSets.order(7, 7)).isNotEqualTo(DataSets.order(42, 7));
    // not the identity order: ids 0 and 1 swap under seed 42 or later ids interleave
    long before = 0;
    for (long id = 0; id < 10; id++) {
      before += DataSets.order(42, id) < DataSets.order(42, id + 1) ? 1 : 0;
    }
    assertThat(before).isBetween(1L, 9L);
  }
}
