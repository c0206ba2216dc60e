package io.batchaudit.store;

import java.io.Serializable;

/**
 * A closed, footer-checked audit file that one task attempt wrote to the staging area, not yet
 * committed. Created on an executor when the attempt succeeds and sent to the driver through a Spark
 * accumulator, so that only attempts Spark counted as successful reach the driver.
 *
 * @param phase train or validation
 * @param epoch 0-based epoch
 * @param round 0-based averaging round
 * @param partition Spark partition id
 * @param stageId Spark stage id of the task
 * @param attempt Spark attempt number of the task
 * @param taskAttemptId Spark's unique task attempt id
 * @param path full URI of the staged file
 * @param rows rows in the file, as read back from its footer
 * @param bytes file length
 * @param batches number of minibatches in the file
 */
public record StagedFile(
    Phase phase,
    int epoch,
    int round,
    int partition,
    int stageId,
    int attempt,
    long taskAttemptId,
    String path,
    long rows,
    long bytes,
    int batches)
    implements Serializable {}
