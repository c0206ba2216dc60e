/**
 * The audit file: its Parquet schema ({@link io.batchaudit.store.parquet.AuditSchema}), the
 * per-task writer ({@link io.batchaudit.store.parquet.AuditFileWriter}, with its SHA-256 digest of
 * the bytes written), the reader of one file ({@link io.batchaudit.store.parquet.AuditFileReader}),
 * the columnar decoders that turn pages straight into primitive arrays, and the ordered read of
 * committed epochs with its bounded read-ahead ({@link io.batchaudit.store.parquet.EpochReader},
 * {@link io.batchaudit.store.parquet.ColumnSlices}).
 *
 * <p>Knows parquet-java, Hadoop's {@code FileSystem}, the records of {@code io.batchaudit.store}
 * and {@code store.hadoop}; it does not know which files are committed: that is the table's, and
 * the ordered reader asks it through {@link io.batchaudit.store.parquet.EpochReader.Table}.
 */
package io.batchaudit.store.parquet;
