/**
 * The training job: configuration, source data (Iris, synthetic), network presets, and the run that
 * wires DL4J's Spark training to the capture package and commits every epoch to the store.
 *
 * <p>Runs on the driver (the data generators also run inside Spark tasks). Depends on capture and
 * store; nothing depends on it but the cli.
 */
package io.batchaudit.train;
