/**
 * The audit log on disk: the Parquet schema, the per-task file writer and reader, the folder
 * layout, the run metadata and the per-epoch commit manifests.
 *
 * <p>Knows Hadoop {@code FileSystem} and parquet-java; must not depend on DL4J, ND4J or Spark: the
 * capture package hands it plain arrays ({@link io.batchaudit.store.AuditBatch}), the read package
 * reads through it.
 */
package io.batchaudit.store;
