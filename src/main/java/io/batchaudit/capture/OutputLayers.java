package io.batchaudit.capture;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Completes DL4J's training forward pass through one output layer, the same way for both kinds of
 * network ({@link LayerNetwork} finds its one output layer, {@link GraphNetwork} each of its
 * outputs).
 *
 * <p>DL4J's {@code computeGradientAndScore} hands listeners the activations up to the layers before
 * the outputs, never the output layers' own. For a dense {@link OutputLayer} (or a parameterless
 * {@link LossLayer}) the output is {@code activation(x W + b)} of its input activation {@code x},
 * with the layer's own parameters: one matrix product, the same one DL4J computes for the loss.
 * Other output layers are refused up front by {@link #checkSupported}.
 *
 * <p>Dropout: DL4J applies a layer's dropout to that layer's input inside the training pass. The
 * activations listeners receive are the hidden layers' outputs after their own dropout on their
 * inputs, so with dropout on hidden layers the recorded predictions are the training pass's, with
 * that pass's dropout masks: the very outputs the loss was computed on. Dropout or weight noise on
 * an output layer itself is refused ({@link #checkSupported}).
 */
final class OutputLayers {
  private OutputLayers() {}

  /**
   * Throws {@link IllegalArgumentException} naming the layer type when predictions cannot be taken
   * from the training forward pass through output layer {@code layer}.
   *
   * @param layer the output layer's configuration (a DL4J {@code Layer} or graph vertex)
   * @param subject names the layer in the message as {@code subject + simple class name}, such as
   *     {@code "a network whose output layer is "}
   * @param which names the layer in the noise message, such as {@code "the output layer"}
   */
  static void checkSupported(Object layer, String subject, String which) {
    if (!(layer.getClass() == OutputLayer.class || layer.getClass() == LossLayer.class)) {
      throw new IllegalArgumentException(
          "Cannot record predictions from the training forward pass of "
              + subject
              + layer.getClass().getSimpleName()
              + ": supported are OutputLayer and LossLayer. Set audit.predictions=post-update to"
              + " record the output of an extra forward pass after each update instead");
    }
    checkNoNoise((BaseLayer) layer, which);
  }

  /**
   * Dropout or weight noise on the output layer itself changes its input or weights inside the
   * loss's forward pass, in a way the projection cannot repeat: refused, naming the alternative.
   * (Dropout on hidden layers is fine: their dropped-out activations are what listeners receive.)
   */
  private static void checkNoNoise(BaseLayer layer, String which) {
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

  /**
   * The pre-activation of a supported output layer for its input activation {@code x}; a new,
   * detached array.
   *
   * @param pre the layer's input preprocessor, or {@code null}
   * @param layer the live layer, whose parameters are used
   */
  static INDArray preOutput(INDArray x, InputPreProcessor pre, Layer layer) {
    if (pre != null) {
      x = pre.preProcess(x, (int) x.size(0), LayerWorkspaceMgr.noWorkspaces());
    }
    Object conf = layer.conf().getLayer();
    if (conf instanceof LossLayer) {
      return x.dup();
    }
    INDArray z = x.mmul(layer.getParam(DefaultParamInitializer.WEIGHT_KEY));
    if (((OutputLayer) conf).hasBias()) {
      z.addiRowVector(layer.getParam(DefaultParamInitializer.BIAS_KEY));
    }
    return z;
  }

  /** The activation function of a supported output layer's configuration. */
  static IActivation activation(Object conf) {
    return conf instanceof LossLayer l
        ? l.getActivationFn()
        : ((OutputLayer) conf).getActivationFn();
  }

  /** The loss function of a supported output layer's configuration. */
  static ILossFunction lossFunction(Object conf) {
    return conf instanceof LossLayer l ? l.getLossFn() : ((OutputLayer) conf).getLossFn();
  }
}
