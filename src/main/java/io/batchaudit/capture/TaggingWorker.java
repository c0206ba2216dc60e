package io.batchaudit.capture;

import java.util.Collection;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.core.storage.StatsStorageRouterProvider;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * DL4J's parameter-averaging worker, unchanged, except that its result carries the Spark task
 * attempt and the number of minibatches it trained. Serialized into every worker task of a round
 * (one instance per task after deserialization).
 */
final class TaggingWorker extends ParameterAveragingTrainingWorker {
  private static final long serialVersionUID = 1L;
  private transient int batches;
  private transient long examples;

  TaggingWorker(
      Broadcast<NetBroadcastTuple> broadcast,
      boolean saveUpdater,
      WorkerConfiguration configuration,
      Collection<TrainingHook> trainingHooks,
      Collection<TrainingListener> listeners,
      StatsStorageRouterProvider routerProvider) {
    super(broadcast, saveUpdater, configuration, trainingHooks, listeners, routerProvider);
  }

  @Override
  public ParameterAveragingTrainingResult processMinibatch(
      DataSet dataSet, MultiLayerNetwork network, boolean isLast) {
    batches++;
    examples += dataSet.numExamples();
    return super.processMinibatch(dataSet, network, isLast);
  }

  @Override
  public ParameterAveragingTrainingResult getFinalResult(MultiLayerNetwork network) {
    return tag(super.getFinalResult(network));
  }

  @Override
  public ParameterAveragingTrainingResult processMinibatch(
      MultiDataSet dataSet, ComputationGraph graph, boolean isLast) {
    batches++;
    examples += dataSet.getFeatures(0).size(0);
    return super.processMinibatch(dataSet, graph, isLast);
  }

  @Override
  public ParameterAveragingTrainingResult getFinalResult(ComputationGraph graph) {
    return tag(super.getFinalResult(graph));
  }

  @Override
  public ParameterAveragingTrainingResult getFinalResultNoData() {
    return tag(super.getFinalResultNoData());
  }

  private ParameterAveragingTrainingResult tag(ParameterAveragingTrainingResult r) {
    TaskContext tc = TaskContext.get();
    return new TaggedResult(r, tc.partitionId(), tc.taskAttemptId(), batches, examples);
  }
}
