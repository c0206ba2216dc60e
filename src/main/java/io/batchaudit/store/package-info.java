/**
 * What the audit log holds, in the words every other package speaks: a minibatch as recorded
 * ({@link io.batchaudit.store.AuditBatch}, its {@link io.batchaudit.store.BatchKey} and {@link
 * io.batchaudit.store.Phase}, its matrices as {@link io.batchaudit.store.FloatMatrix}), which value
 * columns a caller wants ({@link io.batchaudit.store.ValueColumn}, {@link
 * io.batchaudit.store.OptionalColumns}), and the manifest of a committed epoch ({@link
 * io.batchaudit.store.EpochCommit}, {@link io.batchaudit.store.CommittedFile}, {@link
 * io.batchaudit.store.RoundStart}), with the one JSON mapper the log's files are written with.
 *
 * <p>Plain values: they depend on no part of the store and on no engine (no Hadoop file system,
 * parquet-java, DL4J, ND4J or Spark), so capture, read, report and dynamics can hand them around
 * without knowing how the log is stored. The store's work lives in three subpackages, by job:
 *
 * <ul>
 *   <li>{@code store.hadoop}: Hadoop plumbing (settings, the configuration that travels to
 *       executors, exclusive file creation, SHA-256 fingerprints);
 *   <li>{@code store.parquet}: the audit file (schema, writer, reader, columnar decoding, the
 *       ordered read of committed epochs);
 *   <li>{@code store.table}: the audit table and its commit protocol (layout, staging, commit,
 *       compaction, vacuum, run metadata and state).
 * </ul>
 *
 * Arrows run one way: table to parquet, both to hadoop and to these records.
 */
package io.batchaudit.store;
