package io.batchaudit.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Test-only worker hook: records, for every minibatch a worker trains, what DL4J handed to {@code
 * fit} and an independent inference-mode forward pass of the pre-update parameters. Works in local
 * mode only (executors share the test's JVM): observations go to a static map keyed by task attempt
 * id and batch index within the task.
 */
public final class ObservingHook implements TrainingHook {
  private static final long serialVersionUID = 1L;

  /** What one worker saw for one minibatch. */
  public record Seen(
      long taskAttemptId,
      int partition,
      int batch,
      long[] sampleIds,
      float[] features,
      float[] labels,
      float[] referenceOutput,
      float[] referenceLoss,
      List<float[]> referenceLayerOutputs,
      float[][] postUpdateOutput) {}

  private static final Map<String, Seen> SEEN = new ConcurrentHashMap<>();

  private transient int nextBatch;

  public static void clear() {
    SEEN.clear();
  }

  public static Map<String, Seen> seen() {
    return Map.copyOf(SEEN);
  }

  public static String key(long taskAttemptId, int batch) {
    return taskAttemptId + ":" + batch;
  }

  @Override
  public void preUpdate(DataSet minibatch, Model model) {
    TaskContext tc = TaskContext.get();
    MultiLayerNetwork net = (MultiLayerNetwork) model;
    List<java.io.Serializable> meta = minibatch.getExampleMetaData();
    long[] ids = meta.stream().mapToLong(m -> ((Number) m).longValue()).toArray();
    float[] reference = net.output(minibatch.getFeatures(), false).dup('c').data().asFloat();
    // DL4J's own per-example loss (no regularization) of the pre-update parameters; none for a
    // CenterLossOutputLayer, whose scoreExamples fails in DL4J 1.0.0-M2 ([n, 1].addi([n, classes]))
    float[] loss =
        net.getOutputLayer() instanceof org.deeplearning4j.nn.layers.training.CenterLossOutputLayer
            ? null
            : net.scoreExamples((org.nd4j.linalg.dataset.DataSet) minibatch, false)
                .dup('c')
                .data()
                .asFloat();
    List<float[]> layers = new java.util.ArrayList<>();
    List<org.nd4j.linalg.api.ndarray.INDArray> ff = net.feedForward(minibatch.getFeatures(), false);
    for (int i = 1; i < ff.size(); i++) {
      layers.add(ff.get(i).dup('c').data().asFloat());
    }
    int batch = nextBatch++;
    SEEN.put(
        key(tc.taskAttemptId(), batch),
        new Seen(
            tc.taskAttemptId(),
            tc.partitionId(),
            batch,
            ids,
            minibatch.getFeatures().dup('c').data().asFloat(),
            minibatch.getLabels().dup('c').data().asFloat(),
            reference,
            loss,
            layers,
            new float[1][]));
  }

  @Override
  public void postUpdate(DataSet minibatch, Model model) {
    TaskContext tc = TaskContext.get();
    Seen s = SEEN.get(key(tc.taskAttemptId(), nextBatch - 1));
    s.postUpdateOutput()[0] =
        ((MultiLayerNetwork) model)
            .output(minibatch.getFeatures(), false)
            .dup('c')
            .data()
            .asFloat();
  }

  /** A ComputationGraph's minibatch: labels and outputs concatenated in output order. */
  @Override
  public void preUpdate(MultiDataSet minibatch, Model model) {
    TaskContext tc = TaskContext.get();
    org.deeplearning4j.nn.graph.ComputationGraph graph =
        (org.deeplearning4j.nn.graph.ComputationGraph) model;
    List<java.io.Serializable> meta = minibatch.getExampleMetaData();
    long[] ids = meta.stream().mapToLong(m -> ((Number) m).longValue()).toArray();
    float[] reference = concat(graph.output(false, minibatch.getFeatures()));
    float[] loss = graph.scoreExamples(minibatch, false).dup('c').data().asFloat();
    int batch = nextBatch++;
    SEEN.put(
        key(tc.taskAttemptId(), batch),
        new Seen(
            tc.taskAttemptId(),
            tc.partitionId(),
            batch,
            ids,
            concat(minibatch.getFeatures()),
            concat(minibatch.getLabels()),
            reference,
            loss,
            List.of(),
            new float[1][]));
  }

  private static float[] concat(org.nd4j.linalg.api.ndarray.INDArray[] arrays) {
    return (arrays.length == 1 ? arrays[0] : org.nd4j.linalg.factory.Nd4j.hstack(arrays))
        .dup('c')
        .data()
        .asFloat();
  }

  @Override
  public void postUpdate(MultiDataSet minibatch, Model model) {}
}
