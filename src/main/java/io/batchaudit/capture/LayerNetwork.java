package io.batchaudit.capture;

import io.batchaudit.store.FloatMatrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A DL4J {@code MultiLayerNetwork}: a stack of layers, the last one the output layer, trained
 * through {@code SparkDl4jMultiLayer} on the job's DataSets as they are. Hidden layers are named by
 * their layer name, or by their index when unnamed.
 *
 * <p>Driver side: the instance (configuration, checks, training). Executor side: the static {@link
 * #trainingPass} and {@link #afterUpdate}, called by {@link BatchRecorder} from the DL4J callbacks
 * DL4J makes for this kind only, with the worker's own model; and the {@link Network.Snapshot}
 * restored in each validation task.
 */
public final class LayerNetwork implements Network {
  private final MultiLayerConfiguration conf;

  /** A network of {@code conf}; the configuration is used as given, not copied. */
  public LayerNetwork(MultiLayerConfiguration conf) {
    this.conf = Objects.requireNonNull(conf, "conf");
  }

  /**
   * Reads a DL4J {@code MultiLayerConfiguration} JSON.
   *
   * @param source names the JSON in the message, such as {@code Network file /x/net.json}
   * @throws IllegalArgumentException when it is not one
   */
  public static LayerNetwork fromJson(String json, String source) {
    try {
      return new LayerNetwork(MultiLayerConfiguration.fromJson(json));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          source + " is not a DL4J MultiLayerConfiguration JSON: " + e.getMessage(), e);
    }
  }

  /** The first layer's {@code nIn} must be the feature width, the output width the target width. */
  @Override
  public void checkFits(String network, int features, int labelWidth, String data) {
    List<NeuralNetConfiguration> layers = conf.getConfs();
    Layer first = layers.get(0).getLayer();
    if (first instanceof FeedForwardLayer f && f.getNIn() != features) {
      throw new IllegalArgumentException(
          String.format("%s expects %d inputs, but data %s", network, f.getNIn(), data));
    }
    long outputs = outputWidth(layers);
    if (outputs >= 0 && outputs != labelWidth) {
      throw new IllegalArgumentException(
          String.format("%s has %d outputs, but data %s", network, outputs, data));
    }
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

  @Override
  public void checkRecordable() {
    OutputLayers.checkSupported(
        conf.getConf(conf.getConfs().size() - 1).getLayer(),
        "a network whose output layer is ",
        "the output layer");
  }

  /** Every layer but the last is hidden; a name is the layer's name or, unnamed, its index. */
  @Override
  public Map<String, Integer> hiddenLayers(List<String> wanted, String setting) {
    int hidden = conf.getConfs().size() - 1;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < hidden; i++) {
      String name = conf.getConf(i).getLayer().getLayerName();
      names.add(name == null ? String.valueOf(i) : name);
    }
    Map<String, Integer> layers = new LinkedHashMap<>();
    for (String name : wanted) {
      int index = names.indexOf(name);
      if (index < 0 && name.matches("\\d+") && Integer.parseInt(name) < hidden) {
        index = Integer.parseInt(name);
      }
      if (index < 0) {
        throw new IllegalArgumentException(
            "Invalid "
                + setting
                + ": '"
                + name
                + "' is not a hidden layer of this network; its hidden layers are "
                + (hidden == 0 ? "none" : "0.." + (hidden - 1) + " named " + names));
      }
      layers.put(name, index);
    }
    return layers;
  }

  @Override
  public Training train(JavaSparkContext sc, TrainingMaster<?, ?> master, JavaRDD<DataSet> data) {
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return new OnSpark(new SparkDl4jMultiLayer(sc, net, master), data);
  }

  private record OnSpark(SparkDl4jMultiLayer spark, JavaRDD<DataSet> data) implements Training {
    @Override
    public void fitEpoch() {
      spark.fit(data);
    }

    @Override
    public double score() {
      return spark.getScore();
    }

    @Override
    public org.deeplearning4j.nn.api.Model model() {
      return spark.getNetwork();
    }

    @Override
    public Network.Snapshot snapshot() {
      MultiLayerNetwork net = spark.getNetwork();
      return new LayerSnapshot(net.getLayerWiseConfigurations().toJson(), net.params().dup());
    }

    @Override
    public void unpersist() {
      data.unpersist(false);
    }
  }

  /** The driver's model inside {@code spark}, for {@link AuditingTrainingMaster}'s rounds. */
  static DriverModel onDriver(SparkDl4jMultiLayer spark) {
    return new Driver(spark);
  }

  private record Driver(SparkDl4jMultiLayer spark) implements DriverModel {
    @Override
    public INDArray params() {
      return spark.getNetwork().params();
    }

    @Override
    public long iterationCount() {
      return spark.getNetwork().getIterationCount();
    }

    @Override
    public double score() {
      return spark.getScore();
    }

    @Override
    public JavaSparkContext sparkContext() {
      return spark.getSparkContext();
    }

    @Override
    public NetBroadcastTuple broadcastTuple() {
      MultiLayerNetwork net = spark.getNetwork();
      return new NetBroadcastTuple(
          net.getLayerWiseConfigurations(), net.params(), net.getUpdater().getStateViewArray());
    }

    @Override
    public boolean isGraph() {
      return false;
    }

    @Override
    public void setAverage(INDArray params, INDArray updaterState, double score) {
      MultiLayerNetwork net = spark.getNetwork();
      net.setParameters(params);
      if (updaterState != null) {
        net.getUpdater().setStateViewArray(null, updaterState, false);
      }
      spark.setScore(score);
    }

    @Override
    public void advanceIterationCount(int steps) {
      var c = spark.getNetwork().getLayerWiseConfigurations();
      c.setIterationCount(c.getIterationCount() + steps);
    }
  }

  /**
   * Executor: the predictions and loss of the training forward pass DL4J just computed (with
   * forward-pass predictions), and the requested hidden activations.
   *
   * @param activations what DL4J hands listeners: the input at index 0, layer {@code i}'s output at
   *     {@code i + 1}, up to the last hidden layer
   */
  static Outputs trainingPass(
      MultiLayerNetwork net,
      List<INDArray> activations,
      Minibatch minibatch,
      CaptureSettings settings) {
    FloatMatrix predictions = null;
    float[] loss = null;
    if (settings.predictions() == PredictionSource.FORWARD_PASS) {
      INDArray z =
          OutputLayers.preOutput(
              activations.get(activations.size() - 1),
              net.getLayerWiseConfigurations().getInputPreProcess(net.getnLayers() - 1),
              net.getOutputLayer());
      Object outputConf = net.getOutputLayer().conf().getLayer();
      IActivation act = OutputLayers.activation(outputConf);
      if (settings.staging().columns().loss()) {
        loss =
            NdArrays.toFloats(
                OutputLayers.lossFunction(outputConf)
                    .computeScoreArray(
                        minibatch.labels()[0], z.dup(), act, minibatch.labelMask(0)));
      }
      predictions = NdArrays.toMatrix(act.getActivation(z, false));
    }
    Map<String, FloatMatrix> hidden = null;
    if (!settings.activationLayers().isEmpty()) {
      hidden = new LinkedHashMap<>();
      for (Map.Entry<String, Integer> e : settings.activationLayers().entrySet()) {
        hidden.put(e.getKey(), NdArrays.toMatrix(activations.get(e.getValue() + 1)));
      }
    }
    return new Outputs(predictions, loss, hidden);
  }

  /**
   * Executor: predictions (and the loss, when {@code loss}) of an extra inference-mode forward pass
   * after the update ({@code audit.predictions=post-update}).
   */
  static Outputs afterUpdate(
      MultiLayerNetwork net, org.nd4j.linalg.dataset.api.DataSet minibatch, boolean loss) {
    FloatMatrix predictions =
        NdArrays.toMatrix(
            net.output(
                minibatch.getFeatures(),
                false,
                minibatch.getFeaturesMaskArray(),
                minibatch.getLabelsMaskArray()));
    return new Outputs(
        predictions,
        loss ? NdArrays.toFloats(net.scoreExamples((DataSet) minibatch, false)) : null,
        null);
  }

  /** Configuration JSON and parameters of a {@code MultiLayerNetwork}. */
  private record LayerSnapshot(String configuration, INDArray params) implements Network.Snapshot {
    private static final long serialVersionUID = 1L;

    @Override
    public Evaluator restore() {
      MultiLayerNetwork net =
          new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configuration));
      net.init(params, true);
      return new Restored(net);
    }
  }

  private record Restored(MultiLayerNetwork net) implements Evaluator {
    @Override
    public long iterationCount() {
      return net.getIterationCount();
    }

    @Override
    public Outputs infer(DataSet batch, Map<String, Integer> activationLayers) {
      Map<String, FloatMatrix> activations = new LinkedHashMap<>();
      FloatMatrix predictions;
      if (activationLayers.isEmpty()) {
        predictions =
            NdArrays.toMatrix(
                net.output(
                    batch.getFeatures(),
                    false,
                    batch.getFeaturesMaskArray(),
                    batch.getLabelsMaskArray()));
      } else {
        // index 0 is the input, layer i's output is at i + 1, the last one is the output layer's
        List<INDArray> all = net.feedForward(batch.getFeatures(), false);
        activationLayers.forEach(
            (name, layer) -> activations.put(name, NdArrays.toMatrix(all.get(layer + 1))));
        predictions = NdArrays.toMatrix(all.get(all.size() - 1));
      }
      float[] loss = NdArrays.toFloats(net.scoreExamples(batch, false));
      return new Outputs(predictions, loss, activations);
    }
  }
}
