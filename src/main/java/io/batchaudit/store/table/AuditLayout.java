package io.batchaudit.store.table;

import io.batchaudit.store.Phase;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * Where everything of one audit log lives. The audit folder is the table that plain readers (Spark,
 * DuckDB, pyarrow) read; the staging folder is outside it:
 *
 * <pre>
 * out/audit/                                     the audit folder (the table)
 *   _batch_audit/run.json                        the run, written before training
 *   _batch_audit/run-end.json                    how the run ended, written after its last commit
 *   phase=train/epoch=0/part-r000000-p00000-t17.parquet
 *   phase=train/epoch=0/_manifest.json           present exactly when the epoch is committed
 * out/audit-staging/                             staging (its place is recorded in run.json)
 *   tasks/train-e00000-r000000-p00000-t17-a0.parquet.staged   one file per task attempt
 *   tasks/train-e00000-r000000-p00000-t17-a0.marker.json      written when the attempt succeeded
 *   commit/phase=train/epoch=0/                  an epoch being assembled for its commit
 *   compact/phase=train/epoch=0/                 the next generation of an epoch, being compacted
 *   retired/train-e00000-g0/                     a replaced generation, kept for a grace period
 * </pre>
 *
 * <p>That is the layout of {@link CommitProtocol#RENAME}: an epoch is committed by one directory
 * rename of {@code commit/phase=<p>/epoch=<e>} (data files and manifest together) into the audit
 * folder, so that plain readers and the project's reader switch from "not there" to "complete" at
 * the same instant. Spark and pyarrow skip names that start with {@code _}; a {@code **}/{@code
 * *.parquet} glob (DuckDB) does not match JSON.
 *
 * <p>Under {@link CommitProtocol#MANIFEST} (stores where a rename is a copy) nothing is renamed:
 *
 * <pre>
 * out/audit/
 *   _batch_audit/commits/train-e00000-g0.json    the manifest of generation 0 of train epoch 0:
 *                                                the epoch is committed exactly when it exists
 *   phase=train/epoch=0/part-r000000-p00000-t17.parquet   written there by the task attempt
 *   phase=train/epoch=0/part-g1-00000.parquet    a compacted generation, committed by its manifest
 * out/audit-staging/tasks/...marker.json         the markers, as above
 * </pre>
 */
public final class AuditLayout {
  static final String META_DIR = "_batch_audit";
  static final String MANIFEST = "_manifest.json";
  static final String STAGED_SUFFIX = ".parquet.staged";
  static final String MARKER_SUFFIX = ".marker.json";
  private static final Pattern COMMIT_MANIFEST =
      Pattern.compile("(train|validation)-e(\\d{5,})-g(\\d+)\\.json");

  private final Path root;
  private final Path staging;
  private final CommitProtocol protocol;

  /** The layout of a log committed by {@code protocol}. */
  public AuditLayout(Path root, Path staging, CommitProtocol protocol) {
    this.root = root;
    this.staging = staging;
    this.protocol = protocol;
  }

  /** Only for finding the run file, before the log's protocol is known. */
  AuditLayout(Path root, Path staging) {
    this(root, staging, CommitProtocol.RENAME);
  }

  public CommitProtocol protocol() {
    return protocol;
  }

  /** The staging folder a new log in {@code root} uses: the sibling {@code <name>-staging}. */
  public static Path defaultStaging(Path root) {
    return new Path(root.getParent(), root.getName() + "-staging");
  }

  public Path root() {
    return root;
  }

  public Path staging() {
    return staging;
  }

  public Path metaDir() {
    return new Path(root, META_DIR);
  }

  public Path runInfo() {
    return new Path(metaDir(), "run.json");
  }

  /** The run end, written when the run finished (see {@link RunState}). */
  public Path runEnd() {
    return new Path(metaDir(), "run-end.json");
  }

  public Path phaseDir(Phase phase) {
    return new Path(root, "phase=" + phase.label());
  }

  public Path epochDir(Phase phase, int epoch) {
    return new Path(phaseDir(phase), "epoch=" + epoch);
  }

  public Path manifest(Phase phase, int epoch) {
    return new Path(epochDir(phase, epoch), MANIFEST);
  }

  public Path tasksDir() {
    return new Path(staging, "tasks");
  }

  /** Where epochs are assembled for their commit: {@code commit/phase=<p>/epoch=<e>}. */
  public Path commitRoot() {
    return new Path(staging, "commit");
  }

  /** Where an epoch is assembled before the rename that commits it. */
  public Path commitDir(Phase phase, int epoch) {
    return new Path(new Path(commitRoot(), "phase=" + phase.label()), "epoch=" + epoch);
  }

  /** Where compaction writes next generations: {@code compact/phase=<p>/epoch=<e>}. */
  public Path compactRoot() {
    return new Path(staging, "compact");
  }

  /** Where compaction writes the next generation of an epoch. */
  public Path compactDir(Phase phase, int epoch) {
    return new Path(new Path(compactRoot(), "phase=" + phase.label()), "epoch=" + epoch);
  }

  public Path retiredRoot() {
    return new Path(staging, "retired");
  }

  /** Where a generation replaced by compaction waits until its grace period is over. */
  public Path retiredDir(Phase phase, int epoch, int generation) {
    return new Path(retiredRoot(), String.format("%s-e%05d-g%d", phase.label(), epoch, generation));
  }

  /** Prefix of the staged files and markers of one epoch. */
  static String epochPrefix(Phase phase, int epoch) {
    return String.format("%s-e%05d-", phase.label(), epoch);
  }

  /** Where the manifests of {@link CommitProtocol#MANIFEST} live, one file per generation. */
  public Path commitsDir() {
    return new Path(metaDir(), "commits");
  }

  /** The manifest of one generation of an epoch under {@link CommitProtocol#MANIFEST}. */
  public Path commitManifest(Phase phase, int epoch, int generation) {
    return new Path(
        commitsDir(), String.format("%s-e%05d-g%d.json", phase.label(), epoch, generation));
  }

  /**
   * The (phase, epoch, generation) a name in {@link #commitsDir()} stands for, or {@code null} for
   * any other name (a temporary file being written, say).
   */
  static ManifestName parseCommitManifest(String name) {
    Matcher m = COMMIT_MANIFEST.matcher(name);
    if (!m.matches()) {
      return null;
    }
    return new ManifestName(
        Phase.fromLabel(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
  }

  /** What the name of a manifest in {@link #commitsDir()} says. */
  record ManifestName(Phase phase, int epoch, int generation) {}

  /**
   * The file a task attempt writes: in staging under {@link CommitProtocol#RENAME} ({@link
   * #stagedFile}), in its final place in the epoch folder under {@link CommitProtocol#MANIFEST}.
   * Unique per attempt because of the task attempt id.
   */
  public Path attemptFile(
      Phase phase, int epoch, int round, int partition, long taskAttemptId, int attempt) {
    return protocol == CommitProtocol.MANIFEST
        ? new Path(epochDir(phase, epoch), dataFileName(round, partition, taskAttemptId))
        : stagedFile(phase, epoch, round, partition, taskAttemptId, attempt);
  }

  /** The marker of one task attempt's sealed file, in staging under either protocol. */
  public Path marker(
      Phase phase, int epoch, int round, int partition, long taskAttemptId, int attempt) {
    return markerOf(stagedFile(phase, epoch, round, partition, taskAttemptId, attempt));
  }

  /** The staged file of one task attempt; unique per attempt because of the task attempt id. */
  public Path stagedFile(
      Phase phase, int epoch, int round, int partition, long taskAttemptId, int attempt) {
    return new Path(
        tasksDir(),
        String.format(
            "%sr%06d-p%05d-t%d-a%d%s",
            epochPrefix(phase, epoch), round, partition, taskAttemptId, attempt, STAGED_SUFFIX));
  }

  /** The marker a sealed staged file gets beside it. */
  public static Path markerOf(Path staged) {
    String name = staged.getName();
    String base =
        name.endsWith(STAGED_SUFFIX)
            ? name.substring(0, name.length() - STAGED_SUFFIX.length())
            : name;
    return new Path(staged.getParent(), base + MARKER_SUFFIX);
  }

  /** Name of a committed data file. */
  public static String dataFileName(int round, int partition, long taskAttemptId) {
    return String.format("part-r%06d-p%05d-t%d.parquet", round, partition, taskAttemptId);
  }

  /** Path of a committed data file relative to {@link #root()}. */
  public static String dataFile(
      Phase phase, int epoch, int round, int partition, long taskAttemptId) {
    return "phase="
        + phase.label()
        + "/epoch="
        + epoch
        + "/"
        + dataFileName(round, partition, taskAttemptId);
  }

  /** Resolves a path relative to {@link #root()}. */
  public Path resolve(String relative) {
    return new Path(root, relative);
  }
}
