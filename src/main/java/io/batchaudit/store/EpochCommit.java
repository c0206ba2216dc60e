package io.batchaudit.store;

import java.util.List;

/**
 * The manifest of one committed epoch of one phase: exactly one file per (round, partition) that
 * trained any batch, in (round, partition) order. Written once, atomically, after all of the
 * epoch's files are in place; an epoch without a manifest is not committed and readers ignore it.
 *
 * @param formatVersion manifest format version
 * @param runId the run
 * @param phase train or validation
 * @param epoch 0-based epoch
 * @param rounds number of averaging rounds the epoch ran (rounds without data have no file)
 * @param rows total rows
 * @param committedAt ISO-8601 instant
 * @param files the data files
 */
public record EpochCommit(
    int formatVersion,
    String runId,
    Phase phase,
    int epoch,
    int rounds,
    long rows,
    String committedAt,
    List<CommittedFile> files) {

  public static final int FORMAT_VERSION = 1;

  public EpochCommit {
    files = List.copyOf(files);
  }
}
