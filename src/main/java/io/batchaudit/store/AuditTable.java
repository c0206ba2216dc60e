package io.batchaudit.store;

import io.batchaudit.internal.AuditLogException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An audit folder on a Hadoop file system: its run metadata, its committed epochs, and the commit
 * protocol's driver side.
 *
 * <p>Runs on the driver. One writer per folder (the training job); any number of readers.
 *
 * <p>Commit of an epoch ({@link #commitEpoch}): for every (round, partition) the staged file of the
 * attempt Spark accepted is moved into {@code <staging>/commit/phase=<p>/epoch=<e>/}, the manifest
 * is written beside the files, and the whole folder is renamed into the audit folder. That rename
 * is the commit point, for the project's reader and for plain readers alike: before it the epoch
 * does not exist, after it it is complete. A directory rename is atomic on HDFS and local file
 * systems. On object stores (s3a) it is a copy of every object, in no fixed order, then a delete:
 * while it runs, plain readers may see part of the epoch and the project's reader may find the
 * manifest before every file it names (README, "Storage: HDFS and S3"; a protocol that does not
 * depend on renames there is issue 13's).
 *
 * <p>Opening a log ({@link #open}) settles a compaction that a dead driver left between its two
 * renames (see {@link GenerationSwap}), so that every command that opens the log (readers, {@code
 * verify}, {@code vacuum}, {@code compact}, a rerun of {@code train}) finds each committed epoch
 * live in the audit folder, where plain readers see it too. An epoch assembled in staging but never
 * renamed stays uncommitted (the rename is the commit point) until {@code vacuum} removes it.
 */
public final class AuditTable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditTable.class);

  private final FileSystem fs;
  private final AuditLayout layout;
  private final RunInfo runInfo;
  private final List<String> settled;

  private AuditTable(FileSystem fs, AuditLayout layout, RunInfo runInfo, List<String> settled) {
    this.fs = fs;
    this.layout = layout;
    this.runInfo = runInfo;
    this.settled = List.copyOf(settled);
  }

  /**
   * Starts a new audit log in {@code root} and writes its run file; {@code run.staging()} names the
   * staging folder. Fails if {@code root} already holds a run: one folder, one run.
   */
  public static AuditTable create(Path root, Configuration conf, RunInfo run) {
    try {
      FileSystem fs = root.getFileSystem(conf);
      AuditLayout layout = new AuditLayout(fs.makeQualified(root), new Path(run.staging()));
      if (fs.exists(layout.runInfo())) {
        throw new IllegalArgumentException(
            "Audit folder "
                + layout.root()
                + " already holds a run ("
                + layout.runInfo()
                + "): choose another output folder or remove it");
      }
      fs.mkdirs(layout.metaDir());
      fs.mkdirs(layout.tasksDir());
      writeJsonAtomically(fs, layout.runInfo(), run);
      return new AuditTable(fs, layout, run, List.of());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create audit folder " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code root} holds an audit log (its run file), without opening it: nothing is settled
   * or read.
   */
  public static boolean exists(Path root, Configuration conf) {
    try {
      FileSystem fs = root.getFileSystem(conf);
      Path qualified = fs.makeQualified(root);
      return fs.exists(new AuditLayout(qualified, qualified).runInfo());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot look into " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens an existing audit folder; the error says what is missing when it is not one. Settles an
   * interrupted compaction first (a rename in the audit folder; when that is not allowed, the
   * reader finds the epoch in {@code retired/} instead).
   */
  public static AuditTable open(Path root, Configuration conf) {
    try {
      FileSystem fs = root.getFileSystem(conf);
      Path qualified = fs.makeQualified(root);
      Path runFile = new AuditLayout(qualified, qualified).runInfo();
      if (!fs.exists(qualified)) {
        throw new IllegalArgumentException("Audit folder " + qualified + " does not exist");
      }
      if (!fs.exists(runFile)) {
        throw new IllegalArgumentException(
            "No audit log in "
                + qualified
                + ": "
                + runFile
                + " is missing. Pass the audit folder itself (the job writes it to <out>/audit)");
      }
      RunInfo run = readJson(fs, runFile, RunInfo.class);
      AuditLayout layout = new AuditLayout(qualified, new Path(run.staging()));
      return new AuditTable(fs, layout, run, GenerationSwap.settle(fs, layout));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open audit folder " + root + ": " + e.getMessage(), e);
    }
  }

  public AuditLayout layout() {
    return layout;
  }

  public FileSystem fileSystem() {
    return fs;
  }

  public RunInfo runInfo() {
    return runInfo;
  }

  /** What opening this log settled: one line per interrupted compaction finished (see open). */
  public List<String> settled() {
    return settled;
  }

  /**
   * Records that the run ended, atomically (a temporary file renamed into place: the table holds
   * the whole run end or none). The job calls it once, after the run's last commit and compaction;
   * from then on {@link #state} is {@link RunState.Finished}.
   *
   * @throws IllegalArgumentException if {@code end} names another run
   * @throws IllegalStateException if the run's end is recorded already
   */
  public void finish(RunEnd end) {
    RunEndFile.write(fs, layout, runInfo, end);
  }

  /**
   * Whether the run finished, read from the table now (not when it was opened: a run may end after
   * a reader opened it). A log written before tables recorded their end is finished when the
   * summary beside it names this run (see {@link RunState.Finished#recordedIn}).
   */
  public RunState state() {
    return RunEndFile.read(fs, layout, runInfo);
  }

  /**
   * The committed epochs, in (epoch, phase) order: the epoch folders with a manifest, and, for an
   * epoch whose folder is missing because compaction is swapping it this instant, its newest
   * retired generation (so a reader never sees an epoch vanish). The epoch folders are listed
   * before the retired ones: a swap between the two listings moves an epoch from the first listing
   * (already read) to the second, never out of both.
   */
  public List<EpochCommit> commits() {
    List<EpochCommit> commits = new ArrayList<>();
    try {
      Set<List<Object>> live = new HashSet<>();
      for (Phase phase : Phase.values()) {
        Path dir = layout.phaseDir(phase);
        if (!fs.exists(dir)) {
          continue;
        }
        for (FileStatus st : fs.listStatus(dir)) {
          String name = st.getPath().getName();
          if (!st.isDirectory() || !name.startsWith("epoch=")) {
            continue;
          }
          EpochCommit c;
          try {
            c = readJson(fs, new Path(st.getPath(), AuditLayout.MANIFEST), EpochCommit.class);
          } catch (FileNotFoundException e) {
            continue; // no manifest: not committed (or its folder was renamed this instant)
          }
          commits.add(c);
          live.add(List.of(c.phase(), c.epoch()));
        }
      }
      CommitProbes.reached(CommitStep.EPOCHS_LISTED, null, -1);
      for (Map.Entry<List<Object>, GenerationSwap.Retired> r :
          GenerationSwap.newestRetired(fs, layout).entrySet()) {
        if (!live.contains(r.getKey())) {
          commits.add(r.getValue().commit());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot list the epochs of " + layout.root() + ": " + e.getMessage(), e);
    }
    commits.sort(Comparator.comparingInt(EpochCommit::epoch).thenComparing(EpochCommit::phase));
    return commits;
  }

  /**
   * Where a committed file is now: in the audit folder, or, once compaction replaced its
   * generation, in that generation's retired folder (kept for the grace period, so that a reader
   * that listed the old generation can finish).
   */
  public Path locate(EpochCommit commit, CommittedFile file) {
    Path inTable = layout.resolve(file.path());
    try {
      if (fs.exists(inTable)) {
        return inTable;
      }
      Path retired =
          new Path(
              layout.retiredDir(commit.phase(), commit.epoch(), commit.generation()),
              inTable.getName());
      return fs.exists(retired) ? retired : inTable;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot locate " + inTable + ": " + e.getMessage(), e);
    }
  }

  /** The markers of sealed staged files of one epoch, read from staging. */
  private List<StagedFile> sealedFiles(Phase phase, int epoch) {
    String prefix = AuditLayout.epochPrefix(phase, epoch);
    List<StagedFile> sealed = new ArrayList<>();
    try {
      if (!fs.exists(layout.tasksDir())) {
        return sealed;
      }
      for (FileStatus st : fs.listStatus(layout.tasksDir())) {
        String name = st.getPath().getName();
        if (name.startsWith(prefix) && name.endsWith(AuditLayout.MARKER_SUFFIX)) {
          sealed.add(readJson(fs, st.getPath(), StagedFile.class));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot list staging " + layout.tasksDir() + ": " + e.getMessage(), e);
    }
    return sealed;
  }

  /**
   * Commits one epoch: exactly the staged files of the accepted attempts, one per (round,
   * partition), with the manifest, by one directory rename.
   *
   * @param rounds provenance of every round of the epoch, in order
   * @param accepted the attempts Spark accepted, one per (round, partition) that ran a task
   * @return the manifest
   * @throws AuditLogException if an accepted attempt that trained batches left no sealed file, or
   *     its file differs from its marker
   */
  public EpochCommit commitEpoch(
      Phase phase, int epoch, List<RoundStart> rounds, List<AcceptedAttempt> accepted) {
    Path target = layout.epochDir(phase, epoch);
    try {
      if (fs.exists(target)) {
        throw new IllegalStateException(
            "Epoch " + epoch + " (" + phase.label() + ") is already committed: " + target);
      }
      List<StagedFile> selected = select(phase, epoch, accepted);
      Path assembly = layout.commitDir(phase, epoch);
      if (fs.exists(assembly)) {
        fs.delete(assembly, true); // left over by a driver that died while committing
      }
      fs.mkdirs(assembly);
      List<CommittedFile> files = new ArrayList<>(selected.size());
      long rows = 0;
      for (StagedFile s : selected) {
        Path staged = new Path(s.path());
        String name = AuditLayout.dataFileName(s.round(), s.partition(), s.taskAttemptId());
        rename(staged, new Path(assembly, name));
        if (files.isEmpty()) {
          CommitProbes.reached(CommitStep.EPOCH_FILE_MOVED, phase, epoch);
        }
        files.add(
            new CommittedFile(
                AuditLayout.dataFile(phase, epoch, s.round(), s.partition(), s.taskAttemptId()),
                s.round(),
                s.round(),
                s.partition(),
                s.attempt(),
                s.taskAttemptId(),
                s.rows(),
                s.bytes(),
                s.batches(),
                s.sha256()));
        rows += s.rows();
      }
      EpochCommit commit =
          new EpochCommit(
              EpochCommit.FORMAT_VERSION,
              runInfo.runId(),
              phase,
              epoch,
              rows,
              Instant.now().toString(),
              0,
              false,
              rounds,
              files);
      try (OutputStream out =
          NewFiles.create(fs.getConf(), new Path(assembly, AuditLayout.MANIFEST))) {
        Json.mapper().writeValue(out, commit);
      }
      CommitProbes.reached(CommitStep.EPOCH_ASSEMBLED, phase, epoch);
      fs.mkdirs(layout.phaseDir(phase));
      if (fs.exists(target)) {
        throw new IllegalStateException("Epoch folder " + target + " appeared during the commit");
      }
      rename(assembly, target); // the commit point
      CommitProbes.reached(CommitStep.EPOCH_PUBLISHED, phase, epoch);
      deleteStaged(phase, epoch);
      return commit;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot commit epoch " + epoch + " to " + layout.root() + ": " + e.getMessage(), e);
    }
  }

  /** The sealed file of every accepted attempt that trained batches, checked, in key order. */
  private List<StagedFile> select(Phase phase, int epoch, List<AcceptedAttempt> accepted)
      throws IOException {
    Map<Long, StagedFile> byTask = new HashMap<>();
    for (StagedFile s : sealedFiles(phase, epoch)) {
      byTask.put(s.taskAttemptId(), s);
    }
    Set<List<Integer>> seen = new HashSet<>();
    List<StagedFile> selected = new ArrayList<>();
    for (AcceptedAttempt a : accepted) {
      if (!seen.add(List.of(a.round(), a.partition()))) {
        throw new IllegalStateException(
            String.format(
                "Two accepted attempts for %s epoch %d, round %d, partition %d",
                phase.label(), epoch, a.round(), a.partition()));
      }
      if (a.batches() == 0) {
        continue;
      }
      StagedFile s = byTask.get(a.taskAttemptId());
      String where =
          String.format(
              "%s epoch %d, round %d, partition %d (task attempt %d, %d batches)",
              phase.label(), epoch, a.round(), a.partition(), a.taskAttemptId(), a.batches());
      if (s == null) {
        throw new AuditLogException(
            "The accepted attempt of "
                + where
                + " left no sealed file in "
                + layout.tasksDir()
                + ": the epoch is not committed");
      }
      if (s.round() != a.round() || s.partition() != a.partition() || s.batches() != a.batches()) {
        throw new AuditLogException(
            String.format(
                "The marker of %s says round %d, partition %d, %d batches: the epoch is not committed",
                where, s.round(), s.partition(), s.batches()));
      }
      long length = fs.getFileStatus(new Path(s.path())).getLen();
      if (length != s.bytes()) {
        throw new AuditLogException(
            String.format(
                "Staged file %s has %d bytes, its marker says %d: it was changed after the task sealed"
                    + " it; the epoch is not committed",
                s.path(), length, s.bytes()));
      }
      selected.add(s);
    }
    selected.sort(
        Comparator.comparingInt(StagedFile::round).thenComparingInt(StagedFile::partition));
    return selected;
  }

  /** Deletes what is left of a committed epoch in staging: discarded attempts and markers. */
  private void deleteStaged(Phase phase, int epoch) throws IOException {
    String prefix = AuditLayout.epochPrefix(phase, epoch);
    for (FileStatus st : fs.listStatus(layout.tasksDir())) {
      String name = st.getPath().getName();
      if (name.startsWith(prefix)) {
        if (name.endsWith(AuditLayout.STAGED_SUFFIX)) {
          LOG.info("Deleting the staged output of a discarded attempt: {}", st.getPath());
        }
        fs.delete(st.getPath(), false);
      }
    }
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " returned false");
    }
  }

  /** Writes {@code value} as JSON to a temporary file and renames it to {@code target}. */
  static void writeJsonAtomically(FileSystem fs, Path target, Object value) throws IOException {
    if (fs.exists(target)) {
      throw new IOException("Refusing to overwrite " + target);
    }
    Path tmp =
        new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    try (OutputStream out = NewFiles.create(fs.getConf(), tmp)) {
      Json.mapper().writeValue(out, value);
    }
    if (!fs.rename(tmp, target)) {
      fs.delete(tmp, false);
      throw new IOException("Cannot rename " + tmp + " to " + target + " (does it exist already?)");
    }
  }

  static <T> T readJson(FileSystem fs, Path path, Class<T> type) throws IOException {
    try (InputStream in = fs.open(path)) {
      return Json.mapper().readValue(in, type);
    } catch (FileNotFoundException e) {
      throw e;
    } catch (IOException e) {
      throw new AuditLogException("Cannot parse " + path + ": " + e.getMessage(), e);
    }
  }
}
