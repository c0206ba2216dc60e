package io.batchaudit.testing;

import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.Phase;
import java.util.Map;

/** Hand-made batches for store and read tests. */
public final class Batches {
  private Batches() {}

  /**
   * A batch of {@code ids.length} examples with one-hot targets of width 3 (class {@code id % 3})
   * and predictions derived from the ids, so that any mix-up shows.
   */
  public static AuditBatch batch(
      String runId,
      int epoch,
      int round,
      int batch,
      int partition,
      long taskAttemptId,
      long... ids) {
    int n = ids.length;
    float[] targets = new float[n * 3];
    float[] predictions = new float[n * 3];
    for (int r = 0; r < n; r++) {
      targets[r * 3 + (int) (ids[r] % 3)] = 1f;
      for (int c = 0; c < 3; c++) {
        predictions[r * 3 + c] = (ids[r] + 1) / (float) (c + 7);
      }
    }
    return new AuditBatch(
        runId,
        new BatchKey(epoch, Phase.TRAIN, round, batch, partition),
        (long) round * 2 + batch,
        0,
        taskAttemptId,
        0.5 + batch,
        ids,
        new FloatMatrix(n, 3, targets),
        new FloatMatrix(n, 3, predictions),
        null,
        null,
        null,
        Map.of());
  }
}
