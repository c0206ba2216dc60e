/**
 * The audit table and its commit protocol: the folder layout ({@link
 * io.batchaudit.store.table.AuditLayout}), a task attempt's staging and sealing ({@link
 * io.batchaudit.store.table.StagingArea}), an epoch's commit from the accepted attempts, compaction
 * and its generation swap, vacuum, the run metadata and the run's state: its end, recorded in the
 * table ({@link io.batchaudit.store.table.AuditTable#finish}, {@link
 * io.batchaudit.store.table.RunState}), and the job's summary beside it ({@link
 * io.batchaudit.store.table.RunSummaryFile}). Only this package reads or writes these files by
 * name. {@link io.batchaudit.store.table.CommitProtocol} is the contract, documented once: what
 * runs on executors and on the driver, what retries and speculative copies may do, what a reader
 * sees at each step, in its rename form and its manifest form.
 *
 * <p>Knows Hadoop's {@code FileSystem}, the file format ({@code store.parquet}) and the records;
 * must not depend on DL4J, ND4J or Spark: the capture package hands it plain arrays ({@link
 * io.batchaudit.store.AuditBatch}), the read package reads through it.
 *
 * <p>The commit protocol's driver side ({@link io.batchaudit.store.table.AuditTable#commitEpoch},
 * {@link io.batchaudit.store.table.Compactor}) and its recovery ({@code GenerationSwap}, run
 * whenever a log is opened) live here. Tests reach its steps only through {@link
 * io.batchaudit.store.table.CommitProbes}, which refuses to install outside the project's tests; no
 * production signature carries a seam.
 */
package io.batchaudit.store.table;
