package io.batchaudit.train;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * A job's network configuration: exactly one of a {@code MultiLayerNetwork}'s or a {@code
 * ComputationGraph}'s.
 */
public record NetworkConf(MultiLayerConfiguration layers, ComputationGraphConfiguration graph) {
  public NetworkConf {
    if ((layers == null) == (graph == null)) {
      throw new IllegalArgumentException("exactly one of layers and graph must be set");
    }
  }

  public static NetworkConf of(MultiLayerConfiguration layers) {
    return new NetworkConf(layers, null);
  }

  public static NetworkConf of(ComputationGraphConfiguration graph) {
    return new NetworkConf(null, graph);
  }

  public boolean isGraph() {
    return graph != null;
  }
}
