/**
 * The audit log on disk: the Parquet schema, the per-task file writer and reader, the folder
 * layout, the run metadata and the per-epoch commit manifests, and the run's state: its end,
 * recorded in the table ({@link io.batchaudit.store.AuditTable#finish}, {@link
 * io.batchaudit.store.RunState}), and the job's summary beside it ({@link
 * io.batchaudit.store.RunSummaryFile}). Only this package reads or writes these files by name.
 *
 * <p>Knows Hadoop {@code FileSystem} and parquet-java; must not depend on DL4J, ND4J or Spark: the
 * capture package hands it plain arrays ({@link io.batchaudit.store.AuditBatch}), the read package
 * reads through it.
 *
 * <p>The commit protocol's driver side ({@link io.batchaudit.store.AuditTable#commitEpoch}, {@link
 * io.batchaudit.store.Compactor}) and its recovery ({@code GenerationSwap}, run whenever a log is
 * opened) live here. Tests reach its steps only through {@link io.batchaudit.store.CommitProbes},
 * which refuses to install outside the project's tests; no production signature carries a seam.
 */
package io.batchaudit.store;
