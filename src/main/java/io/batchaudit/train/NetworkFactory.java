package io.batchaudit.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
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
 * {@link MultiLayerConfiguration} JSON file checked against the data's widths.
 */
public final class NetworkFactory {
  public static final String AUTO = "auto";
  public static final String MLP_CLASSIFIER = "mlp-classifier";
  public static final String MLP_REGRESSOR = "mlp-regressor";

  private NetworkFactory() {}

  public static MultiLayerConfiguration create(JobConfig config, DataSpec data) {
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
        return fromJson(Path.of(network), data);
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

  /** Reads a MultiLayerConfiguration JSON file; its input and output widths must fit the data. */
  static MultiLayerConfiguration fromJson(Path file, DataSpec data) {
    String json;
    try {
      json = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "Invalid network '"
              + file
              + "': no such file (use auto, mlp-classifier, mlp-regressor"
              + " or the path of a MultiLayerConfiguration JSON file)");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read network file " + file, e);
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
    Layer last = layers.get(layers.size() - 1).getLayer();
    if (first instanceof FeedForwardLayer f && f.getNIn() != data.features()) {
      throw new IllegalArgumentException(
          String.format(
              "Network file %s expects %d inputs, but data %s has %d features",
              file, f.getNIn(), data, data.features()));
    }
    if (last instanceof FeedForwardLayer f && f.getNOut() != data.labelWidth()) {
      throw new IllegalArgumentException(
          String.format(
              "Network file %s has %d outputs, but data %s has targets of width %d",
              file, f.getNOut(), data, data.labelWidth()));
    }
    return conf;
  }
}
