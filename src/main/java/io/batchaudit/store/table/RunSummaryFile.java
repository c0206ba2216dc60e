package io.batchaudit.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import io.batchaudit.store.Json;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The run's summary for its users, {@code summary.json} in the job's output folder (beside the
 * audit folder): what the job wrote, as JSON. The job writes it after it recorded the run's end in
 * the table ({@link AuditTable#finish}), and also when it ran without an audit log; nothing reads
 * it to learn whether a run finished, except {@link AuditTable#state} for a log written before the
 * table recorded its end.
 *
 * <p>Runs on the driver.
 */
public final class RunSummaryFile {
  static final String NAME = "summary.json";

  private RunSummaryFile() {}

  /**
   * Writes {@code summary} (a record, as JSON) to the summary file of output folder {@code out}: to
   * a temporary file beside it, then renamed, so that the summary is either complete or not there.
   * An existing summary is never overwritten.
   *
   * @return the summary file, qualified
   * @throws UncheckedIOException if it cannot be written or exists already
   */
  public static Path write(Path out, Configuration conf, Record summary) {
    Path file = new Path(out, NAME);
    try {
      FileSystem fs = file.getFileSystem(conf);
      file = fs.makeQualified(file);
      AuditTable.writeJsonAtomically(fs, file, summary);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The end of run {@code runId} as the summary beside audit folder {@code root} records it: for a
   * log written before the table recorded its end. Empty when there is no summary, or it names
   * another run or no duration. Its end time is the summary file's modification time.
   */
  static Optional<RunState.Finished> legacyEnd(FileSystem fs, Path root, String runId)
      throws IOException {
    if (root.getParent() == null) {
      return Optional.empty();
    }
    Path file = new Path(root.getParent(), NAME);
    JsonNode node;
    long modified;
    try (InputStream in = fs.open(file)) {
      node = Json.mapper().readTree(in);
      modified = fs.getFileStatus(file).getModificationTime();
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
    if (!node.path("runId").asText("").equals(runId) || !node.path("seconds").isNumber()) {
      return Optional.empty();
    }
    long rows = 0;
    for (JsonNode r : node.path("rowsPerEpoch")) {
      rows += r.asLong();
    }
    return Optional.of(
        new RunState.Finished(
            new RunEnd(
                RunEnd.FORMAT_VERSION,
                runId,
                Instant.ofEpochMilli(modified).toString(),
                node.get("seconds").asDouble(),
                node.path("finalScore").asDouble(Double.NaN),
                node.path("epochs").asInt(0),
                rows),
            file));
  }
}
