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
 * <p>Dropout: DL4J applies a layer's dropout to that layer's input inside the training pass. The
 * activations listeners receive are the hidden layers' outputs after their own dropout on their
 * inputs, so with dropout on hidden layers the recorded predictions are the training pass's, with
 * that pass's dropout masks: the very outputs the loss was computed on. Dropout or weight noise on
 * the output layer itself is refused ({@link #checkNoNoise}).
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
    checkNoNoise((org.deeplearning4j.nn.conf.layers.BaseLayer) conf, "the output layer");
  }

  /**
   * Dropout or weight noise on the output layer itself changes its input or weights inside the
   * loss's forward pass, in a way the projection cannot repeat: refused, naming the alternative.
   * (Dropout on hidden layers is fine: their dropped-out activations are what listeners receive.)
   */
  static void checkNoNoise(org.deeplearning4j.nn.conf.layers.BaseLayer layer, String which) {
    if (layer.getIDropout() != null || layer.getWeightNoise() != null) {
      throw new IllegalArgumentException(
          "Cannot record predictions from the training forward pass: "
              + which
              + " has "
              + (layer.getIDropout() != null
                  ? "dropout " + describe(layer.getIDropout())
                  : "weight noise " + layer.getWeightNoise())
              + " on its own input or weights, which that pass applies and the recorder cannot"
              + " repeat. Remove it from the output layer (dropout on hidden layers is supported),"
              + " or set audit.predictions=post-update to record an extra inference pass instead");
    }
  }

  /**
   * DL4J's {@code Dropout.toString()} also prints its helper state (mask, helper, fallback
   * counters): only its configuration belongs in a message.
   */
  private static String describe(org.deeplearning4j.nn.conf.dropout.IDropout dropout) {
    if (dropout.getClass() == org.deeplearning4j.nn.conf.dropout.Dropout.class) {
      var d = (org.deeplearning4j.nn.conf.dropout.Dropout) dropout;
      return d.getPSchedule() == null
          ? "Dropout(p=" + d.getP() + ")"
          : "Dropout(pSchedule=" + d.getPSchedule() + ")";
    }
    return dropout.toString();
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
