package io.batchaudit.dynamics;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.batchaudit.store.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The folder a dynamics table is written to: plain Parquet files ({@code part-*.parquet}, one per
 * bucket of sample ids, rows in sample id order; see {@link TableFiles}), Spark's {@code _SUCCESS},
 * and {@value #MARKER}, which plain readers skip (its name starts with {@code _}) and which marks
 * the folder as this command's own output.
 *
 * <p>Replacing: an existing folder is replaced only when it is empty or holds {@value #MARKER} (an
 * earlier output of {@code dynamics}); anything else is refused before anything is computed. The
 * table is written to a hidden sibling folder first, the marker added, then the old output deleted
 * and the new one renamed into place: a failure before that step leaves the old output untouched
 * (the sibling is deleted); the replacement itself is a delete then a rename, not atomic. Driver
 * side.
 */
public final class DynamicsOutput {
  /** The file that marks a folder as a dynamics output, with what it was computed from. */
  public static final String MARKER = "_dynamics.json";

  private DynamicsOutput() {}

  /**
   * What {@value #MARKER} records.
   *
   * @param audit the audit folder the table was computed from
   * @param runId its run
   * @param phase the phase aggregated
   * @param task classification or regression
   * @param epochs the epochs aggregated
   * @param el2nEpoch the epoch EL2N is taken at (classification)
   * @param writtenAt ISO-8601 instant
   */
  public record Marker(
      String audit,
      String runId,
      String phase,
      DynamicsTask task,
      List<Integer> epochs,
      int el2nEpoch,
      String writtenAt) {
    public Marker {
      epochs = List.copyOf(epochs);
    }
  }

  /** {@code <audit folder's parent>/dynamics}. */
  public static Path defaultFor(String auditLocation) {
    Path audit = new Path(auditLocation);
    Path parent = audit.getParent();
    if (parent == null) {
      throw new IllegalArgumentException(
          "The audit folder " + auditLocation + " has no parent folder: give --out");
    }
    return new Path(parent, "dynamics");
  }

  /**
   * Refuses an {@code out} that is not empty and not an earlier dynamics output, and one that is or
   * contains, or lies inside, the audit folder; nothing is written.
   */
  public static void checkReplaceable(Path out, String auditLocation, Configuration conf) {
    try {
      FileSystem fs = out.getFileSystem(conf);
      Path q = fs.makeQualified(out);
      Path audit = new Path(auditLocation);
      audit = audit.getFileSystem(conf).makeQualified(audit);
      if (within(q, audit) || within(audit, q)) {
        throw new IllegalArgumentException(
            "--out "
                + out
                + " overlaps the audit folder "
                + audit
                + ": plain readers of the log would read the table, or replacing it would delete"
                + " the log; choose a folder outside it (default: <audit>/../dynamics)");
      }
      if (!fs.exists(q)) {
        return;
      }
      FileStatus status = fs.getFileStatus(q);
      if (!status.isDirectory()) {
        throw new IllegalArgumentException(
            "--out " + out + " is a file, not a folder; choose a new or empty folder");
      }
      if (fs.listStatus(q).length > 0 && !fs.exists(new Path(q, MARKER))) {
        throw new IllegalArgumentException(
            "--out "
                + out
                + " is not empty and holds no "
                + MARKER
                + " (it is not an earlier output of dynamics), so it is not replaced; choose a new"
                + " or empty folder");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check --out " + out, e);
    }
  }

  private static boolean within(Path child, Path parent) {
    String c = child.toUri().getPath();
    String p = parent.toUri().getPath();
    boolean sameFs =
        java.util.Objects.equals(child.toUri().getScheme(), parent.toUri().getScheme())
            && java.util.Objects.equals(
                child.toUri().getAuthority(), parent.toUri().getAuthority());
    return sameFs && (c.equals(p) || c.startsWith(p.endsWith("/") ? p : p + "/"));
  }

  /** A hidden sibling of {@code out} for the new table, unique to this call. */
  public static Path temporaryFor(Path out) {
    return new Path(out.getParent(), "." + out.getName() + "-" + UUID.randomUUID() + ".tmp");
  }

  /**
   * Adds the marker to the table written in {@code written} (a {@link #temporaryFor} folder) and
   * moves it to {@code out}, replacing an earlier output there.
   */
  public static void publish(Path written, Path out, Marker marker, Configuration conf) {
    try {
      FileSystem fs = out.getFileSystem(conf);
      try (OutputStream o = fs.create(new Path(written, MARKER), false)) {
        o.write(Json.mapper().writeValueAsString(marker).getBytes(StandardCharsets.UTF_8));
      }
      if (fs.exists(out) && !fs.delete(out, true)) {
        throw new IOException("Cannot delete the earlier output " + out);
      }
      if (!fs.rename(written, out)) {
        throw new IOException("Cannot rename " + written + " to " + out);
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot publish the dynamics table to " + out, e);
    }
  }

  /** Deletes a {@link #temporaryFor} folder after a failure; errors are ignored. */
  public static void discard(Path written, Configuration conf) {
    try {
      written.getFileSystem(conf).delete(written, true);
    } catch (IOException | RuntimeException e) {
      // best effort: the folder is hidden and named as a leftover
    }
  }
}
