package io.batchaudit.store.table;

import io.batchaudit.internal.AuditLogException;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.Json;
import io.batchaudit.store.OptionalColumns;
import io.batchaudit.store.Phase;
import io.batchaudit.store.hadoop.NewFiles;
import io.batchaudit.store.hadoop.SerializableConfiguration;
import io.batchaudit.store.parquet.AuditFileReader;
import io.batchaudit.store.parquet.AuditFileWriter;
import io.batchaudit.store.parquet.WriterOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor-side half of the commit protocol ({@link CommitProtocol}: write, commit, abort):
 * every task attempt writes its batches to its own uniquely named file (partition and Spark task
 * attempt id in the name; in staging under the rename form, in the epoch folder under the manifest
 * form), and on success seals it: closes it, re-reads the footer from the store, checks the row
 * count and writes a marker to staging. Failed attempts abort and delete what they wrote.
 *
 * <p>Calls to the store per sealed attempt: the file's create and close, one read of its tail (the
 * footer, at the length written: no status call), the marker's create and close. On S3 (S3A 3.3.4)
 * that is six requests: a LIST before each PUT (S3A's check that the name is not a folder; the name
 * is unique to the attempt, so no HEAD asks whether a file has it, see {@link NewFiles}), the HEAD
 * of S3A's open and one GET.
 *
 * <p>Created on the driver and serialized into every task (hence {@link Serializable}: it carries
 * the audit folder URI, the Hadoop configuration and the writer settings, never open streams).
 */
