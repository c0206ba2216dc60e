package io.batchaudit.capture;

import io.batchaudit.store.StagingArea;
import java.io.Serializable;
import java.util.Map;

/**
 * What to record and where: built on the driver, serialized into every worker task.
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
    implements Serializable {

  public CaptureSettings {
    activationLayers =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(activationLayers));
  }
}
