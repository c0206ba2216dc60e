package io.batchaudit.store;

import java.util.List;

/**
 * The manifest of one committed epoch of one phase ({@code phase=<p>/epoch=<e>/_manifest.json}):
 * exactly one file per (round, partition) that trained any batch, in (round, partition) order, and
 * the provenance of every round. It lands in the audit folder together with its data files, by one
 * directory rename; an epoch folder without it does not exist for the project's reader.
 *
 * @param formatVersion manifest format version
 * @param runId the run
 * @param phase train or validation
 * @param epoch 0-based epoch
 * @param rows total rows
 * @param committedAt ISO-8601 instant
 * @param generation 0 for the epoch as training committed it, one more for every compaction
 * @param sorted whether the files, in the order listed, hold the epoch in training order (true
 *     after compaction); otherwise there is one file per (round, partition)
 * @param rounds every round of the epoch, in order
 * @param files the data files
 */
public record EpochCommit(
    int formatVersion,
    String runId,
    Phase phase,
    int epoch,
    long rows,
    String committedAt,
    int generation,
    boolean sorted,
    List<RoundStart> rounds,
    List<CommittedFile> files) {

  public static final int FORMAT_VERSION = 1;

  public EpochCommit {
    rounds = List.copyOf(rounds);
    files = List.copyOf(files);
  }

  /** The same manifest with other files (for example a reader's selection). */
  public EpochCommit withFiles(List<CommittedFile> selected) {
    return new EpochCommit(
        formatVersion,
        runId,
        phase,
        epoch,
        rows,
        committedAt,
        generation,
        sorted,
        rounds,
        selected);
  }

  /** Number of averaging rounds the epoch ran (rounds without data have no file). */
  public int roundCount() {
    return rounds.size();
  }
}
