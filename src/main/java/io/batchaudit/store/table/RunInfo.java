package io.batchaudit.store.table;

import io.batchaudit.store.OptionalColumns;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run was: written once, before training starts, to {@code _batch_audit/run.json}.
 *
 * @param formatVersion run-file format version
 * @param runId unique id of the run; also in every row's {@code run_id}
 * @param staging URI of the run's staging folder (outside the audit folder)
 * @param createdAt ISO-8601 instant the run started
 * @param dataSource the data specification training read, so that {@code verify} can reload it
 * @param dataFingerprint SHA-256 over every source example (features and label, in sample id
 *     order), to tell whether {@code verify} reloaded the same data
 * @param validationSource the validation data specification, or {@code null} without validation
 * @param validationFingerprint SHA-256 over the validation examples, or {@code null}
 * @param plannedEpochs epochs the run was configured to train
 * @param batchSize examples per minibatch per worker
 * @param workers number of workers
 * @param averagingFrequency minibatches per worker between parameter averagings
 * @param optionalColumns the opt-in columns the log records
 * @param config every configuration key of the run with its effective value
 * @param commitProtocol how the log commits ({@link CommitProtocol#label()}), chosen when it was
 *     created; absent in logs written before there was a choice, which use {@code rename}
 */
public record RunInfo(
    int formatVersion,
    String runId,
    String staging,
    String createdAt,
    String dataSource,
    String dataFingerprint,
    String validationSource,
    String validationFingerprint,
    int plannedEpochs,
    int batchSize,
    int workers,
    int averagingFrequency,
    OptionalColumns optionalColumns,
    Map<String, String> config,
    String commitProtocol) {

  public static final int FORMAT_VERSION = 1;

  public RunInfo {
    config = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(config));
  }

  /** The same run, committed by {@code protocol}. */
  public RunInfo withCommitProtocol(CommitProtocol protocol) {
    return new RunInfo(
        formatVersion,
        runId,
        staging,
        createdAt,
        dataSource,
        dataFingerprint,
        validationSource,
        validationFingerprint,
        plannedEpochs,
        batchSize,
        workers,
        averagingFrequency,
        optionalColumns,
        config,
        protocol.label());
  }

  /** The log's commit protocol. */
  public CommitProtocol protocol() {
    return CommitProtocol.ofLabel(commitProtocol);
  }
}
