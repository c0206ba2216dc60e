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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An audit folder on a Hadoop file system: its run metadata, its epoch manifests and the commit of
 * staged task files into the table.
 *
 * <p>Runs on the driver. One writer per folder (the training job); any number of readers. An epoch
 * is committed by renaming its accepted staged files into {@code phase=<p>/epoch=<e>/} and then
 * writing its manifest with write-to-temporary-and-rename; the manifest is the commit point. The
 * project's reader trusts only manifests; plain readers globbing the folder see an epoch's files
 * from the moment they are renamed, which is a window of one rename per file.
 */
public final class AuditTable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditTable.class);

  private final FileSystem fs;
  private final AuditLayout layout;
  private final RunInfo runInfo;

  private AuditTable(FileSystem fs, AuditLayout layout, RunInfo runInfo) {
    this.fs = fs;
    this.layout = layout;
    this.runInfo = runInfo;
  }

  /**
   * Starts a new audit log in {@code root} and writes its run file. Fails if {@code root} already
   * holds a run file: one folder, one run.
   */
  public static AuditTable create(Path root, Configuration conf, RunInfo run) {
    try {
      FileSystem fs = root.getFileSystem(conf);
      Path qualified = fs.makeQualified(root);
      AuditLayout layout = new AuditLayout(qualified);
      if (fs.exists(layout.runInfo())) {
        throw new IllegalArgumentException(
            "Audit folder "
                + qualified
                + " already holds a run ("
                + layout.runInfo()
                + "): choose another output folder or remove it");
      }
      fs.mkdirs(layout.commitsDir());
      fs.mkdirs(layout.stagingDir());
      writeJsonAtomically(fs, layout.runInfo(), run);
      return new AuditTable(fs, layout, run);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create audit folder " + root + ": " + e.getMessage(), e);
    }
  }

  /** Opens an existing audit folder; the error says what is missing when it is not one. */
  public static AuditTable open(Path root, Configuration conf) {
    try {
      FileSystem fs = root.getFileSystem(conf);
      Path qualified = fs.makeQualified(root);
      AuditLayout layout = new AuditLayout(qualified);
      if (!fs.exists(qualified)) {
        throw new IllegalArgumentException("Audit folder " + qualified + " does not exist");
      }
      if (!fs.exists(layout.runInfo())) {
        throw new IllegalArgumentException(
            "No audit log in "
                + qualified
                + ": "
                + layout.runInfo()
                + " is missing. Pass the audit folder itself (the job writes it to <out>/audit)");
      }
      RunInfo run = readJson(fs, layout.runInfo(), RunInfo.class);
      return new AuditTable(fs, layout, run);
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

  /** The committed epochs, in (epoch, phase) order. */
  public List<EpochCommit> commits() {
    try {
      if (!fs.exists(layout.commitsDir())) {
        return List.of();
      }
      List<EpochCommit> commits = new ArrayList<>();
      for (FileStatus st : fs.listStatus(layout.commitsDir())) {
        String name = st.getPath().getName();
        if (name.endsWith(".json") && !name.startsWith(".")) {
          commits.add(readJson(fs, st.getPath(), EpochCommit.class));
        }
      }
      commits.sort(Comparator.comparingInt(EpochCommit::epoch).thenComparing(EpochCommit::phase));
      return commits;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot list manifests in " + layout.commitsDir() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Keeps exactly one staged file per (round, partition): the one reported by the attempt Spark
   * accepted. Spark reports at most one accepted attempt per partition of a result stage; should
   * two arrive for the same (round, partition), the lower task attempt id wins, deterministically.
   * The result is in (round, partition) order.
   */
  public static List<StagedFile> selectOnePerRoundPartition(List<StagedFile> reported) {
    Map<List<Integer>, StagedFile> chosen = new LinkedHashMap<>();
    reported.stream()
        .sorted(
            Comparator.comparingInt(StagedFile::round)
                .thenComparingInt(StagedFile::partition)
                .thenComparingLong(StagedFile::taskAttemptId))
        .forEach(f -> chosen.putIfAbsent(List.of(f.round(), f.partition()), f));
    return List.copyOf(chosen.values());
  }

  /**
   * Commits one epoch: moves the selected staged files into the table, writes the manifest, and
   * deletes this epoch's other staged files (attempts that Spark discarded).
   *
   * @param accepted the staged files reported by accepted attempts; see {@link
   *     #selectOnePerRoundPartition}
   * @param rounds the number of averaging rounds the epoch ran
   * @return the written manifest
   */
  public EpochCommit commitEpoch(Phase phase, int epoch, int rounds, List<StagedFile> accepted) {
    Path manifest = layout.commit(phase, epoch);
    try {
      if (fs.exists(manifest)) {
        throw new IllegalStateException(
            "Epoch " + epoch + " (" + phase.label() + ") is already committed: " + manifest);
      }
      List<StagedFile> selected = selectOnePerRoundPartition(accepted);
      List<CommittedFile> files = new ArrayList<>(selected.size());
      long rows = 0;
      for (StagedFile s : selected) {
        Path staged = new Path(s.path());
        FileStatus st = fs.getFileStatus(staged);
        if (st.getLen() != s.bytes()) {
          throw new AuditLogException(
              String.format(
                  "Staged file %s has %d bytes, but its task reported %d: it was changed after the"
                      + " task closed it; the epoch is not committed",
                  staged, st.getLen(), s.bytes()));
        }
        String relative =
            AuditLayout.dataFile(phase, epoch, s.round(), s.partition(), s.taskAttemptId());
        Path target = layout.resolve(relative);
        fs.mkdirs(target.getParent());
        if (!fs.rename(staged, target)) {
          throw new IOException("rename " + staged + " -> " + target + " returned false");
        }
        fs.delete(AuditLayout.markerOf(staged), false);
        files.add(
            new CommittedFile(
                relative, s.round(), s.partition(), s.attempt(), s.taskAttemptId(), s.rows(),
                s.bytes(), s.batches()));
        rows += s.rows();
      }
      EpochCommit commit =
          new EpochCommit(
              EpochCommit.FORMAT_VERSION, runInfo.runId(), phase, epoch, rounds, rows,
              Instant.now().toString(), files);
      writeJsonAtomically(fs, manifest, commit);
      deleteDiscardedStagedFiles(phase, epoch);
      return commit;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot commit epoch " + epoch + " to " + layout.root() + ": " + e.getMessage(), e);
    }
  }

  /** Deletes what is left of the epoch in staging: output and markers of discarded attempts. */
  private void deleteDiscardedStagedFiles(Phase phase, int epoch) throws IOException {
    String prefix = String.format("%s-e%05d-", phase.label(), epoch);
    if (!fs.exists(layout.stagingDir())) {
      return;
    }
    for (FileStatus st : fs.listStatus(layout.stagingDir())) {
      String name = st.getPath().getName();
      if (name.startsWith(prefix)) {
        LOG.info("Deleting staged output of a discarded attempt: {}", st.getPath());
        fs.delete(st.getPath(), false);
      }
    }
  }

  /** Writes {@code value} as JSON to a temporary file and renames it to {@code target}. */
  static void writeJsonAtomically(FileSystem fs, Path target, Object value) throws IOException {
    if (fs.exists(target)) {
      throw new IOException("Refusing to overwrite " + target);
    }
    Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    try (OutputStream out = fs.create(tmp, false)) {
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
