package io.batchaudit.capture;

import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;

/**
 * DL4J's training result of one worker task, tagged with the task attempt that produced it. Only
 * the results Spark accepted reach the driver's aggregation, so the tags that arrive there name
 * exactly the attempts whose batches were averaged into the model.
 */
final class TaggedResult extends ParameterAveragingTrainingResult {
  private static final long serialVersionUID = 1L;
  private final int partition;
  private final long taskAttemptId;
  private final int batches;
  private final long examples;

  TaggedResult(
      ParameterAveragingTrainingResult r,
      int partition,
      long taskAttemptId,
      int batches,
      long examples) {
    super(
        r.getParameters(),
        r.getUpdaterState(),
        r.getScore(),
        r.getSparkTrainingStats(),
        r.getListenerMetaData(),
        r.getListenerStaticInfo(),
        r.getListenerUpdates());
    this.partition = partition;
    this.taskAttemptId = taskAttemptId;
    this.batches = batches;
    this.examples = examples;
  }

  long examples() {
    return examples;
  }

  int partition() {
    return partition;
  }

  long taskAttemptId() {
    return taskAttemptId;
  }

  int batches() {
    return batches;
  }
}
