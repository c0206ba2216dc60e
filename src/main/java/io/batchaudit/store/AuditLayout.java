package io.batchaudit.store;

import org.apache.hadoop.fs.Path;

/**
 * Where everything of one audit log lives, below its folder (the "audit folder"):
 *
 * <pre>
 * audit/
 *   phase=train/epoch=0/part-r000000-p00000-t17.parquet   committed data (the table)
 *   _batch_audit/run.json                                  the run (written before training)
 *   _batch_audit/commits/train-epoch-00000.json            one manifest per committed epoch
 *   _staging/train-e00000-r000000-p00000-t17-a0.parquet.staged   task output, not yet committed
 * </pre>
 *
 * <p>Plain readers see only the table: Spark and pyarrow skip folders that start with {@code _},
 * and a {@code **}/{@code *.parquet} glob (DuckDB) does not match {@code .staged} files or JSON.
 */
public final class AuditLayout {
  static final String META_DIR = "_batch_audit";
  static final String STAGING_DIR = "_staging";
  static final String STAGED_SUFFIX = ".parquet.staged";

  private final Path root;

  public AuditLayout(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public Path metaDir() {
    return new Path(root, META_DIR);
  }

  public Path runInfo() {
    return new Path(metaDir(), "run.json");
  }

  public Path commitsDir() {
    return new Path(metaDir(), "commits");
  }

  public Path commit(Phase phase, int epoch) {
    return new Path(commitsDir(), String.format("%s-epoch-%05d.json", phase.label(), epoch));
  }

  public Path stagingDir() {
    return new Path(root, STAGING_DIR);
  }

  /** The staged file of one task attempt; unique per attempt because of the task attempt id. */
  public Path stagedFile(
      Phase phase, int epoch, int round, int partition, long taskAttemptId, int attempt) {
    return new Path(
        stagingDir(),
        String.format(
            "%s-e%05d-r%06d-p%05d-t%d-a%d%s",
            phase.label(), epoch, round, partition, taskAttemptId, attempt, STAGED_SUFFIX));
  }

  /** The marker a sealed staged file gets beside it: {@code <name>.marker.json}. */
  public static Path markerOf(Path staged) {
    String name = staged.getName();
    String base =
        name.endsWith(STAGED_SUFFIX) ? name.substring(0, name.length() - STAGED_SUFFIX.length()) : name;
    return new Path(staged.getParent(), base + ".marker.json");
  }

  /** Path of a committed data file relative to {@link #root()}. */
  public static String dataFile(Phase phase, int epoch, int round, int partition, long taskAttemptId) {
    return String.format(
        "phase=%s/epoch=%d/part-r%06d-p%05d-t%d.parquet",
        phase.label(), epoch, round, partition, taskAttemptId);
  }

  /** Resolves a path relative to {@link #root()}. */
  public Path resolve(String relative) {
    return new Path(root, relative);
  }
}
