package io.batchaudit.train;

import io.batchaudit.capture.AuditingTrainingMaster;
import io.batchaudit.capture.PredictionSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

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
  static Map<String, Integer> check(NetworkConf net, JobConfig config) {
    return net.isGraph() ? check(net.graph(), config) : check(net.layers(), config);
  }

  /** For a graph, hidden layers are named by their vertex names (mapped to their vertex index). */
  private static Map<String, Integer> check(ComputationGraphConfiguration graph, JobConfig config) {
    if (config.predictions() == PredictionSource.FORWARD_PASS) {
      AuditingTrainingMaster.checkRecordable(graph);
    }
    List<String> hidden = new ArrayList<>(graph.getVertices().keySet());
    hidden.removeAll(graph.getNetworkOutputs());
    java.util.Collections.sort(hidden);
    Map<String, Integer> layers = new LinkedHashMap<>();
    for (String wanted : config.activationLayers()) {
      if (!hidden.contains(wanted)) {
        throw new IllegalArgumentException(
            "Invalid audit.activations '"
                + config.values().get(ConfigKey.AUDIT_ACTIVATIONS.key())
                + "': '"
                + wanted
                + "' is not a hidden vertex of this graph; its hidden vertices are "
                + hidden);
      }
      layers.put(wanted, hidden.indexOf(wanted));
    }
    return layers;
  }

  private static Map<String, Integer> check(MultiLayerConfiguration net, JobConfig config) {
    if (config.predictions() == PredictionSource.FORWARD_PASS) {
      AuditingTrainingMaster.checkRecordable(net);
    }
    int hidden = net.getConfs().size() - 1;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < hidden; i++) {
      String name = net.getConf(i).getLayer().getLayerName();
      names.add(name == null ? String.valueOf(i) : name);
    }
    Map<String, Integer> layers = new LinkedHashMap<>();
    for (String wanted : config.activationLayers()) {
      int index = names.indexOf(wanted);
      if (index < 0 && wanted.matches("\\d+") && Integer.parseInt(wanted) < hidden) {
        index = Integer.parseInt(wanted);
      }
      if (index < 0) {
        throw new IllegalArgumentException(
            "Invalid audit.activations '"
                + config.values().get(ConfigKey.AUDIT_ACTIVATIONS.key())
                + "': '"
                + wanted
                + "' is not a hidden layer of this network; its hidden layers are "
                + (hidden == 0 ? "none" : "0.." + (hidden - 1) + " named " + names));
      }
      layers.put(wanted, index);
    }
    return layers;
  }
}
