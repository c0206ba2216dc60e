package io.batchaudit.train;

import io.batchaudit.capture.Network;
import io.batchaudit.capture.PredictionSource;
import io.batchaudit.config.Keys;
import java.util.Map;

/** Start-up checks that the network can be recorded as configured, before anything is written. */
final class CaptureChecks {
  private CaptureChecks() {}

  /**
   * Checks {@code net} against the audit settings of {@code settings}.
   *
   * @return the hidden layers whose activations are recorded: column name (as configured) to layer
   *     index, in configured order
   * @throws IllegalArgumentException naming the key, the value and what is allowed
   */
  static Map<String, Integer> check(Network net, TrainingSettings settings) {
    if (settings.predictions() == PredictionSource.FORWARD_PASS) {
      net.checkRecordable();
    }
    return net.hiddenLayers(
        settings.config().get(Keys.AUDIT_ACTIVATIONS),
        Keys.AUDIT_ACTIVATIONS.name()
            + " '"
            + settings.config().text(Keys.AUDIT_ACTIVATIONS)
            + "'");
  }
}
