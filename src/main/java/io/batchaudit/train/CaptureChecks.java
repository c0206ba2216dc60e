package io.batchaudit.train;

import io.batchaudit.capture.Network;
import io.batchaudit.capture.PredictionSource;
import io.batchaudit.config.ConfigKey;
import io.batchaudit.config.JobConfig;
import java.util.Map;

/** Start-up checks that the network can be recorded as configured, before anything is written. */
final class CaptureChecks {
  private CaptureChecks() {}

  /**
   * Checks {@code net} against the audit settings of {@code config}.
   *
   * @return the hidden layers whose activations are recorded: column name (as configured) to layer
   *     index, in configured order
   * @throws IllegalArgumentException naming the key, the value and what is allowed
   */
  static Map<String, Integer> check(Network net, JobConfig config) {
    if (config.predictions() == PredictionSource.FORWARD_PASS) {
      net.checkRecordable();
    }
    String key = ConfigKey.AUDIT_ACTIVATIONS.key();
    return net.hiddenLayers(config.activationLayers(), key + " '" + config.values().get(key) + "'");
  }
}
