package io.batchaudit.store;

/**
 * One data file of a committed epoch, as recorded in the epoch's manifest.
 *
 * @param path path relative to the audit folder, e.g. {@code
 *     phase=train/epoch=0/part-r000003-p00001-t42.parquet}
 * @param round 0-based averaging round
 * @param partition Spark partition id
 * @param attempt Spark attempt number of the task that wrote it
 * @param taskAttemptId Spark's unique task attempt id
 * @param rows rows in the file
 * @param bytes file length
 * @param batches minibatches in the file
 * @param sha256 SHA-256 of the file's bytes, lower-case hex
 */
public record CommittedFile(
    String path,
    int round,
    int partition,
    int attempt,
    long taskAttemptId,
    long rows,
    long bytes,
    int batches,
    String sha256) {}
