package io.batchaudit.store.table;

import io.batchaudit.internal.AuditLogException;
import io.batchaudit.store.CommittedFile;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.Json;
import io.batchaudit.store.Phase;
import io.batchaudit.store.RoundStart;
import io.batchaudit.store.hadoop.NewFiles;
import io.batchaudit.store.parquet.EpochReader;
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
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.functional.FutureIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An audit folder on a Hadoop file system: its run metadata, its committed epochs, and the commit
 * protocol's driver side, in either form of {@link CommitProtocol} (the contract: what runs where,
 * what retries may do, what a reader sees when).
 *
 * <p>Runs on the driver. One writer per folder (the training job); any number of readers.
 *
 * <p>Commit of an epoch ({@link #commitEpoch}) from the attempts Spark accepted: under {@link
 * CommitProtocol#RENAME} every accepted staged file is moved into {@code
 * <staging>/commit/phase=<p>/epoch=<e>/} (several renames at a time, see {@link StoreCalls}), the
 * manifest is written beside the files, and the whole folder is renamed into the audit folder: that
 * rename is the commit point, for the project's reader and for plain readers alike. Under {@link
 * CommitProtocol#MANIFEST} the accepted files are already in the epoch folder; the manifest written
 * to {@code _batch_audit/commits/} is the commit point, and files of other attempts are deleted
 * after it.
 *
 * <p>Opening a log ({@link #open}) of the rename form settles a compaction that a dead driver left
 * between its two renames (see {@link GenerationSwap}), so that every command that opens the log
 * (readers, {@code verify}, {@code vacuum}, {@code compact}) finds each committed epoch live in the
 * audit folder, where plain readers see it too. An epoch assembled in staging but never renamed, or
 * (manifest form) whose files were written but whose manifest was not, stays uncommitted until
 * {@code vacuum} removes it.
 */
public final class AuditTable implements EpochReader.Table {
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
   * staging folder, {@code run.commitProtocol()} the protocol ({@code null}: detected from the file
   * system, see {@link CommitProtocol#detect}; the run file records the one chosen). Fails if
   * {@code root} already holds a run: one folder, one run.
   */
  public static AuditTable create(Path root, Configuration conf, RunInfo run) {
    try {
      FileSystem fs = root.getFileSystem(conf);
      Path qualified = fs.makeQualified(root);
      RunInfo recorded =
          run.withCommitProtocol(
              run.commitProtocol() == null ? CommitProtocol.detect(fs, qualified) : run.protocol());
      AuditLayout layout = new AuditLayout(qualified, new Path(run.staging()), recorded.protocol());
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
      if (layout.protocol() == CommitProtocol.MANIFEST) {
        fs.mkdirs(layout.commitsDir());
      }
      writeJsonAtomically(fs, layout.runInfo(), recorded);
      return new AuditTable(fs, layout, recorded, List.of());
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
      AuditLayout layout = new AuditLayout(qualified, new Path(run.staging()), run.protocol());
      List<String> settled =
          layout.protocol() == CommitProtocol.RENAME
              ? GenerationSwap.settle(fs, layout)
              : List.of(); // nothing to settle: without its manifest a commit does not exist
      return new AuditTable(fs, layout, run, settled);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open audit folder " + root + ": " + e.getMessage(), e);
    }
  }

  public AuditLayout layout() {
    return layout;
  }

  @Override
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
    if (layout.protocol() == CommitProtocol.MANIFEST) {
      return manifestCommits();
    }
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
   * The committed epochs of the manifest form: for every (phase, epoch), the manifest of its
   * highest generation in {@code _batch_audit/commits/}. Data files are never listed.
   */
  private List<EpochCommit> manifestCommits() {
    List<EpochCommit> commits = new ArrayList<>();
    try {
      for (Map.Entry<List<Object>, TreeMap<Integer, Path>> e : generations().entrySet()) {
        commits.add(readJson(fs, e.getValue().lastEntry().getValue(), EpochCommit.class));
      }
      CommitProbes.reached(CommitStep.EPOCHS_LISTED, null, -1);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read the manifests of " + layout.root() + ": " + e.getMessage(), e);
    }
    commits.sort(Comparator.comparingInt(EpochCommit::epoch).thenComparing(EpochCommit::phase));
    return commits;
  }

  /**
   * Generations that compaction replaced but whose files are still in the audit folder, kept for
   * the grace period ({@link CommitProtocol#MANIFEST} only: under the rename form they wait in
   * staging, out of plain readers' sight, and this is empty). A plain glob of the folder reads
   * their files beside the live generation's.
   */
  public List<EpochCommit> replacedGenerations() {
    if (layout.protocol() != CommitProtocol.MANIFEST) {
      return List.of();
    }
    List<EpochCommit> replaced = new ArrayList<>();
    try {
      for (TreeMap<Integer, Path> gens : generations().values()) {
        for (Path old : gens.headMap(gens.lastKey()).values()) {
          try {
            replaced.add(readJson(fs, old, EpochCommit.class));
          } catch (FileNotFoundException e) {
            // purged since the listing
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read the manifests of " + layout.root() + ": " + e.getMessage(), e);
    }
    return replaced;
  }

  /**
   * Manifest form: the manifests in {@code _batch_audit/commits/} by (phase, epoch), then
   * generation. Other names there (a manifest being written under a temporary name) are skipped.
   */
  Map<List<Object>, TreeMap<Integer, Path>> generations() throws IOException {
    Map<List<Object>, TreeMap<Integer, Path>> byEpoch = new HashMap<>();
    FileStatus[] entries;
    try {
      entries = fs.listStatus(layout.commitsDir());
    } catch (FileNotFoundException e) {
      return byEpoch;
    }
    for (FileStatus st : entries) {
      AuditLayout.ManifestName n = AuditLayout.parseCommitManifest(st.getPath().getName());
      if (n != null) {
        byEpoch
            .computeIfAbsent(List.of(n.phase(), n.epoch()), k -> new TreeMap<>())
            .put(n.generation(), st.getPath());
      }
    }
    return byEpoch;
  }

  /**
   * Where a committed file is now: in the audit folder, or, once compaction replaced its
   * generation, in that generation's retired folder (kept for the grace period, so that a reader
   * that listed the old generation can finish).
   */
  @Override
  public Path locate(EpochCommit commit, CommittedFile file) {
    Path inTable = layout.resolve(file.path());
    if (layout.protocol() == CommitProtocol.MANIFEST) {
      return inTable; // nothing moves: a replaced generation stays in place through its grace
    }
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

  /**
   * What the commit of one epoch chooses from: the markers of its sealed attempts (read from
   * staging, in parallel) and the length of every file that staging ({@link CommitProtocol#RENAME})
   * or the epoch folder ({@link CommitProtocol#MANIFEST}) holds, by its full URI, as one listing of
   * each folder says it: the store is not asked for each file's status.
   */
  private record Candidates(List<StagedFile> sealed, Map<String, Long> lengths) {}

  private Candidates candidates(Phase phase, int epoch) {
    String prefix = AuditLayout.epochPrefix(phase, epoch);
    List<FileStatus> markers = new ArrayList<>();
    Map<String, Long> lengths = new HashMap<>();
    try {
      for (FileStatus st : listOrNone(layout.tasksDir())) {
        String name = st.getPath().getName();
        if (name.startsWith(prefix) && name.endsWith(AuditLayout.MARKER_SUFFIX)) {
          markers.add(st);
        } else if (name.startsWith(prefix)) {
          lengths.put(st.getPath().toString(), st.getLen());
        }
      }
      if (layout.protocol() == CommitProtocol.MANIFEST) {
        for (FileStatus st : listOrNone(layout.epochDir(phase, epoch))) {
          lengths.put(st.getPath().toString(), st.getLen());
        }
      }
      List<StagedFile> sealed = StoreCalls.map(markers, st -> readJson(fs, st, StagedFile.class));
      return new Candidates(sealed, lengths);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot list staging " + layout.tasksDir() + ": " + e.getMessage(), e);
    }
  }

  /** The entries of {@code dir}; none when it does not exist (one call, not two). */
  private FileStatus[] listOrNone(Path dir) throws IOException {
    try {
      return fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      return new FileStatus[0];
    }
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
    if (layout.protocol() == CommitProtocol.MANIFEST) {
      return commitByManifest(phase, epoch, rounds, accepted);
    }
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
      if (!selected.isEmpty()) {
        moveInto(assembly, selected.get(0));
        CommitProbes.reached(CommitStep.EPOCH_FILE_MOVED, phase, epoch);
        // one call to the store per file (a NameNode RPC on HDFS), independent of each other and
        // all before the commit point: side by side, not one after the other (100,000 task files
        // took HDFS over 12 minutes one at a time)
        StoreCalls.map(
            selected.subList(1, selected.size()),
            s -> {
              moveInto(assembly, s);
              return null;
            });
      }
      for (StagedFile s : selected) {
        files.add(committedFile(s));
      }
      EpochCommit commit = firstGeneration(phase, epoch, rounds, files);
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

  /**
   * The manifest form of {@link #commitEpoch}: the accepted files are where their attempts wrote
   * them; the manifest, written last (a temporary name, then one file rename: visible whole or not
   * at all), is the commit point. Afterwards the epoch folder's other attempt files (attempts Spark
   * did not accept, partial files of killed executors) and the epoch's markers are deleted.
   */
  private EpochCommit commitByManifest(
      Phase phase, int epoch, List<RoundStart> rounds, List<AcceptedAttempt> accepted) {
    Path manifest = layout.commitManifest(phase, epoch, 0);
    try {
      if (fs.exists(manifest)) {
        throw new IllegalStateException(
            "Epoch " + epoch + " (" + phase.label() + ") is already committed: " + manifest);
      }
      List<StagedFile> selected = select(phase, epoch, accepted);
      List<CommittedFile> files = new ArrayList<>(selected.size());
      for (StagedFile s : selected) {
        String relative =
            AuditLayout.dataFile(phase, epoch, s.round(), s.partition(), s.taskAttemptId());
        Path expected = fs.makeQualified(layout.resolve(relative));
        if (!expected.equals(fs.makeQualified(new Path(s.path())))) {
          throw new AuditLogException(
              "The marker of task attempt "
                  + s.taskAttemptId()
                  + " names "
                  + s.path()
                  + ", not "
                  + expected
                  + ": the epoch is not committed");
        }
        files.add(committedFile(s));
      }
      CommitProbes.reached(CommitStep.EPOCH_FILE_MOVED, phase, epoch);
      EpochCommit commit = firstGeneration(phase, epoch, rounds, files);
      CommitProbes.reached(CommitStep.EPOCH_ASSEMBLED, phase, epoch);
      writeJsonAtomically(fs, manifest, commit); // the commit point
      CommitProbes.reached(CommitStep.EPOCH_PUBLISHED, phase, epoch);
      deleteUnnamed(phase, epoch, commit);
      deleteStaged(phase, epoch);
      return commit;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot commit epoch " + epoch + " to " + layout.root() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Manifest form, after the commit point: deletes the attempt files ({@code part-r...}) in the
   * epoch folder that {@code commit} does not name. An attempt still running (a speculative copy
   * Spark has not killed yet) may write one after this; it is named by no manifest and {@code
   * vacuum} removes it.
   */
  private void deleteUnnamed(Phase phase, int epoch, EpochCommit commit) throws IOException {
    Set<String> named = new HashSet<>();
    for (CommittedFile f : commit.files()) {
      named.add(new Path(f.path()).getName());
    }
    FileStatus[] entries;
    try {
      entries = fs.listStatus(layout.epochDir(phase, epoch));
    } catch (FileNotFoundException e) {
      return;
    }
    List<Path> delete = new ArrayList<>();
    for (FileStatus st : entries) {
      String name = st.getPath().getName();
      if (name.startsWith("part-r") && !named.contains(name)) {
        LOG.info("Deleting the output of an attempt that was not accepted: {}", st.getPath());
        delete.add(st.getPath());
      }
    }
    StoreCalls.map(delete, p -> fs.delete(p, false));
  }

  /** The manifest entry of an accepted attempt's file, where both forms commit it. */
  private static CommittedFile committedFile(StagedFile s) {
    return new CommittedFile(
        AuditLayout.dataFile(s.phase(), s.epoch(), s.round(), s.partition(), s.taskAttemptId()),
        s.round(),
        s.round(),
        s.partition(),
        s.attempt(),
        s.taskAttemptId(),
        s.rows(),
        s.bytes(),
        s.batches(),
        s.sha256());
  }

  /** The manifest of an epoch as training commits it: generation 0, one file per task. */
  private EpochCommit firstGeneration(
      Phase phase, int epoch, List<RoundStart> rounds, List<CommittedFile> files) {
    return new EpochCommit(
        EpochCommit.FORMAT_VERSION,
        runInfo.runId(),
        phase,
        epoch,
        files.stream().mapToLong(CommittedFile::rows).sum(),
        Instant.now().toString(),
        0,
        false,
        rounds,
        files);
  }

  /** The sealed file of every accepted attempt that trained batches, checked, in key order. */
  private List<StagedFile> select(Phase phase, int epoch, List<AcceptedAttempt> accepted)
      throws IOException {
    Map<Long, StagedFile> byTask = new HashMap<>();
    Candidates candidates = candidates(phase, epoch);
    for (StagedFile s : candidates.sealed()) {
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
      Long listed = candidates.lengths().get(s.path());
      long length = listed != null ? listed : fs.getFileStatus(new Path(s.path())).getLen();
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
    List<Path> delete = new ArrayList<>();
    for (FileStatus st : fs.listStatus(layout.tasksDir())) {
      String name = st.getPath().getName();
      if (name.startsWith(prefix)) {
        if (name.endsWith(AuditLayout.STAGED_SUFFIX)) {
          LOG.info("Deleting the staged output of a discarded attempt: {}", st.getPath());
        }
        delete.add(st.getPath());
      }
    }
    StoreCalls.map(delete, p -> fs.delete(p, false));
  }

  /** Moves an accepted attempt's staged file into the epoch being assembled. */
  private void moveInto(Path assembly, StagedFile s) throws IOException {
    String name = AuditLayout.dataFileName(s.round(), s.partition(), s.taskAttemptId());
    rename(new Path(s.path()), new Path(assembly, name));
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

  /**
   * {@link #readJson(FileSystem, Path, Class)} of a file a listing returned: opened with its
   * status, so that a store that would ask for it first (S3A's HEAD) does not.
   */
  static <T> T readJson(FileSystem fs, FileStatus status, Class<T> type) throws IOException {
    try (InputStream in =
        FutureIO.awaitFuture(fs.openFile(status.getPath()).withFileStatus(status).build())) {
      return Json.mapper().readValue(in, type);
    } catch (FileNotFoundException e) {
      throw e;
    } catch (IOException e) {
      throw new AuditLogException("Cannot parse " + status.getPath() + ": " + e.getMessage(), e);
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
