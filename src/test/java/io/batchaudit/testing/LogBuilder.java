package io.batchaudit.testing;

import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.OptionalColumns;
import io.batchaudit.store.Phase;
import io.batchaudit.store.RoundStart;
import io.batchaudit.store.parquet.WriterOptions;
import io.batchaudit.store.table.AcceptedAttempt;
import io.batchaudit.store.table.AuditLayout;
import io.batchaudit.store.table.AuditTable;
import io.batchaudit.store.table.CommitProtocol;
import io.batchaudit.store.table.RunInfo;
import io.batchaudit.store.table.StagedFile;
import io.batchaudit.store.table.StagingArea;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes audit logs by hand through the real store code (staging, sealing, committing), without
 * Spark: for tests of the reader and the verifier on logs with known content and known damage.
 */
public final class LogBuilder {
  public static final String RUN_ID = "run-test";
  private final Configuration conf = new Configuration();
  private final AuditTable table;
  private final StagingArea staging;
  private final List<StagedFile> pending = new ArrayList<>();
  private final List<StagedFile> rejected = new ArrayList<>();

  /** A run over iris with batch size 8, 2 workers, averaging frequency 2. */
  public LogBuilder(Path root, int plannedEpochs) {
    this(root, plannedEpochs, OptionalColumns.NONE);
  }

  /** The same run, recording the optional {@code columns}. */
  public LogBuilder(Path root, int plannedEpochs, OptionalColumns columns) {
    this(root, plannedEpochs, columns, CommitProtocol.RENAME);
  }

  /** The same run, committed by {@code protocol}. */
  public LogBuilder(Path root, int plannedEpochs, CommitProtocol protocol) {
    this(root, plannedEpochs, OptionalColumns.NONE, protocol);
  }

  /** The same run, recording the optional {@code columns}, committed by {@code protocol}. */
  public LogBuilder(
      Path root, int plannedEpochs, OptionalColumns columns, CommitProtocol protocol) {
    org.apache.hadoop.fs.Path r = new org.apache.hadoop.fs.Path(root.toString());
    RunInfo info =
        new RunInfo(
            RunInfo.FORMAT_VERSION,
            RUN_ID,
            AuditLayout.defaultStaging(r).toUri().toString(),
            "2026-01-01T00:00:00Z",
            "iris",
            "fingerprint",
            null,
            null,
            plannedEpochs,
            8,
            2,
            2,
            columns,
            Map.of("data", "iris"),
            protocol.label());
    this.table = AuditTable.create(r, conf, info);
    this.staging = new StagingArea(table.layout(), conf, RUN_ID, columns, WriterOptions.DEFAULTS);
  }

  /**
   * Stages and seals one task attempt's file holding {@code batches} (their keys as given); the
   * attempt counts as accepted at the next commit.
   */
  public LogBuilder task(
      int epoch, int round, int partition, long taskAttemptId, AuditBatch... batches) {
    return task(Phase.TRAIN, epoch, round, partition, taskAttemptId, batches);
  }

  /** {@link #task} of a phase (for example validation batches, whose round is 0). */
  public LogBuilder task(
      Phase phase, int epoch, int round, int partition, long taskAttemptId, AuditBatch... batches) {
    pending.add(stage(phase, epoch, round, partition, taskAttemptId, batches));
    return this;
  }

  /** Stages and seals an attempt that Spark did not accept (a speculative or failed copy). */
  public LogBuilder discardedTask(
      int epoch, int round, int partition, long taskAttemptId, AuditBatch... batches) {
    rejected.add(stage(Phase.TRAIN, epoch, round, partition, taskAttemptId, batches));
    return this;
  }

  private StagedFile stage(
      Phase phase, int epoch, int round, int partition, long taskAttemptId, AuditBatch... batches) {
    StagingArea.StagedWriter w = staging.open(phase, epoch, round, partition, 1, 0, taskAttemptId);
    for (AuditBatch b : batches) {
      w.write(b);
    }
    return w.seal();
  }

  /** Commits the accepted staged files as {@code epoch} with {@code rounds} rounds. */
  public LogBuilder commit(int epoch, int rounds) {
    double[] scores = new double[rounds];
    java.util.Arrays.fill(scores, 0.5);
    return commit(Phase.TRAIN, epoch, scores);
  }

  /**
   * Commits the accepted staged files of {@code phase} as {@code epoch}, with one round per score
   * (the averaged score the manifest records for it).
   */
  public LogBuilder commit(Phase phase, int epoch, double... roundScores) {
    List<RoundStart> starts = new ArrayList<>();
    for (int r = 0; r < roundScores.length; r++) {
      starts.add(new RoundStart(r, "params-" + r, roundScores[r], 2));
    }
    List<AcceptedAttempt> accepted =
        pending.stream()
            .filter(s -> s.phase() == phase)
            .map(
                s ->
                    new AcceptedAttempt(
                        s.round(), s.partition(), s.taskAttemptId(), s.batches(), s.rows()))
            .toList();
    table.commitEpoch(phase, epoch, starts, accepted);
    pending.removeIf(s -> s.phase() == phase);
    rejected.removeIf(s -> s.phase() == phase);
    return this;
  }

  public AuditTable table() {
    return table;
  }

  public String location() {
    return table.layout().root().toString();
  }
}
