package io.batchaudit.train;

import io.batchaudit.capture.AuditingTrainingMaster;
import io.batchaudit.capture.PredictionSource;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/** Start-up checks that the network can be recorded as configured, before anything is written. */
final class CaptureChecks {
  private CaptureChecks() {}

  static void check(MultiLayerConfiguration net, JobConfig config) {
    if (config.predictions() == PredictionSource.FORWARD_PASS) {
      AuditingTrainingMaster.checkRecordable(net);
    }
    int hidden = net.getConfs().size() - 1;
    for (int layer : config.activationLayers()) {
      if (layer >= hidden) {
        throw new IllegalArgumentException(
            "Invalid audit.activations '"
                + config.values().get(ConfigKey.AUDIT_ACTIVATIONS.key())
                + "': layer "
                + layer
                + " is not a hidden layer; this network has hidden layers 0.."
                + (hidden - 1));
      }
    }
  }
}
