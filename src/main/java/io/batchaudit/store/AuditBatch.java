package io.batchaudit.store;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One recorded minibatch: its keys, the sample ids of its examples in row order, and the arrays the
 * network saw and produced for them. Stored as {@link #size()} Parquet rows, one per example.
 *
 * <p>Arrays are owned by the batch (no defensive copies: this type sits on the training hot path);
 * callers must not modify them after construction. Optional columns are {@code null} when not
 * recorded; {@code activations} is empty when none were recorded. A batch read with a column
 * projection ({@link ValueColumn}) has {@code null} (activations: empty) for every value column the
 * read left out, targets and predictions included; a batch written always has both.
 *
 * @param runId the run that wrote the batch
 * @param key epoch, phase, round, batch and partition
 * @param step DL4J's iteration count of the worker's network before this minibatch's update
 * @param attempt Spark's attempt number of the task that trained the batch (0 for the first)
 * @param taskAttemptId Spark's unique task attempt id
 * @param batchScore the minibatch score (loss plus regularization) DL4J computed for this batch
 * @param sampleIds the source example of every row
 * @param targets the labels as the network saw them (one-hot for classification); {@code null} only
 *     when read without {@link ValueColumn#TARGETS}
 * @param predictions the output of the forward pass the loss was computed on; {@code null} only
 *     when read without {@link ValueColumn#PREDICTIONS}
 * @param features the input features, or {@code null}
 * @param labelMask the label mask, or {@code null} (also when the batch had no mask)
 * @param loss the per-example loss, or {@code null}
 * @param activations hidden-layer activations by layer name, possibly empty
 */
public record AuditBatch(
    String runId,
    BatchKey key,
    long step,
    int attempt,
    long taskAttemptId,
    double batchScore,
    long[] sampleIds,
    FloatMatrix targets,
    FloatMatrix predictions,
    FloatMatrix features,
    FloatMatrix labelMask,
    float[] loss,
    Map<String, FloatMatrix> activations) {

  public AuditBatch {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(sampleIds, "sampleIds");
    activations = activations == null ? Map.of() : Map.copyOf(activations);
    int n = sampleIds.length;
    if (targets != null) {
      checkRows("targets", targets, n, key);
    }
    if (predictions != null) {
      checkRows("predictions", predictions, n, key);
    }
    if (features != null) {
      checkRows("features", features, n, key);
    }
    if (labelMask != null) {
      checkRows("labelMask", labelMask, n, key);
    }
    if (loss != null && loss.length != n) {
      throw new IllegalArgumentException(
          "Batch " + key + ": loss has " + loss.length + " values for " + n + " examples");
    }
    for (Map.Entry<String, FloatMatrix> e : activations.entrySet()) {
      checkRows("activation " + e.getKey(), e.getValue(), n, key);
    }
  }

  private static void checkRows(String what, FloatMatrix m, int n, BatchKey key) {
    if (m.rows() != n) {
      throw new IllegalArgumentException(
          "Batch " + key + ": " + what + " has " + m.rows() + " rows for " + n + " sample ids");
    }
  }

  /** Number of examples (rows) in the batch. */
  public int size() {
    return sampleIds.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuditBatch b
        && runId.equals(b.runId)
        && key.equals(b.key)
        && step == b.step
        && attempt == b.attempt
        && taskAttemptId == b.taskAttemptId
        && Double.compare(batchScore, b.batchScore) == 0
        && Arrays.equals(sampleIds, b.sampleIds)
        && Objects.equals(targets, b.targets)
        && Objects.equals(predictions, b.predictions)
        && Objects.equals(features, b.features)
        && Objects.equals(labelMask, b.labelMask)
        && Arrays.equals(loss, b.loss)
        && activations.equals(b.activations);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, step, taskAttemptId, Arrays.hashCode(sampleIds));
  }

  @Override
  public String toString() {
    return "AuditBatch" + key + "[rows=" + size() + ", step=" + step + ", attempt=" + attempt + "]";
  }
}
