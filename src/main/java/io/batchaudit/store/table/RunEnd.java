package io.batchaudit.store.table;

/**
 * How a run ended: written once, by {@link AuditTable#finish}, after the run's last commit, to
 * {@code _batch_audit/run-end.json}. Its presence is what makes the run finished (see {@link
 * RunState}).
 *
 * @param formatVersion run-end format version
 * @param runId the run, as in the run file
 * @param endedAt ISO-8601 instant the run ended (after its last commit and compaction, and after
 *     the model was saved)
 * @param trainingSeconds wall-clock duration of the training loop (every epoch with its commit,
 *     validation and compaction), without loading the data or saving the model
 * @param finalScore DL4J's averaged score after the last round
 * @param epochs training epochs trained
 * @param rows audit rows committed by the training phase, all epochs
 */
public record RunEnd(
    int formatVersion,
    String runId,
    String endedAt,
    double trainingSeconds,
    double finalScore,
    int epochs,
    long rows) {

  public static final int FORMAT_VERSION = 1;
}
