/**
 * Capture: the networks under audit, what runs inside DL4J's parameter-averaging training to record
 * every minibatch, and the validation pass.
 *
 * <p>{@link io.batchaudit.capture.Network} is the network a job trains, sealed: {@link
 * io.batchaudit.capture.LayerNetwork} (MultiLayerNetwork) or {@link
 * io.batchaudit.capture.GraphNetwork} (ComputationGraph), each owning its start-up checks, the DL4J
 * model and Spark wrapper, fit and score, and the output projection, per-example loss and hidden
 * activations the recorders take; nothing else branches on the kind. {@link
 * io.batchaudit.capture.Capture} says whether and what a run records ({@code Capture.off()} for
 * none).
 *
 * <p>{@link io.batchaudit.capture.AuditingTrainingMaster} runs on the driver: it extends DL4J's
 * {@code ParameterAveragingTrainingMaster}, installs a fresh {@link
 * io.batchaudit.capture.BatchRecorder} for every averaging round and reports each finished round
 * with the accepted task attempts; for DL4J's Export approach {@link
 * io.batchaudit.capture.ExportedMinibatches} writes and loads the minibatch files with their sample
 * ids. {@code BatchRecorder} runs on the executors, in the training thread of each worker task.
 * {@link io.batchaudit.capture.ValidationPass} evaluates an epoch's model ({@link
 * io.batchaudit.capture.Network.Snapshot}) on the executors and records the validation batches.
 *
 * <p>Knows DL4J, ND4J and Spark's {@code TaskContext}; hands plain arrays to {@link
 * io.batchaudit.store} and knows nothing of Parquet. Must not depend on {@code train} (nor on
 * {@code read}, {@code report}, {@code cli}): {@code train} builds a {@code Network} and a {@code
 * Capture} and hands them here.
 */
package io.batchaudit.capture;
