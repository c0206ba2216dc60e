package io.batchaudit.capture;

import io.batchaudit.store.RoundStart;
import io.batchaudit.store.table.AcceptedAttempt;
import java.util.List;

/**
 * One finished averaging round, as seen on the driver.
 *
 * @param epoch 0-based epoch
 * @param round 0-based round within the epoch
 * @param rounds number of rounds in this epoch
 * @param accepted the task attempts whose results Spark delivered, one per partition
 * @param paramsSha256 fingerprint of the parameters the workers started the round from, or {@code
 *     null} when the run is not audited
 * @param score DL4J's averaged score after the round
 */
public record RoundResult(
    int epoch,
    int round,
    int rounds,
    List<AcceptedAttempt> accepted,
    String paramsSha256,
    double score) {

  public RoundResult {
    accepted = List.copyOf(accepted);
  }

  /** Examples trained in this round, over all partitions. */
  public long examples() {
    return accepted.stream().mapToLong(AcceptedAttempt::examples).sum();
  }

  /** The round's provenance record for the epoch manifest. */
  public RoundStart provenance() {
    return new RoundStart(
        round, paramsSha256, score, (int) accepted.stream().filter(a -> a.batches() > 0).count());
  }
}
