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
 * A DL4J {@code ComputationGraph}, trained through {@code SparkComputationGraph}. Its one input
 * takes the whole feature row, or its several inputs take consecutive parts of it ({@link
 * FeatureInputs}, in the graph's input order). Its outputs share each target row in output order:
 * the job's single-example DataSets are split into one feature array per input and one label array
 * per output ({@link #toGraphData}), and predictions and per-example losses of several outputs are
 * concatenated (summed) in that order. Recorded features of several inputs are their arrays
 * concatenated in input order: the feature row again. Hidden layers are named by their vertex
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
  private final FeatureInputs inputs;

  /**
   * How the feature row is split across a graph's several inputs: input {@code names.get(i)} takes
   * the next {@code widths[i]} features, from feature 0 on. Checked against the graph and the data
   * by {@link #checkFits}.
   *
   * @param names the inputs, in the order they take the features (must be the graph's input order)
   * @param setting how messages name the setting, such as {@code graph.inputs 'a:0-1, b:2-3'}
   */
  public record FeatureInputs(List<String> names, int[] widths, String setting) {
    public FeatureInputs {
      names = List.copyOf(names);
      widths = widths.clone();
      if (names.size() != widths.length) {
        throw new IllegalArgumentException(
            names.size() + " names for " + widths.length + " widths");
      }
    }

    @Override
    public int[] widths() {
      return widths.clone();
    }
  }

  /** A network of {@code conf} with one input; the configuration is used as given, not copied. */
  public GraphNetwork(ComputationGraphConfiguration conf) {
    this(conf, null);
  }

  /**
   * A network of {@code conf} whose inputs take the features as {@code inputs} says, or, when
   * {@code inputs} is null, whose one input takes them all.
   */
  public GraphNetwork(ComputationGraphConfiguration conf, FeatureInputs inputs) {
    this.conf = Objects.requireNonNull(conf, "conf");
    this.inputs = inputs;
  }

  /**
   * Reads a DL4J {@code ComputationGraphConfiguration} JSON.
   *
   * @param source names the JSON in the message, such as {@code Network file /x/net.json}
   * @throws IllegalArgumentException when it is not one
   */
  public static GraphNetwork fromJson(String json, String source) {
    return fromJson(json, source, null);
  }

  /**
   * Reads a DL4J {@code ComputationGraphConfiguration} JSON whose inputs take the features as
   * {@code inputs} says (null: one input takes them all).
   *
   * @throws IllegalArgumentException when it is not one
   */
  public static GraphNetwork fromJson(String json, String source, FeatureInputs inputs) {
    try {
      return new GraphNetwork(ComputationGraphConfiguration.fromJson(json), inputs);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          source + " is not a DL4J ComputationGraphConfiguration JSON: " + e.getMessage(), e);
    }
  }

  /**
   * One input, whose layers take the feature width, or the inputs of {@link FeatureInputs}: the
   * graph's inputs in its order, their widths adding up to the feature width, each input's layers
   * taking its width. The widths of the outputs, in output order, must add up to the target width
   * (several outputs share the target row in that order).
   */
  @Override
  public void checkFits(String network, int features, int labelWidth, String data) {
    List<String> graphInputs = conf.getNetworkInputs();
    if (inputs == null) {
      if (graphInputs.size() != 1) {
        throw new IllegalArgumentException(
            String.format(
                "%s is a graph with inputs %s; batch-audit feeds a graph one feature array unless"
                    + " graph.inputs maps the features to its inputs: set graph.inputs, such as"
                    + " graph.inputs = %s (0-based feature positions, in the graph's input order)",
                network, graphInputs, example(graphInputs, features)));
      }
      checkInputWidth(network, graphInputs.get(0), features, data, "");
    } else {
      if (!inputs.names().equals(graphInputs)) {
        throw new IllegalArgumentException(
            String.format(
                "Invalid %s: %s has inputs %s; name each of them once, in that order%s",
                inputs.setting(),
                network,
                graphInputs,
                inputs.names().size() == graphInputs.size()
                    ? ", such as graph.inputs = " + renamed(graphInputs, inputs.widths())
                    : ""));
      }
      int total = 0;
      for (int w : inputs.widths()) {
        total += w;
      }
      if (total != features) {
        throw new IllegalArgumentException(
            String.format(
                "Invalid %s: the inputs take features 0-%d, but data %s; every feature goes to"
                    + " exactly one input, so the last range must end at %d",
                inputs.setting(), total - 1, data, features - 1));
      }
      for (int i = 0; i < graphInputs.size(); i++) {
        checkInputWidth(
            network,
            graphInputs.get(i),
            inputs.widths()[i],
            data,
            String.format(
                " (input '%s' takes %d of them, %s)",
                graphInputs.get(i), inputs.widths()[i], inputs.setting()));
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

  /**
   * Every layer reading {@code input} directly must take {@code width} values.
   *
   * @param which what the message adds after the data, such as the input's share of the features
   */
  private void checkInputWidth(String network, String input, int width, String data, String which) {
    for (var e : conf.getVertexInputs().entrySet()) {
      if (e.getValue().contains(input)
          && conf.getVertices().get(e.getKey()) instanceof LayerVertex lv
          && lv.getLayerConf().getLayer() instanceof FeedForwardLayer f
          && f.getNIn() != width) {
        throw new IllegalArgumentException(
            String.format(
                "%s: layer '%s' expects %d inputs, but data %s%s",
                network, e.getKey(), f.getNIn(), data, which));
      }
    }
  }

  /** A {@code graph.inputs} value for {@code names}, the features shared out evenly. */
  private static String example(List<String> names, int features) {
    int[] widths = new int[names.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = Math.max(1, features / widths.length);
    }
    widths[widths.length - 1] = Math.max(1, features - (widths.length - 1) * widths[0]);
    return renamed(names, widths);
  }

  /** {@code names[i]:from-to, ...}, input {@code i} taking the next {@code widths[i]} features. */
  private static String renamed(List<String> names, int[] widths) {
    StringBuilder b = new StringBuilder();
    int from = 0;
    for (int i = 0; i < names.size(); i++) {
      int to = from + widths[i] - 1;
      b.append(i == 0 ? "" : ", ")
          .append(names.get(i))
          .append(':')
          .append(from)
          .append(to == from ? "" : "-" + to);
      from = to + 1;
    }
    return b.toString();
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
    int[] inputWidths = inputWidths();
    JavaRDD<MultiDataSet> graphData =
        data.map(d -> (MultiDataSet) toGraphData(d, inputWidths, widths));
    return new OnSpark(new SparkComputationGraph(sc, graph, master), data, graphData, inputWidths);
  }

  /** The width of every input in input order, or null for one input taking every feature. */
  private int[] inputWidths() {
    return inputs == null ? null : inputs.widths();
  }

  private record OnSpark(
      SparkComputationGraph spark,
      JavaRDD<DataSet> data,
      JavaRDD<MultiDataSet> graphData,
      int[] inputWidths)
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
      return new GraphSnapshot(
          graph.getConfiguration().toJson(), graph.params().dup(), inputWidths);
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
   * Splits a single-label DataSet into the MultiDataSet a one-input graph with outputs of the given
   * widths trains on: {@link #toGraphData(DataSet, int[], int[])} with one input.
   */
  public static org.nd4j.linalg.dataset.MultiDataSet toGraphData(DataSet d, int[] outputWidths) {
    return toGraphData(d, null, outputWidths);
  }

  /**
   * Splits a DataSet into the MultiDataSet a graph with inputs and outputs of the given widths
   * trains on: one feature array per input, in input order, from consecutive feature columns (the
   * features mask, if any, shared by all: it masks time steps, not features); one label array per
   * output, in output order, from consecutive label columns; the example metadata (sample ids) is
   * kept. Runs in Spark tasks (training) and validation tasks.
   *
   * @param inputWidths the width of each input, or null for one input taking every feature
   */
  public static org.nd4j.linalg.dataset.MultiDataSet toGraphData(
      DataSet d, int[] inputWidths, int[] outputWidths) {
    INDArray[] features;
    INDArray[] featureMasks = null;
    if (inputWidths == null || inputWidths.length == 1) {
      features = new INDArray[] {d.getFeatures()};
    } else {
      features = columnRanges(d.getFeatures(), inputWidths);
    }
    if (d.getFeaturesMaskArray() != null) {
      featureMasks = new INDArray[features.length];
      java.util.Arrays.fill(featureMasks, d.getFeaturesMaskArray());
    }
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
        new org.nd4j.linalg.dataset.MultiDataSet(features, parts, featureMasks, null);
    mds.setExampleMetaData(d.getExampleMetaData());
    return mds;
  }

  /** Consecutive ranges of dimension 1 (features) of {@code array}, copied, of the given widths. */
  private static INDArray[] columnRanges(INDArray array, int[] widths) {
    INDArray[] parts = new INDArray[widths.length];
    long from = 0;
    for (int i = 0; i < parts.length; i++) {
      org.nd4j.linalg.indexing.INDArrayIndex[] index =
          new org.nd4j.linalg.indexing.INDArrayIndex[array.rank()];
      java.util.Arrays.fill(index, NDArrayIndex.all());
      index[1] = NDArrayIndex.interval(from, from + widths[i]);
      parts[i] = array.get(index).dup('c');
      from += widths[i];
    }
    return parts;
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
  private record GraphSnapshot(String configuration, INDArray params, int[] inputWidths)
      implements Network.Snapshot {
    private static final long serialVersionUID = 1L;

    @Override
    public Evaluator restore() {
      ComputationGraph graph =
          new ComputationGraph(ComputationGraphConfiguration.fromJson(configuration));
      graph.init(params, true);
      return new Restored(graph, inputWidths);
    }
  }

  /** A restored graph; its outputs concatenated in output order. */
  private record Restored(ComputationGraph graph, int[] inputWidths) implements Evaluator {
    @Override
    public long iterationCount() {
      return graph.getIterationCount();
    }

    @Override
    public Outputs infer(DataSet batch, Map<String, Integer> activationLayers) {
      org.nd4j.linalg.dataset.MultiDataSet mds =
          toGraphData(batch, inputWidths, widths(graph.getConfiguration()));
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
