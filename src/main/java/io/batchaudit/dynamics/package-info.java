/**
 * Per-example training dynamics of a committed audit log, computed as a Spark job: for every sample
 * id, statistics over all its presentations in training order (Data Maps' confidence and
 * variability, forgetting events, the area under the margin, EL2N; for regression the squared
 * error's mean, spread and trend), a likely-mislabeled ranking, and the plain Parquet table they
 * are written to ({@link io.batchaudit.dynamics.TrainingDynamics}, {@link
 * io.batchaudit.dynamics.DynamicsOutput}, {@link io.batchaudit.dynamics.DynamicsSummary}).
 *
 * <p>Runs on the driver (planning, the summary, the output folder) and in Spark tasks (reading the
 * committed files and every aggregation): nothing here holds the log in driver memory; the driver
 * collects only bounded results (counts, a histogram, the ranking's split points, the top of a
 * ranking).
 *
 * <p>Reads exactly the committed files named by the epoch manifests ({@link
 * io.batchaudit.read.AuditLog#committedFiles}), never a glob of the folder, with the store's
 * columnar reader ({@link io.batchaudit.store.parquet.ColumnSlices}). Depends on {@code read},
 * {@code store}, {@code internal}, Spark (RDDs; Spark SQL for the report's data frame) and
 * parquet-java (writing the table); must not depend on DL4J, ND4J, training or capture code, the
 * report or the command line ({@code cli} calls it, and hands its bounded results to {@code
 * report}, which knows no Spark).
 */
package io.batchaudit.dynamics;
