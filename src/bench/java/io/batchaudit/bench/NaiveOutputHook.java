package io.batchaudit.bench;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The approach a user writes first, for the overhead benchmark: a worker hook that calls {@code
 * model.output(features)} after every minibatch (a second forward pass, in inference mode, after
 * the update) and keeps the predictions and targets in memory for the task. Serialized into the
 * worker tasks; one instance, and one list, per task.
 */
public final class NaiveOutputHook implements TrainingHook {
  private static final long serialVersionUID = 1L;
  private transient List<float[]> kept;

  @Override
  public void preUpdate(DataSet minibatch, Model model) {}

  @Override
  public void postUpdate(DataSet minibatch, Model model) {
    if (kept == null) {
      kept = new ArrayList<>();
    }
    kept.add(((MultiLayerNetwork) model).output(minibatch.getFeatures()).dup().data().asFloat());
    kept.add(minibatch.getLabels().dup().data().asFloat());
  }

  @Override
  public void preUpdate(MultiDataSet minibatch, Model model) {}

  @Override
  public void postUpdate(MultiDataSet minibatch, Model model) {}
}
