package io.batchaudit.capture;

import io.batchaudit.store.FloatMatrix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A DL4J {@code ComputationGraph} with one input, trained through {@code SparkComputationGraph}.
 * Its outputs share each target row in output order: the job's single-label DataSets are split into
 * one label array per output ({@link #toGraphData}), and predictions and per-example losses of
 * several outputs are concatenated (summed) in that order. Hidden layers are named by their vertex
 * names.
 *
 * <p>Driver side: the instance (configuration, checks, training). Executor side: the static {@link
 * #trainingPass} and {@link #afterUpdate}, called by {@link BatchRecorder} from the DL4J callbacks
 * DL4J makes for this kind only, with the worker's own graph; and the {@link Network.Snapshot}
 * restored in each validation task.
 *
 * <p>The training forward pass: {@code ComputationGraph.computeGradientAndScore} hands listeners
 * the activations of every vertex except the output layers. Each output layer (a dense {@code
 * OutputLayer} or a {@code LossLayer}) has exactly one input vertex (DL4J inserts a merge vertex
 * for several), whose activation is in that map; {@link OutputLayers} completes the pass from it.
 */
public final class GraphNetwork implements Network {
  private final ComputationGraphConfiguration conf;

  /** A network of {@code conf}; the configuration is used as given, not copied. */
  public GraphNetwork(ComputationGraphConfiguration conf) {
    this.conf = Objects.requireNonNull(conf, "conf");
  }

  /**
   * Reads a DL4J {@code ComputationGraphConfiguration} JSON.
   *
   * @param source names the JSON in the message, such as {@code Network file /x/net.json}
   * @throws IllegalArgumentException when it is not one
   */
  public static GraphNetwork fromJson(String json, String source) {
    try {
      return new GraphNetwork(ComputationGraphConfiguration.fromJson(json));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          source + " is not a DL4J ComputationGraphConfiguration JSON: " + e.getMessage(), e);
    }
  }

  /**
   * One input, whose layers take the feature width; the widths of the outputs, in output order,
   * must add up to the target width (several outputs share the target row in that order).
   */
  @Override
  public void checkFits(String network, int features, int labelWidth, String data) {
    if (conf.getNetworkInputs().size() != 1) {
      throw new IllegalArgumentException(
          String.format(
              "%s is a graph with inputs %s; batch-audit feeds one feature array,"
                  + " so the graph needs exactly one input",
              network, conf.getNetworkInputs()));
    }
    String input = conf.getNetworkInputs().get(0);
    for (var e : conf.getVertexInputs().entrySet()) {
      if (e.getValue().contains(input)
          && conf.getVertices().get(e.getKey()) instanceof LayerVertex lv
          && lv.getLayerConf().getLayer() instanceof FeedForwardLayer f
          && f.getNIn() != features) {
        throw new IllegalArgumentException(
            String.format(
                "%s: layer '%s' expects %d inputs, but data %s",
                network, e.getKey(), f.getNIn(), data));
      }
    }
    long total = 0;
    StringBuilder outputs = new StringBuilder();
    int[] widths = widths(conf);
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
    if (total != labelWidth) {
      throw new IllegalArgumentException(
          String.format(
              "%s has outputs %s of %d values in all, but data %s; the outputs share each target"
                  + " row in output order, so their widths must add up to %d",
              network, outputs, total, data, labelWidth));
    }
  }

  /** Every network output must be supported and have exactly one input vertex. */
  @Override
  public void checkRecordable() {
    for (String out : conf.getNetworkOutputs()) {
      GraphVertex v = conf.getVertices().get(out);
      Object layer = v instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : v;
      OutputLayers.checkSupported(
          layer, "graph output '" + out + "', which is a ", "graph output '" + out + "'");
      List<String> inputs = conf.getVertexInputs().get(out);
      if (inputs == null || inputs.size() != 1) {
        throw new IllegalArgumentException(
            "Cannot record graph output '" + out + "': it has inputs " + inputs + ", expected one");
      }
    }
  }

  /** Hidden layers are the vertices that are not outputs, named by vertex name. */
  @Override
  public Map<String, Integer> hiddenLayers(List<String> wanted, String setting) {
    List<String> hidden = new ArrayList<>(conf.getVertices().keySet());
    hidden.removeAll(conf.getNetworkOutputs());
    Collections.sort(hidden);
    Map<String, Integer> layers = new LinkedHashMap<>();
    for (String name : wanted) {
      if (!hidden.contains(name)) {
        throw new IllegalArgumentException(
            "Invalid "
                + setting
                + ": '"
                + name
                + "' is not a hidden vertex of this graph; its hidden vertices are "
                + hidden);
      }
      layers.put(name, hidden.indexOf(name));
    }
    return layers;
  }

  /** The training data are {@code data} with each target row split across the outputs. */
  @Override
  public Training train(JavaSparkContext sc, TrainingMaster<?, ?> master, JavaRDD<DataSet> data) {
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init();
    int[] widths = widths(conf);
    JavaRDD<MultiDataSet> graphData = data.map(d -> (MultiDataSet) toGraphData(d, widths));
    return new OnSpark(new SparkComputationGraph(sc, graph, master), data, graphData);
  }

  private record OnSpark(
      SparkComputationGraph spark, JavaRDD<DataSet> data, JavaRDD<MultiDataSet> graphData)
      implements Training {
    @Override
    public void fitEpoch() {
      spark.fitMultiDataSet(graphData);
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
      ComputationGraph graph = spark.getNetwork();
      return new GraphSnapshot(graph.getConfiguration().toJson(), graph.params().dup());
    }

    @Override
    public void unpersist() {
      data.unpersist(false);
      graphData.unpersist(false);
    }
  }

  /** The driver's graph inside {@code spark}, for {@link AuditingTrainingMaster}'s rounds. */
  static DriverModel onDriver(SparkComputationGraph spark) {
    return new Driver(spark);
  }

  private record Driver(SparkComputationGraph spark) implements DriverModel {
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
      ComputationGraph graph = spark.getNetwork();
      return new NetBroadcastTuple(
          graph.getConfiguration(), graph.params(), graph.getUpdater().getStateViewArray());
    }

    @Override
    public boolean isGraph() {
      return true;
    }

    @Override
    public void setAverage(INDArray params, INDArray updaterState, double score) {
      ComputationGraph graph = spark.getNetwork();
      graph.setParams(params);
      if (updaterState != null) {
        graph.getUpdater().setStateViewArray(updaterState);
      }
      spark.setScore(score);
    }

    @Override
    public void advanceIterationCount(int steps) {
      var c = spark.getNetwork().getConfiguration();
      c.setIterationCount(c.getIterationCount() + steps);
    }
  }

  /**
   * Width of every output, in the graph's output order: its layer's {@code nOut}, or -1 for an
   * output whose width cannot be told (not a feed-forward layer). A {@link LossLayer} has no
   * parameters and DL4J sizes it ({@code nIn = nOut}) only from the graph's input types; without
   * them its width is that of its single input vertex.
   */
  static int[] widths(ComputationGraphConfiguration conf) {
    List<String> outs = conf.getNetworkOutputs();
    int[] w = new int[outs.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = width(conf, outs.get(i));
    }
    return w;
  }

  private static int width(ComputationGraphConfiguration conf, String vertex) {
    if (!(conf.getVertices().get(vertex) instanceof LayerVertex lv)
        || !(lv.getLayerConf().getLayer() instanceof FeedForwardLayer layer)) {
      return -1;
    }
    if (layer instanceof LossLayer && layer.getNOut() <= 0) {
      List<String> inputs = conf.getVertexInputs().get(vertex);
      return inputs != null && inputs.size() == 1 ? width(conf, inputs.get(0)) : -1;
    }
    return (int) layer.getNOut();
  }

  /**
   * Splits a single-label DataSet into the MultiDataSet a graph with outputs of the given widths
   * trains on: one label array per output, in output order, from consecutive label columns; the
   * example metadata (sample ids) is kept.
   */
  public static org.nd4j.linalg.dataset.MultiDataSet toGraphData(DataSet d, int[] outputWidths) {
    INDArray labels = d.getLabels();
    INDArray[] parts = new INDArray[outputWidths.length];
    long from = 0;
    for (int i = 0; i < parts.length; i++) {
      parts[i] =
          outputWidths.length == 1
              ? labels
              : labels
                  .get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + outputWidths[i]))
                  .dup('c');
      from += outputWidths[i];
    }
    org.nd4j.linalg.dataset.MultiDataSet mds =
        new org.nd4j.linalg.dataset.MultiDataSet(
            new INDArray[] {d.getFeatures()},
            parts,
            d.getFeaturesMaskArray() == null ? null : new INDArray[] {d.getFeaturesMaskArray()},
            null);
    mds.setExampleMetaData(d.getExampleMetaData());
    return mds;
  }

  /**
   * Executor: the predictions and loss of the training forward pass DL4J just computed (with
   * forward-pass predictions; the loss summed over the outputs), and the requested hidden
   * activations.
   *
   * @param activations what DL4J hands listeners: every vertex's activation by name, outputs
   *     excluded
   */
  static Outputs trainingPass(
      ComputationGraph graph,
      Map<String, INDArray> activations,
      Minibatch minibatch,
      CaptureSettings settings) {
    FloatMatrix predictions = null;
    float[] loss = null;
    if (settings.predictions() == PredictionSource.FORWARD_PASS) {
      List<String> outs = graph.getConfiguration().getNetworkOutputs();
      INDArray[] z = new INDArray[outs.size()];
      for (int i = 0; i < z.length; i++) {
        String out = outs.get(i);
        LayerVertex vertex = (LayerVertex) graph.getConfiguration().getVertices().get(out);
        z[i] =
            OutputLayers.preOutput(
                activations.get(graph.getConfiguration().getVertexInputs().get(out).get(0)),
                vertex.getPreProcessor(),
                graph.getLayer(out));
      }
      INDArray[] out = new INDArray[z.length];
      INDArray lossSum = null;
      for (int i = 0; i < z.length; i++) {
        Object outputConf = outputConf(graph, i);
        IActivation act = OutputLayers.activation(outputConf);
        if (settings.staging().columns().loss()) {
          INDArray l =
              OutputLayers.lossFunction(outputConf)
                  .computeScoreArray(
                      minibatch.labels()[i], z[i].dup(), act, minibatch.labelMask(i));
          lossSum = lossSum == null ? l : lossSum.add(l);
        }
        out[i] = act.getActivation(z[i], false);
      }
      predictions = NdArrays.toMatrix(NdArrays.concat(out));
      loss = lossSum == null ? null : NdArrays.toFloats(lossSum);
    }
    Map<String, FloatMatrix> hidden = null;
    if (!settings.activationLayers().isEmpty()) {
      hidden = new LinkedHashMap<>();
      // graphs name their hidden layers: the column name is the vertex name
      for (String vertex : settings.activationLayers().keySet()) {
        hidden.put(vertex, NdArrays.toMatrix(activations.get(vertex)));
      }
    }
    return new Outputs(predictions, loss, hidden);
  }

  /** The configuration of output {@code output}'s layer. */
  private static Object outputConf(ComputationGraph graph, int output) {
    String name = graph.getConfiguration().getNetworkOutputs().get(output);
    return ((LayerVertex) graph.getConfiguration().getVertices().get(name))
        .getLayerConf()
        .getLayer();
  }

  /**
   * Executor: predictions (and the loss, when {@code loss}) of an extra inference-mode forward pass
   * after the update ({@code audit.predictions=post-update}).
   */
  static Outputs afterUpdate(ComputationGraph graph, MultiDataSet minibatch, boolean loss) {
    FloatMatrix predictions =
        NdArrays.toMatrix(
            NdArrays.concat(
                graph.output(
                    false,
                    minibatch.getFeatures(),
                    minibatch.getFeaturesMaskArrays(),
                    minibatch.getLabelsMaskArrays())));
    return new Outputs(
        predictions, loss ? NdArrays.toFloats(graph.scoreExamples(minibatch, false)) : null, null);
  }

  /** Configuration JSON and parameters of a {@code ComputationGraph}. */
  private record GraphSnapshot(String configuration, INDArray params) implements Network.Snapshot {
    private static final long serialVersionUID = 1L;

    @Override
    public Evaluator restore() {
      ComputationGraph graph =
          new ComputationGraph(ComputationGraphConfiguration.fromJson(configuration));
      graph.init(params, true);
      return new Restored(graph);
    }
  }

  /** A restored graph; its outputs concatenated in output order. */
  private record Restored(ComputationGraph graph) implements Evaluator {
    @Override
    public long iterationCount() {
      return graph.getIterationCount();
    }

    @Override
    public Outputs infer(DataSet batch, Map<String, Integer> activationLayers) {
      org.nd4j.linalg.dataset.MultiDataSet mds =
          toGraphData(batch, widths(graph.getConfiguration()));
      Map<String, FloatMatrix> activations = new LinkedHashMap<>();
      FloatMatrix predictions;
      if (activationLayers.isEmpty()) {
        predictions = NdArrays.toMatrix(NdArrays.concat(graph.output(false, mds.getFeatures())));
      } else {
        Map<String, INDArray> all = graph.feedForward(mds.getFeatures(), false);
        for (String vertex : activationLayers.keySet()) {
          activations.put(vertex, NdArrays.toMatrix(all.get(vertex)));
        }
        List<String> outs = graph.getConfiguration().getNetworkOutputs();
        INDArray[] out = new INDArray[outs.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = all.get(outs.get(i));
        }
        predictions = NdArrays.toMatrix(NdArrays.concat(out));
      }
      float[] loss = NdArrays.toFloats(graph.scoreExamples(mds, false));
      return new Outputs(predictions, loss, activations);
    }
  }
}
