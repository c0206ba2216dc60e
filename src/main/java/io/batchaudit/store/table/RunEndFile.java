package io.batchaudit.store.table;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;

/**
 * The run end of an audit table on disk: {@link AuditTable#finish} and {@link AuditTable#state}.
 */
final class RunEndFile {
  private RunEndFile() {}

  static void write(FileSystem fs, AuditLayout layout, RunInfo run, RunEnd end) {
    if (!end.runId().equals(run.runId())) {
      throw new IllegalArgumentException(
          "Run end of run "
              + end.runId()
              + " given to the table of run "
              + run.runId()
              + " in "
              + layout.root()
              + ": record a run's end in its own table");
    }
    try {
      if (fs.exists(layout.runEnd())) {
        RunEnd recorded = AuditTable.readJson(fs, layout.runEnd(), RunEnd.class);
        throw new IllegalStateException(
            "Run "
                + run.runId()
                + " in "
                + layout.root()
                + " already ended at "
                + recorded.endedAt()
                + " ("
                + layout.runEnd()
                + "): a run ends once");
      }
      AuditTable.writeJsonAtomically(fs, layout.runEnd(), end);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot record the end of run "
              + run.runId()
              + " in "
              + layout.root()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  static RunState read(FileSystem fs, AuditLayout layout, RunInfo run) {
    try {
      try {
        RunEnd end = AuditTable.readJson(fs, layout.runEnd(), RunEnd.class);
        return new RunState.Finished(end, layout.runEnd());
      } catch (FileNotFoundException e) {
        // No run end: unfinished, unless the log was written before tables recorded their end and
        // the summary beside it names the run. (The job writes the summary after the run end, so
        // a summary without a run end is never a new log's.)
        Optional<RunState.Finished> legacy =
            RunSummaryFile.legacyEnd(fs, layout.root(), run.runId());
        return legacy.isPresent() ? legacy.get() : new RunState.Unfinished();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read the end of run "
              + run.runId()
              + " in "
              + layout.root()
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
