/**
 * The inputs a job trains and validates on, read and checked: what the configuration names ({@link
 * io.batchaudit.source.InputSpec}: built-in {@link io.batchaudit.source.DataSpec} or files {@link
 * io.batchaudit.source.TableSpec}), the built-in data ({@link io.batchaudit.source.IrisData},
 * {@link io.batchaudit.source.SyntheticData}), CSV, Parquet and LibSVM files read with Spark SQL
 * and checked row by row ({@link io.batchaudit.source.TableData}), and what the job needs of them,
 * whatever their kind ({@link io.batchaudit.source.InputData}): examples with their sample ids,
 * shapes and tasks, labels by sample id, fingerprints and feature statistics.
 *
 * <p>Runs on the driver, and inside Spark tasks (generating built-in examples, parsing and checking
 * rows). The Iris data is the {@code iris.dat} resource of deeplearning4j-core, read as text.
 *
 * <p>Depends on {@code config} (the keys it reads) and on Spark and Hadoop; on nothing else in the
 * project, and on no DL4J or ND4J class: turning examples into DL4J data sets is {@code train}'s,
 * comparing labels with a log is {@code read}'s (the cli hands {@link io.batchaudit.source.Labels}
 * over as {@code read.LabelSource}).
 */
package io.batchaudit.source;
