package io.batchaudit.store.table;

import org.apache.hadoop.fs.Path;

/**
 * Whether a run finished, as its audit table records it ({@link AuditTable#state}). A run is
 * finished exactly when its end is recorded: the job records it after its last commit, so a run
 * whose driver stopped stays unfinished, and its committed epochs stay readable.
 */
public sealed interface RunState {

  /**
   * No end recorded: the run is still training, or its driver stopped before the end (the table
   * cannot tell the two apart).
   */
  record Unfinished() implements RunState {}

  /**
   * The run ended.
   *
   * @param end how it ended
   * @param recordedIn the file that records it: the table's run end; for a log written before the
   *     table recorded its end, the run's summary beside the audit folder
   */
  record Finished(RunEnd end, Path recordedIn) implements RunState {}
}
