package io.batchaudit.capture;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Completes DL4J's training forward pass through the output layer.
 *
 * <p>{@code MultiLayerNetwork.computeGradientAndScore} hands listeners the activations up to the
 * last hidden layer, never the output layer's. For a dense {@link OutputLayer} (or a parameterless
 * {@link LossLayer}) the output is {@code activation(x W + b)} of that last activation {@code x},
 * with the layer's own parameters: one matrix product, the same one DL4J computes for the loss.
 * Other output layers are refused up front by {@link #checkSupported}.
 *
 * <p>Not covered: dropout or weight noise configured on the output layer itself (the projection
 * uses the un-dropped input and the plain weights).
 */
final class OutputProjection {
  private OutputProjection() {}

  /**
   * Throws {@link IllegalArgumentException} naming the layer type when predictions cannot be taken
   * from the training forward pass of a network with configuration {@code net}.
   */
  static void checkSupported(org.deeplearning4j.nn.conf.MultiLayerConfiguration net) {
    Object conf = net.getConf(net.getConfs().size() - 1).getLayer();
    if (!(conf.getClass() == OutputLayer.class || conf.getClass() == LossLayer.class)) {
      throw new IllegalArgumentException(
          "Cannot record predictions from the training forward pass of a network whose output layer"
              + " is "
              + conf.getClass().getSimpleName()
              + ": supported are OutputLayer and LossLayer. Set audit.predictions=post-update to"
              + " record the output of an extra forward pass after each update instead");
    }
  }

  /** The output layer's pre-activation for the input {@code lastHidden}; a new, detached array. */
  static INDArray preOutput(MultiLayerNetwork net, INDArray lastHidden) {
    int outIndex = net.getnLayers() - 1;
    INDArray x = lastHidden;
    InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(outIndex);
    if (pre != null) {
      x = pre.preProcess(x, (int) x.size(0), LayerWorkspaceMgr.noWorkspaces());
    }
    Layer out = net.getOutputLayer();
    if (out.conf().getLayer() instanceof LossLayer) {
      return x.dup();
    }
    INDArray z = x.mmul(out.getParam(DefaultParamInitializer.WEIGHT_KEY));
    if (((OutputLayer) out.conf().getLayer()).hasBias()) {
      z.addiRowVector(out.getParam(DefaultParamInitializer.BIAS_KEY));
    }
    return z;
  }

  static IActivation activation(MultiLayerNetwork net) {
    Object conf = net.getOutputLayer().conf().getLayer();
    return conf instanceof LossLayer l
        ? l.getActivationFn()
        : ((OutputLayer) conf).getActivationFn();
  }

  static ILossFunction lossFunction(MultiLayerNetwork net) {
    Object conf = net.getOutputLayer().conf().getLayer();
    return conf instanceof LossLayer l ? l.getLossFn() : ((OutputLayer) conf).getLossFn();
  }
}
