package io.batchaudit.train;

import io.batchaudit.capture.GraphNetwork;
import io.batchaudit.capture.LayerNetwork;
import io.batchaudit.capture.Network;
import io.batchaudit.config.GraphInput;
import io.batchaudit.config.JobConfig;
import io.batchaudit.config.Keys;
import io.batchaudit.source.DataShape;
import io.batchaudit.source.NetworkJson;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the network of a job: a built-in MLP preset sized from the data, or a DL4J {@code
 * MultiLayerConfiguration} or {@code ComputationGraphConfiguration} JSON file checked against the
 * data's widths. This is the one place that chooses the kind of {@link Network}.
 */
public final class NetworkFactory {
  public static final String AUTO = "auto";
  public static final String MLP_CLASSIFIER = "mlp-classifier";
  public static final String MLP_REGRESSOR = "mlp-regressor";

  private NetworkFactory() {}

  /** The network of {@code config}, sized from (presets) or checked against (files) the data. */
  public static Network create(JobConfig config, DataShape data) {
    GraphNetwork.FeatureInputs inputs = featureInputs(config);
    switch (config.get(Keys.NETWORK)) {
      case AUTO:
      case MLP_CLASSIFIER:
      case MLP_REGRESSOR:
        if (inputs != null) {
          throw severalInputsNeedAGraph(inputs, "network " + config.get(Keys.NETWORK) + " is a");
        }
        return new LayerNetwork(preset(config, data));
      default:
        return fromJson(Path.of(config.get(Keys.NETWORK)), data, config.text(Keys.DATA), inputs);
    }
  }

  /** The graph inputs of {@code graph.inputs}, or null when it is empty (one input). */
  private static GraphNetwork.FeatureInputs featureInputs(JobConfig config) {
    List<GraphInput> inputs = config.get(Keys.GRAPH_INPUTS);
    if (inputs.isEmpty()) {
      return null;
    }
    return new GraphNetwork.FeatureInputs(
        inputs.stream().map(GraphInput::name).toList(),
        inputs.stream().mapToInt(GraphInput::width).toArray(),
        Keys.GRAPH_INPUTS.name() + " '" + config.text(Keys.GRAPH_INPUTS) + "'");
  }

  private static IllegalArgumentException severalInputsNeedAGraph(
      GraphNetwork.FeatureInputs inputs, String network) {
    return new IllegalArgumentException(
        "Invalid "
            + inputs.setting()
            + ": "
            + network
            + " MultiLayerNetwork, which has one input; graph.inputs needs network = a DL4J"
            + " ComputationGraphConfiguration JSON file with those inputs (or leave graph.inputs"
            + " empty)");
  }

  /** The configuration of a preset network ({@code auto}, {@code mlp-*}) sized for {@code data}. */
  static MultiLayerConfiguration preset(JobConfig config, DataShape data) {
    String network = config.get(Keys.NETWORK);
    List<Integer> hidden = config.get(Keys.HIDDEN_LAYERS);
    long seed = config.get(Keys.SEED);
    IUpdater updater = updater(config.get(Keys.UPDATER), config.get(Keys.LEARNING_RATE));
    switch (network) {
      case AUTO:
        return data.classification()
            ? classifier(data.features(), hidden, data.labelWidth(), seed, updater)
            : regressor(data.features(), hidden, data.labelWidth(), seed, updater);
      case MLP_CLASSIFIER:
        return classifier(data.features(), hidden, data.labelWidth(), seed, updater);
      case MLP_REGRESSOR:
        return regressor(data.features(), hidden, data.labelWidth(), seed, updater);
      default:
        throw new IllegalStateException("not a preset: " + network);
    }
  }

  static IUpdater updater(String name, double lr) {
    switch (name) {
      case "sgd":
        return new Sgd(lr);
      case "nesterovs":
        return new Nesterovs(lr, 0.9);
      default:
        return new Adam(lr);
    }
  }

  /** Dense ReLU hidden layers, softmax output, multi-class cross-entropy. */
  public static MultiLayerConfiguration classifier(
      int nIn, List<Integer> hidden, int classes, long seed, IUpdater updater) {
    return mlp(
        nIn,
        hidden,
        seed,
        updater,
        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
            .nOut(classes)
            .activation(Activation.SOFTMAX));
  }

  /** Dense ReLU hidden layers, identity output, mean squared error. */
  public static MultiLayerConfiguration regressor(
      int nIn, List<Integer> hidden, int outputs, long seed, IUpdater updater) {
    return mlp(
        nIn,
        hidden,
        seed,
        updater,
        new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
            .nOut(outputs)
            .activation(Activation.IDENTITY));
  }

  private static MultiLayerConfiguration mlp(
      int nIn, List<Integer> hidden, long seed, IUpdater updater, OutputLayer.Builder output) {
    NeuralNetConfiguration.ListBuilder b =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .updater(updater)
            .weightInit(WeightInit.XAVIER)
            .list();
    int in = nIn;
    int index = 0;
    for (int h : hidden) {
      b.layer(
          index++, new DenseLayer.Builder().nIn(in).nOut(h).activation(Activation.RELU).build());
      in = h;
    }
    b.layer(index, output.nIn(in).build());
    return b.build();
  }

  /**
   * Reads a DL4J {@code MultiLayerConfiguration} or {@code ComputationGraphConfiguration} JSON file
   * (a graph's JSON has {@code vertices}); its input and output widths must fit the data, a graph
   * with several inputs those of {@code inputs} (null: one input).
   */
  static Network fromJson(
      Path file, DataShape data, String dataName, GraphNetwork.FeatureInputs inputs) {
    String json = NetworkJson.read(file);
    String source = "Network file " + file;
    boolean graph = json.contains("\"vertices\"");
    if (!graph && inputs != null) {
      throw severalInputsNeedAGraph(inputs, source + " is a");
    }
    Network network =
        graph ? GraphNetwork.fromJson(json, source, inputs) : LayerNetwork.fromJson(json, source);
    network.checkFits(
        source, data.features(), data.labelWidth(), dataName + " has " + data.describe());
    return network;
  }
}
