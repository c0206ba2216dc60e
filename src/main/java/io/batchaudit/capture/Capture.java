package io.batchaudit.capture;

import io.batchaudit.store.BatchKey;
import io.batchaudit.store.FloatMatrix;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Whether and what a run records: {@link #off()} for a run without an audit log ({@code
 * audit=false}), or {@link CaptureSettings} (what to record and where). Training and validation
 * take a {@code Capture} and never test for an absent one.
 *
 * <p>Built on the driver. Serializable because the validation pass sends it into every validation
 * task (training rounds send the {@link BatchRecorder}s it makes instead).
 */
public sealed interface Capture extends Serializable permits Capture.Off, CaptureSettings {

  /** Records nothing: training and validation run as DL4J's alone. */
  static Capture off() {
    return Off.INSTANCE;
  }

  /**
   * Hidden layers whose activations are recorded: column name to layer index, in column order;
   * empty when off.
   */
  Map<String, Integer> activationLayers();

  /**
   * Driver, before a training round: the recorders to install as hook and listener of the round's
   * workers; none when off.
   *
   * @param firstStep the driver model's iteration count when the round starts
   */
  List<BatchRecorder> recorders(int epoch, int round, long firstStep);

  /**
   * Driver: the SHA-256 of {@code params}, for the manifest's provenance; {@code null} when off,
   * where no manifest is written and nothing pays for the fingerprint.
   */
  String fingerprint(INDArray params);

  /** Executor: the recorder of one validation task attempt, in the task's thread. */
  ValidationRecorder validationRecorder(int epoch, TaskContext task);

  /** The capture of a run without an audit log. */
  enum Off implements Capture {
    INSTANCE;

    @Override
    public Map<String, Integer> activationLayers() {
      return Map.of();
    }

    @Override
    public List<BatchRecorder> recorders(int epoch, int round, long firstStep) {
      return List.of();
    }

    @Override
    public String fingerprint(INDArray params) {
      return null;
    }

    @Override
    public ValidationRecorder validationRecorder(int epoch, TaskContext task) {
      return NOTHING;
    }

    private static final ValidationRecorder NOTHING =
        new ValidationRecorder() {
          @Override
          public void beforeBatch(int batch) {}

          @Override
          public void record(
              BatchKey key,
              long step,
              double batchScore,
              DataSet batch,
              FloatMatrix targets,
              Network.Outputs outputs) {}

          @Override
          public void seal() {}

          @Override
          public void afterSeal() {}

          @Override
          public void abort() {}
        };
  }
}
