package io.batchaudit.capture;

import io.batchaudit.store.FloatMatrix;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The network a job trains and audits, one implementation per kind of DL4J network: {@link
 * LayerNetwork} (a {@code MultiLayerNetwork}, trained through {@code SparkDl4jMultiLayer}) and
 * {@link GraphNetwork} (a {@code ComputationGraph} through {@code SparkComputationGraph}). Each
 * owns everything that differs between the kinds: the start-up checks, the creation of the DL4J
 * model and of DL4J's Spark wrapper, an epoch's {@code fit}, the score, and (for the recorder and
 * the validation pass) the output projection of the training forward pass, the per-example loss and
 * the activations of named hidden layers. Callers hold a {@code Network} and never ask which kind
 * it is.
 *
 * <p>Where it runs: a {@code Network} lives on the driver and is not serializable; it holds the
 * configuration it was built from and never changes. What crosses to the executors is a {@link
 * Snapshot} (the validation pass) and nothing else: in training, DL4J hands each worker callback
 * the worker's own model and calls the callback overload of that model's kind, so {@link
 * BatchRecorder} reaches the right implementation without carrying a network.
 *
 * <p>A graph's several outputs appear concatenated in the graph's output order everywhere
 * (predictions, per-example loss summed over the outputs), like its label arrays, which split each
 * target row in that order.
 */
public sealed interface Network permits LayerNetwork, GraphNetwork {

  /**
   * Checks that this network fits data of the given widths, for a network read from a file (the
   * presets are sized from the data).
   *
   * @param network how the messages name the network, such as {@code Network file /x/net.json}
   * @param data how the messages name the data and its shape, such as {@code iris has 4 features, 3
   *     classes}
   * @throws IllegalArgumentException naming the layer or output whose width does not fit
   */
  void checkFits(String network, int features, int labelWidth, String data);

  /**
   * Checks that predictions can be taken from the training forward pass ({@code
   * audit.predictions=forward-pass}): every output layer is an {@code OutputLayer} or a {@code
   * LossLayer} without dropout or weight noise of its own.
   *
   * @throws IllegalArgumentException naming the output layer and the alternative
   */
  void checkRecordable();

  /**
   * Resolves the hidden layers whose activations are recorded.
   *
   * @param names the layers as configured, in column order
   * @param setting how the messages name the setting, such as {@code audit.activations 'a,b'}
   * @return column name (as configured) to this kind's layer index, in configured order
   * @throws IllegalArgumentException naming the layer that is not a hidden layer, and those that
   *     are
   */
  Map<String, Integer> hiddenLayers(List<String> names, String setting);

  /**
   * Creates and initializes a new DL4J model of this configuration, inside DL4J's Spark wrapper of
   * this kind, trained by {@code master} on {@code data}. Runs on the driver.
   *
   * @param data the training examples, one per DataSet, the sample id as its example metadata
   */
  Training train(JavaSparkContext sc, TrainingMaster<?, ?> master, JavaRDD<DataSet> data);

  /** A network being trained on Spark: the driver's model inside DL4J's Spark wrapper. */
  interface Training {
    /** One epoch: DL4J's {@code fit} over the whole training data. */
    void fitEpoch();

    /** DL4J's score after the last averaging. */
    double score();

    /** The driver's DL4J model, to be saved. */
    org.deeplearning4j.nn.api.Model model();

    /** A copy of the model as it is now, for the executors. */
    Snapshot snapshot();

    /** Releases the cached training data. */
    void unpersist();
  }

  /**
   * Configuration and parameters of a trained model, copied on the driver. Serializable because it
   * is broadcast to the executors, where {@link #restore()} builds one model per task from it.
   */
  interface Snapshot extends Serializable {
    /** The parameters, flattened in DL4J's order; owned by the snapshot, not to be modified. */
    INDArray params();

    /** A new model from this snapshot's configuration and parameters. */
    Evaluator restore();
  }

  /** A model restored on an executor, for inference. Used by one task's thread only. */
  interface Evaluator {
    /** Training steps the model has taken (DL4J's iteration count). */
    long iterationCount();

    /**
     * Inference-mode forward pass (no dropout) over one batch.
     *
     * @param activationLayers hidden layers whose activations to return, column name to index
     */
    Outputs infer(DataSet batch, Map<String, Integer> activationLayers);
  }

  /**
   * What one forward pass over one batch produced, copied out of ND4J.
   *
   * @param predictions the network output, one row per example; {@code null} when not taken from
   *     this pass
   * @param loss per-example loss without regularization, or {@code null} when not asked for
   * @param activations the requested hidden activations by column name; {@code null} or empty when
   *     none were asked for
   */
  record Outputs(FloatMatrix predictions, float[] loss, Map<String, FloatMatrix> activations) {}
}
