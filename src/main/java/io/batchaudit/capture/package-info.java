/**
 * Capture: what runs inside DL4J's parameter-averaging training to record every minibatch.
 *
 * <p>{@link io.batchaudit.capture.AuditingTrainingMaster} runs on the driver: it extends DL4J's
 * {@code ParameterAveragingTrainingMaster}, installs a fresh {@link
 * io.batchaudit.capture.BatchRecorder} for every averaging round and reports each finished round
 * with the staged files of the accepted task attempts. {@code BatchRecorder} runs on the executors,
 * in the training thread of each worker task.
 *
 * <p>Knows DL4J, ND4J and Spark's {@code TaskContext}; hands plain arrays to {@link
 * io.batchaudit.store} and knows nothing of Parquet.
 */
package io.batchaudit.capture;
