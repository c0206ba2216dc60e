package io.batchaudit.capture;

import io.batchaudit.store.BatchKey;
import io.batchaudit.store.FloatMatrix;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Records the validation batches of one task attempt ({@link Capture#validationRecorder}); the
 * recorder of a run without audit log does nothing.
 *
 * <p>Runs on an executor, in the task's thread, in this order: per batch {@link #beforeBatch} (a
 * test's fault may fire here) and {@link #record}; then {@link #seal} before the task's result
 * leaves it, and {@link #afterSeal}; or {@link #abort} when the task fails before it sealed.
 */
public interface ValidationRecorder {
  /** Called before batch {@code batch} (0-based within the task) is evaluated. */
  void beforeBatch(int batch);

  /**
   * Appends one evaluated batch to the attempt's staged file (opened with the first batch).
   *
   * @param step the evaluated model's iteration count
   * @param batchScore the batch's mean per-example loss
   * @param targets the batch's labels, copied out of ND4J
   */
  void record(
      BatchKey key,
      long step,
      double batchScore,
      DataSet batch,
      FloatMatrix targets,
      Network.Outputs outputs);

  /** Seals the staged file, if a batch was recorded: the commit needs it sealed. */
  void seal();

  /** After a successful seal, outside the task's failure handling. */
  void afterSeal();

  /** Deletes the staged file of a failed attempt, if one was opened. */
  void abort();
}
