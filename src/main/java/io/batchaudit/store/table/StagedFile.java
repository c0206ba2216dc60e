package io.batchaudit.store.table;

import io.batchaudit.store.Phase;
import java.io.Serializable;

/**
 * A closed, footer-checked audit file that one task attempt wrote to staging, not yet committed;
 * also the content of its marker file ({@code <name>.marker.json}), written by the attempt after it
 * sealed the file.
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
 * @param sha256 SHA-256 of the file's bytes, lower-case hex
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
    int batches,
    String sha256)
    implements Serializable {}
