package io.batchaudit.store;

import java.util.Comparator;

/**
 * Identifies one minibatch that one worker trained on.
 *
 * <p>Natural order is training order for parameter averaging: {@code epoch}, then {@code phase}
 * (train before validation), then averaging {@code round}, then {@code batch} (the position of the
 * minibatch within its partition's round; batch {@code k} of every partition runs concurrently on
 * the workers), then Spark {@code partition}. All indices are 0-based.
 *
 * @param epoch 0-based epoch
 * @param phase train or validation
 * @param round 0-based averaging round within the epoch (DL4J's split number minus one)
 * @param batch 0-based index of the minibatch within its partition's round
 * @param partition Spark partition id of the worker task within the round
 */
public record BatchKey(int epoch, Phase phase, int round, int batch, int partition)
    implements Comparable<BatchKey> {

  private static final Comparator<BatchKey> TRAINING_ORDER =
      Comparator.comparingInt(BatchKey::epoch)
          .thenComparing(BatchKey::phase)
          .thenComparingInt(BatchKey::round)
          .thenComparingInt(BatchKey::batch)
          .thenComparingInt(BatchKey::partition);

  public BatchKey {
    if (epoch < 0 || round < 0 || batch < 0 || partition < 0) {
      throw new IllegalArgumentException(
          "Batch key indices must be >= 0, got epoch "
              + epoch
              + ", round "
              + round
              + ", batch "
              + batch
              + ", partition "
              + partition);
    }
    if (phase == null) {
      throw new IllegalArgumentException("Batch key phase must not be null");
    }
  }

  @Override
  public int compareTo(BatchKey other) {
    return TRAINING_ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return String.format(
        "(%s epoch %d, round %d, batch %d, partition %d)",
        phase.label(), epoch, round, batch, partition);
  }
}
