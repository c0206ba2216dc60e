package io.batchaudit.capture;

import io.batchaudit.store.FloatMatrix;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The network under audit, behind the few operations the validation pass needs, so that the pass
 * does not care whether it evaluates a {@code MultiLayerNetwork} or a {@code ComputationGraph}. A
 * graph's outputs appear concatenated in the graph's output order, like its label arrays.
 */
public interface AuditedModel {

  /** The parameters, flattened in DL4J's order, as a new array. */
  float[] params();

  /** Training steps the model has taken (DL4J's iteration count). */
  long iterationCount();

  /** Configuration and parameters, to rebuild the model on an executor. */
  Snapshot snapshot();

  /**
   * Inference-mode forward pass (no dropout) over one batch.
   *
   * @param activationLayers hidden layers whose activations to return, by column name
   */
  Inference infer(DataSet batch, Map<String, Integer> activationLayers);

  /**
   * One batch's inference.
   *
   * @param predictions the network output, one row per example
   * @param loss per-example loss without regularization (DL4J's {@code scoreExamples(data, false)})
   * @param activations the requested hidden activations by column name
   */
  record Inference(FloatMatrix predictions, float[] loss, Map<String, FloatMatrix> activations) {}

  /** A serializable copy of a model; {@link #restore()} builds a new model from it. */
  interface Snapshot extends Serializable {
    AuditedModel restore();
  }

  /** A {@code MultiLayerNetwork} under audit. */
  static AuditedModel of(MultiLayerNetwork net) {
    return new MultiLayer(net);
  }

  /** A {@code ComputationGraph} under audit. */
  static AuditedModel of(ComputationGraph graph) {
    return new Graph(graph);
  }

  /**
   * The width of each output of a graph, in output order: its share of the target row; -1 for an
   * output that is not a feed-forward layer. A {@code LossLayer} without input types has its input
   * vertex's width.
   */
  static int[] outputWidths(ComputationGraphConfiguration graph) {
    return GraphOutputs.widths(graph);
  }

  /**
   * Splits a single-label DataSet into the MultiDataSet a graph with outputs of the given widths
   * trains on: one label array per output, in output order, from consecutive label columns; the
   * example metadata (sample ids) is kept.
   */
  static org.nd4j.linalg.dataset.MultiDataSet toGraphData(DataSet d, int[] outputWidths) {
    INDArray labels = d.getLabels();
    INDArray[] parts = new INDArray[outputWidths.length];
    long from = 0;
    for (int i = 0; i < parts.length; i++) {
      parts[i] =
          outputWidths.length == 1
              ? labels
              : labels
                  .get(
                      org.nd4j.linalg.indexing.NDArrayIndex.all(),
                      org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + outputWidths[i]))
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

  /** The {@code MultiLayerNetwork} implementation. */
  final class MultiLayer implements AuditedModel {
    private final MultiLayerNetwork net;

    MultiLayer(MultiLayerNetwork net) {
      this.net = net;
    }

    @Override
    public float[] params() {
      return NdArrays.toFloats(net.params());
    }

    @Override
    public long iterationCount() {
      return net.getIterationCount();
    }

    @Override
    public Snapshot snapshot() {
      return new MultiLayerSnapshot(net.getLayerWiseConfigurations().toJson(), net.params().dup());
    }

    @Override
    public Inference infer(DataSet batch, Map<String, Integer> activationLayers) {
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
      return new Inference(predictions, loss, activations);
    }
  }

  /** The {@code ComputationGraph} implementation: outputs concatenated in output order. */
  final class Graph implements AuditedModel {
    private final ComputationGraph graph;

    Graph(ComputationGraph graph) {
      this.graph = graph;
    }

    @Override
    public float[] params() {
      return NdArrays.toFloats(graph.params());
    }

    @Override
    public long iterationCount() {
      return graph.getIterationCount();
    }

    @Override
    public Snapshot snapshot() {
      return new GraphSnapshot(graph.getConfiguration().toJson(), graph.params().dup());
    }

    @Override
    public Inference infer(DataSet batch, Map<String, Integer> activationLayers) {
      org.nd4j.linalg.dataset.MultiDataSet mds =
          toGraphData(batch, GraphOutputs.widths(graph.getConfiguration()));
      Map<String, FloatMatrix> activations = new LinkedHashMap<>();
      FloatMatrix predictions;
      if (activationLayers.isEmpty()) {
        predictions =
            NdArrays.toMatrix(GraphOutputs.concat(graph.output(false, mds.getFeatures())));
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
        predictions = NdArrays.toMatrix(GraphOutputs.concat(out));
      }
      float[] loss = NdArrays.toFloats(graph.scoreExamples(mds, false));
      return new Inference(predictions, loss, activations);
    }
  }

  /** Configuration JSON and parameters of a {@code ComputationGraph}. */
  record GraphSnapshot(String configuration, INDArray params) implements Snapshot {
    @Override
    public AuditedModel restore() {
      ComputationGraph graph =
          new ComputationGraph(ComputationGraphConfiguration.fromJson(configuration));
      graph.init(params, true);
      return new Graph(graph);
    }
  }

  /** Configuration JSON and parameters of a {@code MultiLayerNetwork}. */
  record MultiLayerSnapshot(String configuration, INDArray params) implements Snapshot {
    @Override
    public AuditedModel restore() {
      MultiLayerNetwork net =
          new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configuration));
      net.init(params, true);
      return new MultiLayer(net);
    }
  }
}
