package io.batchaudit.capture;

import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.Phase;
import io.batchaudit.store.table.StagingArea;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;
import org.apache.spark.util.TaskFailureListener;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Records every minibatch one worker task trains on, in one averaging round.
 *
 * <p>Where it runs: created on the driver for each round by {@link AuditingTrainingMaster}, and
 * serialized into that round's worker tasks both as DL4J {@link TrainingHook} and as {@code
 * TrainingListener} (one object: Java serialization keeps the identity within a task), so that
 * every task gets its own instance. All calls come from the task's training thread, in this order
 * per minibatch: {@link #preUpdate} (the minibatch, before {@code fit}), {@link #onForwardPass}
 * (the activations of the loss's forward pass, inside {@code fit}), {@link #postUpdate} (after the
 * update; DL4J's score of the minibatch is known).
 *
 * <p>DL4J's hook and listener interfaces have one overload per kind of network ({@code DataSet} and
 * a list of layer activations for a {@code MultiLayerNetwork}; {@code MultiDataSet} and a map of
 * vertex activations for a {@code ComputationGraph}), and DL4J calls only those of the worker's
 * kind. Each overload hands the worker's model to its kind's {@link Network} implementation, which
 * completes the training pass through the output layers; nothing here branches on the kind.
 *
 * <p>Per minibatch it copies the sample ids, targets and predictions (and the opt-in arrays) out of
 * ND4J in bulk and appends them to the task attempt's staged file; nothing else is buffered. When
 * the task succeeds the file is sealed (closed, footer checked, marker written) before Spark sends
 * the task's result to the driver; when it fails the file is deleted. Which attempt's file is
 * committed is decided on the driver, from the results Spark accepted.
 */
public final class BatchRecorder extends BaseTrainingListener implements TrainingHook {
  private static final long serialVersionUID = 1L;

  private final CaptureSettings settings;
  private final Phase phase;
  private final int epoch;
  private final int round;
  private final long firstStep;

  private transient StagingArea.StagedWriter writer;
  private transient TaskContext task;
  private transient boolean failed;
  private transient int nextBatch;
  private transient Minibatch current;
  private transient long currentStep;
  private transient FloatMatrix predictions;
  private transient float[] loss;
  private transient Map<String, FloatMatrix> activations;

  /**
   * @param firstStep the driver model's iteration count when the round starts: the step of the
   *     round's first minibatch (see {@link #begin})
   */
  BatchRecorder(CaptureSettings settings, Phase phase, int epoch, int round, long firstStep) {
    this.settings = settings;
    this.phase = phase;
    this.epoch = epoch;
    this.round = round;
    this.firstStep = firstStep;
  }

  @Override
  public void preUpdate(DataSet minibatch, Model model) {
    begin(Minibatch.of(minibatch), model);
  }

  @Override
  public void preUpdate(MultiDataSet minibatch, Model model) {
    begin(Minibatch.of(minibatch), model);
  }

  private void begin(Minibatch minibatch, Model model) {
    if (writer == null) {
      openForThisTask();
    }
    settings
        .faults()
        .beforeBatch(phase, epoch, round, task.partitionId(), nextBatch, task.attemptNumber());
    current = minibatch;
    // The round's first step plus the minibatch's position: for a MultiLayerNetwork exactly the
    // worker's iteration count before this update. A ComputationGraph worker's count restarts at 0
    // every round (DL4J's ComputationGraphConfiguration.clone() drops it), so it is not used.
    currentStep = firstStep + nextBatch;
    predictions = null;
    loss = null;
    activations = null;
  }

  private void openForThisTask() {
    task = TaskContext.get();
    if (task == null) {
      throw new IllegalStateException(
          "BatchRecorder runs only inside a Spark task (TaskContext.get() is null)");
    }
    writer =
        settings
            .staging()
            .open(
                phase,
                epoch,
                round,
                task.partitionId(),
                task.stageId(),
                task.attemptNumber(),
                task.taskAttemptId());
    // Failure listeners run before completion listeners, so the completion sees the flag.
    task.addTaskFailureListener((TaskFailureListener) (ctx, error) -> failed = true);
    task.addTaskCompletionListener((TaskCompletionListener) ctx -> finishTask());
  }

  private void finishTask() {
    if (failed) {
      writer.abort();
      return;
    }
    writer.seal();
    settings.faults().afterSeal(phase, epoch, round, task.partitionId(), task.attemptNumber());
  }

  /** A MultiLayerNetwork's training forward pass: DL4J calls this overload for that kind only. */
  @Override
  public void onForwardPass(Model model, List<INDArray> layerActivations) {
    if (current != null) {
      observe(
          () ->
              LayerNetwork.trainingPass(
                  (MultiLayerNetwork) model, layerActivations, current, settings));
    }
  }

  /**
   * A ComputationGraph's training forward pass (activations by vertex name, outputs excluded): DL4J
   * calls this overload for that kind only.
   */
  @Override
  public void onForwardPass(Model model, Map<String, INDArray> vertexActivations) {
    if (current != null) {
      observe(
          () ->
              GraphNetwork.trainingPass(
                  (ComputationGraph) model, vertexActivations, current, settings));
    }
  }

  /** Keeps what the training pass yields, copied out of DL4J's workspaces. */
  private void observe(Supplier<Network.Outputs> pass) {
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      Network.Outputs outputs = pass.get();
      predictions = outputs.predictions();
      loss = outputs.loss();
      activations = outputs.activations();
    }
  }

  @Override
  public void postUpdate(DataSet minibatch, Model model) {
    if (settings.predictions() == PredictionSource.POST_UPDATE) {
      keepPostUpdate(
          LayerNetwork.afterUpdate(
              (MultiLayerNetwork) model, minibatch, settings.staging().columns().loss()));
    }
    finish(model.score());
  }

  @Override
  public void postUpdate(MultiDataSet minibatch, Model model) {
    if (settings.predictions() == PredictionSource.POST_UPDATE) {
      keepPostUpdate(
          GraphNetwork.afterUpdate(
              (ComputationGraph) model, minibatch, settings.staging().columns().loss()));
    }
    finish(model.score());
  }

  private void keepPostUpdate(Network.Outputs outputs) {
    predictions = outputs.predictions();
    loss = outputs.loss();
  }

  private void finish(double score) {
    Minibatch minibatch = current;
    if (predictions == null) {
      throw new IllegalStateException(
          "No forward pass was observed for minibatch "
              + nextBatch
              + " of partition "
              + task.partitionId()
              + ": predictions need DL4J's stochastic gradient descent optimizer (one forward pass"
              + " per fit); set audit.predictions=post-update for other optimizers");
    }
    BatchKey key = new BatchKey(epoch, phase, round, nextBatch, task.partitionId());
    AuditBatch batch =
        new AuditBatch(
            settings.staging().runId(),
            key,
            currentStep,
            task.attemptNumber(),
            task.taskAttemptId(),
            score,
            sampleIds(minibatch.meta(), minibatch.numExamples(), key),
            NdArrays.toMatrix(minibatch.labelMatrix()),
            predictions,
            settings.staging().columns().features()
                ? NdArrays.toMatrix(minibatch.features())
                : null,
            settings.staging().columns().labelMask() && minibatch.labelMasks() != null
                ? NdArrays.toMatrix(NdArrays.concat(minibatch.labelMasks()))
                : null,
            loss,
            activations);
    writer.write(batch);
    nextBatch++;
    current = null;
    predictions = null;
    loss = null;
    activations = null;
  }

  static long[] sampleIds(DataSet minibatch, BatchKey key) {
    return sampleIds(minibatch.getExampleMetaData(), minibatch.numExamples(), key);
  }

  static long[] sampleIds(List<Serializable> meta, int n, BatchKey key) {
    if (meta == null || meta.size() != n) {
      throw new IllegalStateException(
          "Minibatch "
              + key
              + " carries "
              + (meta == null ? "no" : String.valueOf(meta.size()))
              + " sample ids for "
              + n
              + " examples: every example needs its sample id as DataSet example metadata"
              + " (train with DataSets whose metadata is the sample id, through"
              + " AuditingTrainingMaster's fit, not fitPaths)");
    }
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      Serializable m = meta.get(i);
      if (!(m instanceof Number number)) {
        throw new IllegalStateException(
            "Minibatch " + key + ": example metadata " + m + " is not a numeric sample id");
      }
      ids[i] = number.longValue();
    }
    return ids;
  }
}
