/**
 * Hadoop plumbing of the audit log: the Hadoop settings every command sees ({@link
 * io.batchaudit.store.hadoop.HadoopSettings}: {@code HADOOP_CONF_DIR}, {@code spark.hadoop.*}), the
 * configuration that travels to executors ({@link
 * io.batchaudit.store.hadoop.SerializableConfiguration}), exclusive creation of the log's new files
 * on every store ({@link io.batchaudit.store.hadoop.NewFiles}) and SHA-256 fingerprints of files
 * ({@link io.batchaudit.store.hadoop.Checksums}).
 *
 * <p>Knows Hadoop's {@code FileSystem} (and parquet-java's {@code OutputFile}, which {@code
 * NewFiles} adapts for the writer) and nothing else of the store: neither the records, the file
 * format nor the table.
 */
package io.batchaudit.store.hadoop;
