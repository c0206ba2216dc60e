package io.batchaudit.store;

/**
 * One data file of a committed epoch, as recorded in the epoch's manifest.
 *
 * @param path path relative to the audit folder, e.g. {@code
 *     phase=train/epoch=0/part-r000003-p00001-t42.parquet}
 * @param round 0-based averaging round (of the first row, in a compacted file)
 * @param lastRound round of the last row (equal to {@code round} unless compacted)
 * @param partition Spark partition id, or -1 for a compacted file (all partitions)
 * @param attempt Spark attempt number of the task that wrote it, or -1 for a compacted file
 * @param taskAttemptId Spark's unique task attempt id, or -1 for a compacted file
 * @param rows rows in the file
 * @param bytes file length
 * @param batches minibatches in the file
 * @param sha256 SHA-256 of the file's bytes, lower-case hex
 */
public record CommittedFile(
    String path,
    int round,
    int lastRound,
    int partition,
    int attempt,
    long taskAttemptId,
    long rows,
    long bytes,
    int batches,
    String sha256) {}
