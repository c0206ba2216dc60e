package io.batchaudit.capture;

import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.Phase;
import io.batchaudit.store.hadoop.Checksums;
import io.batchaudit.store.table.StagingArea;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The capture of an audited run: what to record and where. Built on the driver, serialized into
 * every worker task (inside each {@link BatchRecorder}) and every validation task.
 *
 * @param staging where the tasks write their files, and which optional columns
 * @param predictions which forward pass predictions come from
 * @param activationLayers hidden layers whose activations are recorded: column name suffix (the
 *     layer's name or index as configured; column {@code activation_<name>}) to layer index, in
 *     column order
 * @param faults test-only fault injection ({@link FaultPlan#NONE} otherwise)
 */
public record CaptureSettings(
    StagingArea staging,
    PredictionSource predictions,
    Map<String, Integer> activationLayers,
    FaultPlan faults)
    implements Capture {

  public CaptureSettings {
    activationLayers =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(activationLayers));
  }

  @Override
  public List<BatchRecorder> recorders(int epoch, int round, long firstStep) {
    return List.of(new BatchRecorder(this, Phase.TRAIN, epoch, round, firstStep));
  }

  @Override
  public String fingerprint(INDArray params) {
    return Checksums.ofFloats(NdArrays.toFloats(params));
  }

  @Override
  public ValidationRecorder validationRecorder(int epoch, TaskContext task) {
    return new Staged(this, epoch, task);
  }

  /**
   * Writes a validation task attempt's batches to its own staged file, opened with the first batch,
   * sealed before the task's result leaves it; the driver commits the files of the attempts whose
   * results Spark collected.
   */
  private static final class Staged implements ValidationRecorder {
    private final CaptureSettings capture;
    private final int epoch;
    private final TaskContext task;
    private StagingArea.StagedWriter writer;

    Staged(CaptureSettings capture, int epoch, TaskContext task) {
      this.capture = capture;
      this.epoch = epoch;
      this.task = task;
    }

    @Override
    public void beforeBatch(int batch) {
      capture
          .faults()
          .beforeBatch(Phase.VALIDATION, epoch, 0, task.partitionId(), batch, task.attemptNumber());
    }

    @Override
    public void record(
        BatchKey key,
        long step,
        double batchScore,
        DataSet batch,
        FloatMatrix targets,
        Network.Outputs outputs) {
      if (writer == null) {
        writer =
            capture
                .staging()
                .open(
                    Phase.VALIDATION,
                    epoch,
                    0,
                    task.partitionId(),
                    task.stageId(),
                    task.attemptNumber(),
                    task.taskAttemptId());
      }
      var columns = capture.staging().columns();
      writer.write(
          new AuditBatch(
              capture.staging().runId(),
              key,
              step,
              task.attemptNumber(),
              task.taskAttemptId(),
              batchScore,
              BatchRecorder.sampleIds(batch, key),
              targets,
              outputs.predictions(),
              columns.features() ? NdArrays.toMatrix(batch.getFeatures()) : null,
              columns.labelMask() && batch.getLabelsMaskArray() != null
                  ? NdArrays.toMatrix(batch.getLabelsMaskArray())
                  : null,
              columns.loss() ? outputs.loss() : null,
              outputs.activations()));
    }

    @Override
    public void seal() {
      if (writer != null) {
        writer.seal();
      }
    }

    @Override
    public void afterSeal() {
      if (writer != null) {
        // a fault here leaves a sealed file of a failed attempt behind, as a late failure would
        capture
            .faults()
            .afterSeal(Phase.VALIDATION, epoch, 0, task.partitionId(), task.attemptNumber());
      }
    }

    @Override
    public void abort() {
      if (writer != null) {
        writer.abort();
      }
    }
  }
}
