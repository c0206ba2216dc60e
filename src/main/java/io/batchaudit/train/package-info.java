/**
 * The training job: its settings in the types of the packages it wires together ({@link
 * io.batchaudit.train.TrainingSettings}, from a {@code config.JobConfig}), the conversion of source
 * examples into DL4J data sets ({@link io.batchaudit.train.DataSets}) and the standardizer saved
 * with the model, network presets and JSON networks ({@link io.batchaudit.train.NetworkFactory},
 * which builds the capture package's {@code Network}), and the run ({@link
 * io.batchaudit.train.TrainingJob}) that wires DL4J's Spark training to the capture package and
 * commits every epoch to the store.
 *
 * <p>Runs on the driver (the conversion also inside Spark tasks). Reads no input data and parses no
 * configuration: keys and their checks are {@code config}'s, reading and checking inputs is {@code
 * source}'s. Depends on config, source, capture and store; nothing depends on it but the cli and
 * the benchmarks.
 */
package io.batchaudit.train;
