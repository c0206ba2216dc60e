package io.batchaudit.capture;

import io.batchaudit.store.StagingArea;
import java.io.Serializable;
import java.util.List;

/**
 * What to record and where: built on the driver, serialized into every worker task.
 *
 * @param staging where the tasks write their files, and which optional columns
 * @param predictions which forward pass predictions come from
 * @param activationLayers indices of hidden layers whose activations are recorded (column {@code
 *     activation_<index>})
 * @param faults test-only fault injection ({@link FaultPlan#NONE} otherwise)
 */
public record CaptureSettings(
    StagingArea staging,
    PredictionSource predictions,
    List<Integer> activationLayers,
    FaultPlan faults)
    implements Serializable {

  public CaptureSettings {
    activationLayers = List.copyOf(activationLayers);
  }
}
