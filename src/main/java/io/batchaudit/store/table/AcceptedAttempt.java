package io.batchaudit.store.table;

/**
 * The task attempt whose training result Spark delivered to the driver for one partition of one
 * averaging round: the only attempt of that partition whose batches were averaged into the model,
 * hence the only one whose staged file may be committed.
 *
 * @param round 0-based averaging round
 * @param partition Spark partition id
 * @param taskAttemptId Spark's unique task attempt id
 * @param batches minibatches the attempt trained (0: the partition had no data, no file)
 * @param examples examples the attempt trained
 */
public record AcceptedAttempt(
    int round, int partition, long taskAttemptId, int batches, long examples)
    implements java.io.Serializable {}