public final class StagingArea implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(StagingArea.class);

  /**
   * Writes the markers of sealing attempts, beside the tasks' threads (see {@link
   * StagedWriter#seal}).
   */
  private static final ExecutorService MARKERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "batch-audit-marker");
            t.setDaemon(true);
            return t;
          });

  private final String root;
  private final String staging;
  private final CommitProtocol protocol;
  private final ConfigurationSource conf;
  private final String runId;
  private final OptionalColumns columns;
  private final WriterOptions options;

  /**
   * Where the executors get the Hadoop configuration from. Serialized into every task, so it must
   * be small: a training job passes one backed by a Spark broadcast (the whole configuration, some
   * hundred kilobytes, travels once per executor, not once per task).
   */
  public interface ConfigurationSource extends Serializable {
    Configuration get();
  }

  /** Staging of the audit log laid out by {@code layout}, for use in this JVM or small tests. */
  public StagingArea(
      AuditLayout layout,
      Configuration conf,
      String runId,
      OptionalColumns columns,
      WriterOptions options) {
    this(layout, new SerializableConfiguration(conf)::get, runId, columns, options);
  }

  /** Staging of the audit log laid out by {@code layout}. */
  public StagingArea(
      AuditLayout layout,
      ConfigurationSource conf,
      String runId,
      OptionalColumns columns,
      WriterOptions options) {
    this.root = layout.root().toString();
    this.staging = layout.staging().toString();
    this.protocol = layout.protocol();
    this.conf = conf;
    this.runId = runId;
    this.columns = columns;
    this.options = options;
  }

  public String runId() {
    return runId;
  }

  public OptionalColumns columns() {
    return columns;
  }

  /** Creates the file of one task attempt (see {@link NewFiles}). Runs on an executor. */
  public StagedWriter open(
      Phase phase,
      int epoch,
      int round,
      int partition,
      int stageId,
      int attempt,
      long taskAttemptId) {
    AuditLayout layout = new AuditLayout(new Path(root), new Path(staging), protocol);
    Path path = layout.attemptFile(phase, epoch, round, partition, taskAttemptId, attempt);
    Path marker = layout.marker(phase, epoch, round, partition, taskAttemptId, attempt);
    AuditFileWriter writer = AuditFileWriter.create(conf.get(), path, runId, columns, options);
    return new StagedWriter(
        writer,
        marker,
        phase,
        epoch,
        round,
        partition,
        stageId,
        attempt,
        taskAttemptId,
        conf.get());
  }

  /** The open staged file of one task attempt. Not thread-safe; used by the task's thread. */
  public static final class StagedWriter {
    private final AuditFileWriter writer;
    private final Path marker;
    private final Phase phase;
    private final int epoch;
    private final int round;
    private final int partition;
    private final int stageId;
    private final int attempt;
    private final long taskAttemptId;
    private final Configuration conf;

    private StagedWriter(
        AuditFileWriter writer,
        Path marker,
        Phase phase,
        int epoch,
        int round,
        int partition,
        int stageId,
        int attempt,
        long taskAttemptId,
        Configuration conf) {
      this.writer = writer;
      this.marker = marker;
      this.phase = phase;
      this.epoch = epoch;
      this.round = round;
      this.partition = partition;
      this.stageId = stageId;
      this.attempt = attempt;
      this.taskAttemptId = taskAttemptId;
      this.conf = conf;
    }

    public void write(AuditBatch batch) {
      writer.write(batch);
    }

    public long rows() {
      return writer.rows();
    }

    /**
     * Closes the file, checks that its footer, read back from the store at the length written,
     * holds every row written, and writes its marker {@code <staging>/tasks/<name>.marker.json}
     * (with the SHA-256 and the length computed while writing; created as {@link NewFiles} creates
     * files). The marker is written while the footer is read back, in another thread, and both are
     * done when this returns or throws: a marker counts only for an attempt whose task succeeded,
     * and the task fails when the check does, so that a marker beside a file that fails its check
     * is the marker of a failed attempt, never committed (as that of an attempt that fails after
     * sealing), and the task waits for one store call less.
     *
     * @return what the driver needs to commit the file
     * @throws AuditLogException if the footer disagrees with what was written
     */
    public StagedFile seal() {
      writer.close();
      Path path = writer.path();
      // the length as written: the footer is read back from the store at that length (a file
      // that is shorter or longer there fails), and the driver checks it again before it commits
      long bytes = writer.bytes();
      StagedFile staged;
      try {
        staged =
            new StagedFile(
                phase,
                epoch,
                round,
                partition,
                stageId,
                attempt,
                taskAttemptId,
                path.getFileSystem(conf).makeQualified(path).toString(),
                writer.rows(),
                bytes,
                writer.batches(),
                writer.sha256());
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot seal staged file " + path + ": " + e.getMessage(), e);
      }
      Future<?> markerWritten = MARKERS.submit(() -> writeMarker(staged));
      long footerRows;
      try {
        footerRows = AuditFileReader.footerRowCount(conf, path, bytes);
      } finally {
        awaitMarker(markerWritten, path); // also when the footer read failed: nothing left running
      }
      if (footerRows != writer.rows()) {
        throw new AuditLogException(
            String.format(
                "Staged file %s has %d rows in its footer but %d were written",
                path, footerRows, writer.rows()));
      }
      return staged;
    }

    private Void writeMarker(StagedFile staged) throws IOException {
      try (OutputStream out = NewFiles.create(conf, marker)) {
        Json.mapper().writeValue(out, staged);
      }
      return null;
    }

    private void awaitMarker(Future<?> written, Path path) {
      boolean interrupted = false;
      try {
        while (true) {
          try {
            written.get();
            return;
          } catch (InterruptedException e) {
            interrupted = true; // Spark interrupts a killed task: wait for the write all the same
          }
        }
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
          throw new UncheckedIOException(
              "Cannot seal staged file " + path + ": " + io.getMessage(), io);
        }
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException("Cannot seal staged file " + path + ": " + cause, cause);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    /** Closes and deletes the file of a failed attempt, as far as possible; never throws. */
    public void abort() {
      Path path = writer.path();
      try {
        writer.close();
      } catch (RuntimeException e) {
        LOG.warn("Closing the staged file {} of a failed attempt failed: {}", path, e.toString());
      }
      try {
        FileSystem fs = path.getFileSystem(conf);
        fs.delete(path, false);
        fs.delete(marker, false);
      } catch (IOException | RuntimeException e) {
        LOG.warn("Cannot delete the staged file {} of a failed attempt: {}", path, e.toString());
      }
    }
  }
}
