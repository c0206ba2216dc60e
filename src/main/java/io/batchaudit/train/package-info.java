/**
 * The training job: configuration ({@link io.batchaudit.config.ConfigKey}, {@link
 * io.batchaudit.config.JobConfig}), inputs ({@link io.batchaudit.train.InputData}: built-in Iris
 * and synthetic data, or CSV, Parquet and LibSVM files read and checked by {@link
 * io.batchaudit.source.TableData}), network presets and JSON networks ({@link
 * io.batchaudit.train.NetworkFactory}, which builds the capture package's {@code Network}), and the
 * run ({@link io.batchaudit.train.TrainingJob}) that wires DL4J's Spark training to the capture
 * package and commits every epoch to the store.
 *
 * <p>Runs on the driver (data generators, file parsing and checks also run inside Spark tasks).
 * Depends on capture and store; nothing depends on it but the cli and the benchmarks.
 */
package io.batchaudit.train;
