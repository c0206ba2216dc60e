package io.batchaudit.capture;

import io.batchaudit.store.StagedFile;
import java.util.List;

/**
 * One finished averaging round, as seen on the driver.
 *
 * @param epoch 0-based epoch
 * @param round 0-based round within the epoch
 * @param rounds number of rounds in this epoch
 * @param staged staged files reported by the task attempts Spark accepted (empty without audit)
 * @param score DL4J's averaged score of the round
 */
public record RoundResult(int epoch, int round, int rounds, List<StagedFile> staged, double score) {
  public RoundResult {
    staged = List.copyOf(staged);
  }

  /** Rows recorded in this round. */
  public long rows() {
    return staged.stream().mapToLong(StagedFile::rows).sum();
  }
}
