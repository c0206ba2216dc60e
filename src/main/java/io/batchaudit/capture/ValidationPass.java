package io.batchaudit.capture;

import io.batchaudit.store.BatchKey;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.Phase;
import io.batchaudit.store.table.AcceptedAttempt;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The validation phase of one epoch: distributed inference of the epoch's averaged model over the
 * validation data on the executors, recording every validation batch in the audit log with {@code
 * phase = validation}.
 *
 * <p>Each Spark partition of the validation data is read in order and cut into batches of {@code
 * batchSize} examples (the last one may be smaller). Keys: {@code epoch} the epoch whose model is
 * evaluated, {@code round} always 0, {@code batch} the batch index within the partition, {@code
 * partition} the Spark partition, {@code step} the model's iteration count (the training steps it
 * has taken). Predictions are the model's inference-mode output (no dropout), {@code batch_score}
 * the batch's mean per-example loss without regularization (DL4J's {@code scoreExamples(data,
 * false)}), {@code loss} (opt-in) the per-example loss itself.
 *
 * <p>Exactly once, as for training: every task attempt writes its own staged file and seals it
 * before it returns its result; the driver commits the files of the attempts whose results Spark
 * collected (one per partition), whatever retries or speculative copies ran.
 */
public final class ValidationPass {
  private ValidationPass() {}

  /**
   * What one epoch's validation measured.
   *
   * @param epoch the epoch whose model was evaluated
   * @param examples validation examples evaluated
   * @param meanLoss mean per-example loss (no regularization)
   * @param accuracy fraction of examples whose arg-max prediction is the arg-max target
   *     (classification), else {@code NaN}
   * @param mse mean squared error over all target values (regression), else {@code NaN}
   * @param accepted the attempts Spark accepted, one per partition, by partition
   * @param paramsSha256 SHA-256 of the evaluated parameters (only when recording), else null
   * @param partitions Spark partitions of the validation data
   */
  public record Result(
      int epoch,
      long examples,
      double meanLoss,
      double accuracy,
      double mse,
      List<AcceptedAttempt> accepted,
      String paramsSha256,
      int partitions) {}

  /**
   * Evaluates {@code model} on {@code data} (single-example DataSets whose example metadata is the
   * sample id) and records every batch as {@code capture} says (nothing when it is off).
   */
  public static Result run(
      JavaSparkContext sc,
      Network.Snapshot model,
      JavaRDD<DataSet> data,
      Capture capture,
      int epoch,
      int batchSize,
      boolean classification) {
    Broadcast<Network.Snapshot> snapshot = sc.broadcast(model);
    List<PartResult> parts =
        data.mapPartitions(new Evaluate(snapshot, capture, epoch, batchSize, classification))
            .collect();
    snapshot.unpersist(false);
    long examples = 0;
    double loss = 0;
    long correct = 0;
    double sse = 0;
    long values = 0;
    List<AcceptedAttempt> accepted = new ArrayList<>();
    for (PartResult p : parts) {
      examples += p.examples;
      loss += p.lossSum;
      correct += p.correct;
      sse += p.sse;
      values += p.values;
      accepted.add(new AcceptedAttempt(0, p.partition, p.taskAttemptId, p.batches, p.examples));
    }
    accepted.sort(Comparator.comparingInt(AcceptedAttempt::partition));
    return new Result(
        epoch,
        examples,
        examples == 0 ? Double.NaN : loss / examples,
        classification && examples > 0 ? (double) correct / examples : Double.NaN,
        !classification && values > 0 ? sse / values : Double.NaN,
        List.copyOf(accepted),
        capture.fingerprint(model.params()),
        data.getNumPartitions());
  }

  /** What one task attempt evaluated; exactly one per partition reaches the driver. */
  private record PartResult(
      int partition,
      long taskAttemptId,
      int batches,
      long examples,
      double lossSum,
      long correct,
      double sse,
      long values)
      implements Serializable {}

  private static final class Evaluate implements FlatMapFunction<Iterator<DataSet>, PartResult> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<Network.Snapshot> snapshot;
    private final Capture capture;
    private final int epoch;
    private final int batchSize;
    private final boolean classification;

    Evaluate(
        Broadcast<Network.Snapshot> snapshot,
        Capture capture,
        int epoch,
        int batchSize,
        boolean classification) {
      this.snapshot = snapshot;
      this.capture = capture;
      this.epoch = epoch;
      this.batchSize = batchSize;
      this.classification = classification;
    }

    @Override
    public Iterator<PartResult> call(Iterator<DataSet> examples) {
      TaskContext task = TaskContext.get();
      Network.Evaluator model = snapshot.value().restore();
      ValidationRecorder recorder = capture.validationRecorder(epoch, task);
      int batches = 0;
      long n = 0;
      double lossSum = 0;
      long correct = 0;
      double sse = 0;
      long values = 0;
      try {
        while (examples.hasNext()) {
          List<DataSet> pending = new ArrayList<>(batchSize);
          while (pending.size() < batchSize && examples.hasNext()) {
            pending.add(examples.next());
          }
          recorder.beforeBatch(batches);
          DataSet batch = DataSet.merge(pending);
          Network.Outputs out = model.infer(batch, capture.activationLayers());
          float[] loss = out.loss();
          FloatMatrix targets = NdArrays.toMatrix(batch.getLabels());
          FloatMatrix predictions = out.predictions();
          double batchLoss = 0;
          for (float l : loss) {
            batchLoss += l;
          }
          lossSum += batchLoss;
          for (int r = 0; r < targets.rows(); r++) {
            if (classification) {
              correct += argMax(targets, r) == argMax(predictions, r) ? 1 : 0;
            } else {
              for (int c = 0; c < targets.cols(); c++) {
                double d = predictions.get(r, c) - targets.get(r, c);
                sse += d * d;
                values++;
              }
            }
          }
          recorder.record(
              new BatchKey(epoch, Phase.VALIDATION, 0, batches, task.partitionId()),
              model.iterationCount(),
              batchLoss / loss.length,
              batch,
              targets,
              out);
          batches++;
          n += targets.rows();
        }
        recorder.seal(); // before the result leaves the task: the commit needs the sealed file
      } catch (RuntimeException | Error e) {
        recorder.abort();
        throw e;
      }
      recorder.afterSeal();
      return List.of(
              new PartResult(
                  task.partitionId(),
                  task.taskAttemptId(),
                  batches,
                  n,
                  lossSum,
                  correct,
                  sse,
                  values))
          .iterator();
    }

    private static int argMax(FloatMatrix m, int row) {
      int best = 0;
      for (int c = 1; c < m.cols(); c++) {
        if (m.get(row, c) > m.get(row, best)) {
          best = c;
        }
      }
      return best;
    }
  }
}
