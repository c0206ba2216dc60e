/**
 * Capture: what runs inside DL4J's parameter-averaging training to record every minibatch, and the
 * validation pass.
 *
 * <p>{@link io.batchaudit.capture.AuditingTrainingMaster} runs on the driver: it extends DL4J's
 * {@code ParameterAveragingTrainingMaster} (MultiLayerNetwork and ComputationGraph), installs a
 * fresh {@link io.batchaudit.capture.BatchRecorder} for every averaging round and reports each
 * finished round with the accepted task attempts. {@code BatchRecorder} runs on the executors, in
 * the training thread of each worker task; {@code OutputProjection} and {@code GraphOutputs}
 * complete the training forward pass through the output layers. {@link
 * io.batchaudit.capture.ValidationPass} evaluates an epoch's model on the executors and records the
 * validation batches; {@link io.batchaudit.capture.AuditedModel} hides which kind of network it is.
 *
 * <p>Knows DL4J, ND4J and Spark's {@code TaskContext}; hands plain arrays to {@link
 * io.batchaudit.store} and knows nothing of Parquet.
 */
package io.batchaudit.capture;
