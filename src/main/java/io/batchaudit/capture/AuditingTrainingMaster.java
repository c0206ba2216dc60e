package io.batchaudit.capture;

import io.batchaudit.store.Phase;
import io.batchaudit.store.StagedFile;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.util.CollectionAccumulator;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;

/**
 * DL4J's parameter-averaging training master, with a {@link BatchRecorder} in every averaging
 * round.
 *
 * <p>Runs on the driver. Training itself is DL4J's, unchanged: the same splits, repartitioning,
 * worker code and averaging. Before each round this master creates the round's recorder (which
 * knows the epoch and the round) and installs it as hook and listener of the round's workers;
 * after the round it collects the staged files that Spark's accepted task attempts reported and
 * hands them, with the round's score, to the round consumer.
 *
 * <p>Call {@link #startEpoch(int)} before each {@code SparkDl4jMultiLayer.fit(rdd)}. Only {@code
 * RDDTrainingApproach.Direct} keeps the sample ids; see {@link #checkApproach}.
 */
public final class AuditingTrainingMaster extends ParameterAveragingTrainingMaster {
  private final transient CaptureSettings capture;
  private final transient Consumer<RoundResult> onRound;
  private final transient List<TrainingHook> extraHooks;
  private transient CollectionAccumulator<StagedFile> sealed;
  private transient int epoch;

  /**
   * @param builder DL4J's builder, with workers, batch size, averaging frequency, approach, seed
   * @param capture what to record, or {@code null} to train without audit
   * @param extraHooks further worker hooks, run before the recorder (for example a test's
   *     reference forward pass)
   * @param onRound called on the driver after every round
   */
  public AuditingTrainingMaster(
      ParameterAveragingTrainingMaster.Builder builder,
      CaptureSettings capture,
      List<TrainingHook> extraHooks,
      Consumer<RoundResult> onRound) {
    super(builder);
    this.capture = capture;
    this.extraHooks = List.copyOf(extraHooks);
    this.onRound = onRound;
    if (capture != null) {
      checkApproach(rddTrainingApproach);
    }
  }

  /**
   * Refuses {@code Export} when auditing: DL4J's export step re-batches and re-serializes the
   * minibatches, and sample ids were observed to be lost for some batches on that path; without
   * sample ids a row cannot be tied to its example.
   */
  public static void checkApproach(RDDTrainingApproach approach) {
    if (approach == RDDTrainingApproach.Export) {
      throw new IllegalArgumentException(
          "rdd-approach=export cannot be audited: DL4J's Export approach re-batches and"
              + " re-serializes minibatches to files, and the per-example metadata that carries the"
              + " sample ids does not survive that path for every batch. Use rdd-approach=direct,"
              + " or set audit=false to train with Export without an audit log");
    }
  }

  /**
   * Throws {@link IllegalArgumentException} when predictions of {@code net} cannot be taken from
   * its training forward pass (unsupported output layer); the message names the alternative.
   */
  public static void checkRecordable(org.deeplearning4j.nn.multilayer.MultiLayerNetwork net) {
    OutputProjection.checkSupported(net);
  }

  /** Sets the 0-based epoch that the next {@code fit} trains. */
  public void startEpoch(int epoch) {
    this.epoch = epoch;
  }

  @Override
  protected void doIteration(
      SparkDl4jMultiLayer network, JavaRDD<DataSet> split, int splitNum, int numSplits) {
    int round = splitNum - 1;
    List<TrainingHook> hooks = new ArrayList<>(extraHooks);
    List<TrainingListener> roundListeners = new ArrayList<>();
    if (capture != null) {
      if (sealed == null) {
        sealed = network.getSparkContext().sc().collectionAccumulator("batch-audit staged files");
      }
      sealed.reset();
      BatchRecorder recorder = new BatchRecorder(capture, Phase.TRAIN, epoch, round, sealed);
      hooks.add(recorder);
      roundListeners.add(recorder);
    }
    // DL4J reads these two fields when it builds the round's worker (getWorkerInstance).
    this.trainingHookList = hooks.isEmpty() ? null : hooks;
    this.listeners = roundListeners.isEmpty() ? null : roundListeners;
    super.doIteration(network, split, splitNum, numSplits);
    List<StagedFile> staged = sealed == null ? List.of() : List.copyOf(sealed.value());
    onRound.accept(new RoundResult(epoch, round, numSplits, staged, network.getScore()));
  }
}
