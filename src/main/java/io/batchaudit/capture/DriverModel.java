package io.batchaudit.capture;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The driver's model inside DL4J's Spark wrapper, as {@link AuditingTrainingMaster} reads and sets
 * it around each averaging round; one implementation per kind of {@link Network}, made from the
 * wrapper DL4J hands the master ({@link LayerNetwork#onDriver}, {@link GraphNetwork#onDriver}).
 * Runs on the driver.
 */
interface DriverModel {
  /** The live parameters, flattened in DL4J's order (DL4J's own array, not a copy). */
  INDArray params();

  /** DL4J's iteration count of the driver's model. */
  long iterationCount();

  /** The wrapper's score after the last averaging. */
  double score();

  JavaSparkContext sparkContext();

  /** Configuration, parameters and updater state, as DL4J broadcasts them to a round's workers. */
  NetBroadcastTuple broadcastTuple();

  /** DL4J's {@code WorkerConfiguration} flag: whether the workers fit a graph. */
  boolean isGraph();

  /**
   * Sets a round's averaged parameters, updater state (when {@code updaterState} is not null) and
   * score, in that order, as DL4J's {@code processResults} does.
   */
  void setAverage(INDArray params, INDArray updaterState, double score);

  /** Advances the configuration's iteration count by {@code steps}, as DL4J does after a round. */
  void advanceIterationCount(int steps);
}
