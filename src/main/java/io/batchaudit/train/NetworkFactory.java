package io.batchaudit.train;

import io.batchaudit.capture.AuditedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the network configuration of a job: a built-in MLP preset sized from the data, or a DL4J
 * {@link MultiLayerConfiguration} or {@link ComputationGraphConfiguration} JSON file checked
 * against the data's widths.
 */
public final class NetworkFactory {
  public static final String AUTO = "auto";
  public static final String MLP_CLASSIFIER = "mlp-classifier";
  public static final String MLP_REGRESSOR = "mlp-regressor";

  private NetworkFactory() {}

  /** The network of {@code config}, sized from (presets) or checked against (files) the data. */
  public static NetworkConf create(JobConfig config, DataShape data) {
    switch (config.network()) {
      case AUTO:
      case MLP_CLASSIFIER:
      case MLP_REGRESSOR:
        return NetworkConf.of(preset(config, data));
      default:
        return fromJson(Path.of(config.network()), data, config.values().get(ConfigKey.DATA.key()));
    }
  }

  private static MultiLayerConfiguration preset(JobConfig config, DataShape data) {
    String network = config.network();
    IUpdater updater = updater(config.updater(), config.learningRate());
    switch (network) {
      case AUTO:
        return data.classification()
            ? classifier(
                data.features(), config.hiddenLayers(), data.labelWidth(), config.seed(), updater)
            : regressor(
                data.features(), config.hiddenLayers(), data.labelWidth(), config.seed(), updater);
      case MLP_CLASSIFIER:
        return classifier(
            data.features(), config.hiddenLayers(), data.labelWidth(), config.seed(), updater);
      case MLP_REGRESSOR:
        return regressor(
            data.features(), config.hiddenLayers(), data.labelWidth(), config.seed(), updater);
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
   * (a graph's JSON has {@code vertices}); its input and output widths must fit the data.
   */
  static NetworkConf fromJson(Path file, DataShape data, String dataName) {
    String json;
    try {
      json = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "Invalid network '"
              + file
              + "': no such file (use auto, mlp-classifier, mlp-regressor"
              + " or the path of a MultiLayerConfiguration or ComputationGraphConfiguration JSON"
              + " file)");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read network file " + file, e);
    }
    if (json.contains("\"vertices\"")) {
      return NetworkConf.of(graphFromJson(file, json, data, dataName));
    }
    MultiLayerConfiguration conf;
    try {
      conf = MultiLayerConfiguration.fromJson(json);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Network file " + file + " is not a DL4J MultiLayerConfiguration JSON: " + e.getMessage(),
          e);
    }
    List<NeuralNetConfiguration> layers = conf.getConfs();
    Layer first = layers.get(0).getLayer();
    if (first instanceof FeedForwardLayer f && f.getNIn() != data.features()) {
      throw new IllegalArgumentException(
          String.format(
              "Network file %s expects %d inputs, but data %s has %s",
              file, f.getNIn(), dataName, data.describe()));
    }
    long outputs = outputWidth(layers);
    if (outputs >= 0 && outputs != data.labelWidth()) {
      throw new IllegalArgumentException(
          String.format(
              "Network file %s has %d outputs, but data %s has %s",
              file, outputs, dataName, data.describe()));
    }
    return NetworkConf.of(conf);
  }

  /**
   * The output width of a layer list: the last layer's {@code nOut}, or -1 when it is not a
   * feed-forward layer. A {@link LossLayer} has no parameters and DL4J sizes it ({@code nIn =
   * nOut}) only from the configuration's input type; without one its width is the layer before's.
   */
  private static long outputWidth(List<NeuralNetConfiguration> layers) {
    for (int i = layers.size() - 1; i >= 0; i--) {
      if (!(layers.get(i).getLayer() instanceof FeedForwardLayer f)) {
        return -1;
      }
      if (!(f instanceof LossLayer) || f.getNOut() > 0) {
        return f.getNOut();
      }
    }
    return -1;
  }

  /**
   * A graph with one input; the widths of its outputs, in output order, must add up to the target
   * width (several outputs share the target row in that order).
   */
  private static ComputationGraphConfiguration graphFromJson(
      Path file, String json, DataShape data, String dataName) {
    ComputationGraphConfiguration conf;
    try {
      conf = ComputationGraphConfiguration.fromJson(json);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Network file "
              + file
              + " is not a DL4J ComputationGraphConfiguration JSON: "
              + e.getMessage(),
          e);
    }
    if (conf.getNetworkInputs().size() != 1) {
      throw new IllegalArgumentException(
          String.format(
              "Network file %s is a graph with inputs %s; batch-audit feeds one feature array,"
                  + " so the graph needs exactly one input",
              file, conf.getNetworkInputs()));
    }
    String input = conf.getNetworkInputs().get(0);
    for (var e : conf.getVertexInputs().entrySet()) {
      if (e.getValue().contains(input)
          && conf.getVertices().get(e.getKey()) instanceof LayerVertex lv
          && lv.getLayerConf().getLayer() instanceof FeedForwardLayer f
          && f.getNIn() != data.features()) {
        throw new IllegalArgumentException(
            String.format(
                "Network file %s: layer '%s' expects %d inputs, but data %s has %s",
                file, e.getKey(), f.getNIn(), dataName, data.describe()));
      }
    }
    long total = 0;
    StringBuilder outputs = new StringBuilder();
    int[] widths = AuditedModel.outputWidths(conf);
    for (int i = 0; i < widths.length; i++) {
      String out = conf.getNetworkOutputs().get(i);
      long width = widths[i];
      outputs
          .append(outputs.length() == 0 ? "" : ", ")
          .append(out)
          .append(" (")
          .append(width)
          .append(')');
      total += width;
    }
    if (total != data.labelWidth()) {
      throw new IllegalArgumentException(
          String.format(
              "Network file %s has outputs %s of %d values in all, but data %s has %s; the"
                  + " outputs share each target row in output order, so their widths must add up"
                  + " to %d",
              file, outputs, total, dataName, data.describe(), data.labelWidth()));
    }
    return conf;
  }
}
