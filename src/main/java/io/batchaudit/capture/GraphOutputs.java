package io.batchaudit.capture;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Completes a {@code ComputationGraph}'s training forward pass through its output layers: the graph
 * version of {@link OutputProjection}.
 *
 * <p>{@code ComputationGraph.computeGradientAndScore} hands listeners the activations of every
 * vertex except the output layers. Each output layer (a dense {@link OutputLayer} or a {@link
 * LossLayer}) has exactly one input vertex (DL4J inserts a merge vertex for several), whose
 * activation is in that map; the output is {@code activation(x W + b)} of it, with the layer's own
 * parameters. Several outputs are concatenated in the graph's output order (see {@link #widths}).
 */
final class GraphOutputs {
  private GraphOutputs() {}

  /** Throws {@link IllegalArgumentException} naming the output that cannot be recorded. */
  static void checkSupported(ComputationGraphConfiguration conf) {
    for (String out : conf.getNetworkOutputs()) {
      GraphVertex v = conf.getVertices().get(out);
      Object layer = v instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : v;
      if (!(layer.getClass() == OutputLayer.class || layer.getClass() == LossLayer.class)) {
        throw new IllegalArgumentException(
            "Cannot record predictions from the training forward pass of graph output '"
                + out
                + "', which is a "
                + layer.getClass().getSimpleName()
                + ": supported are OutputLayer and LossLayer. Set audit.predictions=post-update to"
                + " record the output of an extra forward pass after each update instead");
      }
      OutputProjection.checkNoNoise(
          (org.deeplearning4j.nn.conf.layers.BaseLayer) layer, "graph output '" + out + "'");
      List<String> inputs = conf.getVertexInputs().get(out);
      if (inputs == null || inputs.size() != 1) {
        throw new IllegalArgumentException(
            "Cannot record graph output '" + out + "': it has inputs " + inputs + ", expected one");
      }
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

  /** The pre-activation of every output, for the activations of one training forward pass. */
  static INDArray[] preOutputs(ComputationGraph g, Map<String, INDArray> activations) {
    ComputationGraphConfiguration conf = g.getConfiguration();
    List<String> outs = conf.getNetworkOutputs();
    INDArray[] z = new INDArray[outs.size()];
    for (int i = 0; i < z.length; i++) {
      String out = outs.get(i);
      LayerVertex vertex = (LayerVertex) conf.getVertices().get(out);
      INDArray x = activations.get(conf.getVertexInputs().get(out).get(0));
      InputPreProcessor pre = vertex.getPreProcessor();
      if (pre != null) {
        x = pre.preProcess(x, (int) x.size(0), LayerWorkspaceMgr.noWorkspaces());
      }
      Layer layer = g.getLayer(out);
      if (vertex.getLayerConf().getLayer() instanceof LossLayer) {
        z[i] = x.dup();
      } else {
        INDArray zi = x.mmul(layer.getParam(DefaultParamInitializer.WEIGHT_KEY));
        if (((OutputLayer) vertex.getLayerConf().getLayer()).hasBias()) {
          zi.addiRowVector(layer.getParam(DefaultParamInitializer.BIAS_KEY));
        }
        z[i] = zi;
      }
    }
    return z;
  }

  static IActivation activation(ComputationGraph g, int output) {
    Object conf = layerConf(g, output);
    return conf instanceof LossLayer l
        ? l.getActivationFn()
        : ((OutputLayer) conf).getActivationFn();
  }

  static ILossFunction lossFunction(ComputationGraph g, int output) {
    Object conf = layerConf(g, output);
    return conf instanceof LossLayer l ? l.getLossFn() : ((OutputLayer) conf).getLossFn();
  }

  private static Object layerConf(ComputationGraph g, int output) {
    String name = g.getConfiguration().getNetworkOutputs().get(output);
    return ((LayerVertex) g.getConfiguration().getVertices().get(name)).getLayerConf().getLayer();
  }

  /** Concatenates 2-d arrays of the same number of rows along the columns. */
  static INDArray concat(INDArray[] parts) {
    return parts.length == 1 ? parts[0] : Nd4j.hstack(parts);
  }
}
