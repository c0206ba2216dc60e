package io.batchaudit.read;

import io.batchaudit.internal.AuditLogException;
import io.batchaudit.store.CommittedFile;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.Phase;
import io.batchaudit.store.parquet.AuditFileReader;
import io.batchaudit.store.table.AuditLayout;
import io.batchaudit.store.table.CommitProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Compares the audit folder as plain readers see it with the committed log the project's reader
 * reads.
 *
 * <p>Plain readers know no manifest. Spark and pyarrow read every file under the folder whose name,
 * and the names of whose folders, do not start with {@code _} or {@code .}; DuckDB's {@code
 * read_parquet('<audit>/**}{@code /*.parquet')} reads every {@code *.parquet} file, hidden or not.
 * So the committed log is what they read only if the folder holds exactly the files the manifests
 * name, in the epoch folders of the log, each epoch folder with its manifest. Problems reported:
 *
 * <ul>
 *   <li>a file no manifest names that plain readers read: any {@code *.parquet} file, and any file
 *       outside hidden names (hidden files such as {@code _SUCCESS} or Hadoop's {@code .crc} files
 *       are ignored);
 *   <li>an epoch folder without a manifest (the project's reader then does not see it, or reads a
 *       retired generation from staging while plain readers read the folder);
 *   <li>a committed epoch the project's reader finds only in staging (no epoch folder);
 *   <li>a folder that is neither {@code _batch_audit}, {@code phase=<p>} nor {@code
 *       phase=<p>/epoch=<e>};
 *   <li>the footers' row count of every {@code *.parquet} file under the folder differing from the
 *       manifests' (left out when a footer cannot be read: that file is reported already).
 * </ul>
 *
 * <p>Files of a generation that compaction replaced, kept in the folder through the grace period
 * (the manifest form, {@link CommitProtocol#MANIFEST}), are what that protocol promises plain
 * readers, not damage: they are reported as one warning per epoch, and their rows are left out of
 * the row count comparison.
 *
 * <p>Runs on the driver. Lists the folder once; reads the footer of each {@code *.parquet} file
 * except those a manifest names and the file check found intact (their rows are the manifest's).
 * Meant for a log at rest: a commit or compaction running meanwhile can show up as problems.
 */
final class TableScan {
  private enum Level {
    ROOT,
    META,
    PHASE,
    EPOCH,
    OTHER
  }

  /** The epoch plain readers assign to the files of an epoch folder (its Hive partition values). */
  private record EpochKey(Phase phase, int epoch) {}

  private final AuditLog log;
  private final FileSystem fs;
  private final AuditLayout layout;
  private final Configuration conf;
  private final Set<String> damaged;
  private final ProblemList problems;
  private final Map<String, CommittedFile> named = new HashMap<>();
  private final Map<String, EpochCommit> byFolder = new HashMap<>();

  /** Files of generations replaced by compaction, still in the folder (manifest form). */
  private final Map<String, EpochCommit> replaced = new HashMap<>();

  private final Map<EpochCommit, Long> replacedRowsSeen = new java.util.LinkedHashMap<>();
  private long globRows;
  private int globFiles;
  private boolean footersRead = true;

  private TableScan(AuditLog log, Set<String> damaged, ProblemList problems) {
    this.log = log;
    this.fs = log.table().fileSystem();
    this.layout = log.table().layout();
    this.conf = log.conf();
    this.damaged = damaged;
    this.problems = problems;
    for (EpochCommit c : log.commits()) {
      byFolder.put(folder(c.phase(), c.epoch()), c);
      for (CommittedFile f : c.files()) {
        named.put(f.path(), f);
      }
    }
    for (EpochCommit c : log.table().replacedGenerations()) {
      for (CommittedFile f : c.files()) {
        if (!named.containsKey(f.path())) {
          replaced.put(f.path(), c);
        }
      }
    }
  }

  /**
   * Scans {@code log}'s audit folder and adds what plain readers see differently to {@code
   * problems}.
   *
   * @param damaged paths (relative to the audit folder) of committed files the file check found
   *     changed, missing or unreadable
   */
  static void scan(
      AuditLog log, Set<String> damaged, ProblemList problems, java.util.List<String> warnings) {
    TableScan s = new TableScan(log, damaged, problems);
    try {
      s.walk(s.layout.root(), "", Level.ROOT, false, null);
      s.committedEpochsWithoutFolder();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot list the audit folder " + s.layout.root() + ": " + e.getMessage(), e);
    }
    long replacedRows = 0;
    for (Map.Entry<EpochCommit, Long> e : s.replacedRowsSeen.entrySet()) {
      EpochCommit c = e.getKey();
      replacedRows += e.getValue();
      warnings.add(
          String.format(
              "a plain glob of %s also reads %d rows of generation %d of %s epoch %d, replaced by"
                  + " compaction and kept through audit.compaction.grace for readers that listed"
                  + " it: read the files 'batch-audit files' lists, or run 'batch-audit vacuum'",
              s.layout.root(), e.getValue(), c.generation(), c.phase().label(), c.epoch()));
    }
    if (s.footersRead && s.globRows - replacedRows != log.rows()) {
      problems.add(
          String.format(
              "the %d *.parquet files under %s hold %d rows (what DuckDB's"
                  + " read_parquet('<audit>/**/*.parquet') counts), the manifests %d",
              s.globFiles, s.layout.root(), s.globRows, log.rows()));
    }
  }

  private static String folder(Phase phase, int epoch) {
    return "phase=" + phase.label() + "/epoch=" + epoch;
  }

  /**
   * @param epoch the (phase, epoch) plain readers assign to files in this folder, or {@code null}
   */
  private void walk(Path dir, String rel, Level level, boolean hidden, EpochKey epoch)
      throws IOException {
    FileStatus[] entries = fs.listStatus(dir);
    Arrays.sort(entries, Comparator.comparing(st -> st.getPath().getName()));
    for (FileStatus st : entries) {
      String name = st.getPath().getName();
      String childRel = rel.isEmpty() ? name : rel + "/" + name;
      boolean childHidden = hidden || name.startsWith("_") || name.startsWith(".");
      if (!st.isDirectory()) {
        file(st, childRel, childHidden, epoch);
        continue;
      }
      Level child = childLevel(level, name);
      EpochKey childEpoch = epoch;
      if (child == null) {
        problems.add(
            String.format(
                "folder %s is not a phase or epoch folder of the log: plain readers may read what"
                    + " it holds (remove it)",
                st.getPath()));
        child = Level.OTHER;
        childEpoch = null;
      } else if (child == Level.EPOCH) {
        childEpoch =
            new EpochKey(
                Phase.fromLabel(rel.substring("phase=".length())),
                Integer.parseInt(name.substring("epoch=".length())));
        epochFolder(st.getPath(), childRel, childEpoch);
      }
      walk(st.getPath(), childRel, child, childHidden, childEpoch);
    }
  }

  /** The level of folder {@code name} inside a folder of {@code level}; null if it has none. */
  private static Level childLevel(Level level, String name) {
    return switch (level) {
      case ROOT ->
          name.equals("_batch_audit") ? Level.META : isPhaseFolder(name) ? Level.PHASE : null;
      case PHASE -> isEpochFolder(name) ? Level.EPOCH : null;
      case EPOCH -> null;
      case META, OTHER -> level;
    };
  }

  private static boolean isPhaseFolder(String name) {
    return Arrays.stream(Phase.values()).anyMatch(p -> name.equals("phase=" + p.label()));
  }

  /**
   * {@code epoch=<n>} exactly as the writer names it: plain readers parse {@code epoch=01} as 1.
   */
  private static boolean isEpochFolder(String name) {
    String n = name.startsWith("epoch=") ? name.substring("epoch=".length()) : "";
    try {
      return !n.isEmpty() && String.valueOf(Integer.parseInt(n)).equals(n) && !n.startsWith("-");
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private void epochFolder(Path dir, String rel, EpochKey key) throws IOException {
    if (layout.protocol() == CommitProtocol.MANIFEST) {
      if (!byFolder.containsKey(rel)) {
        problems.add(
            String.format(
                "epoch folder %s has no manifest in %s: plain readers read its files as epoch %d"
                    + " (%s), which the project's reader does not see (not committed)",
                dir, layout.commitsDir(), key.epoch(), key.phase().label()));
      }
      return;
    }
    if (fs.exists(layout.manifest(key.phase(), key.epoch()))) {
      return;
    }
    EpochCommit c = byFolder.get(rel);
    problems.add(
        c == null
            ? String.format(
                "epoch folder %s has no _manifest.json: plain readers read its files as epoch %d"
                    + " (%s), which the project's reader does not see (not committed)",
                dir, key.epoch(), key.phase().label())
            : String.format(
                "epoch folder %s has no _manifest.json: plain readers read its files as epoch %d"
                    + " (%s), the project's reader reads generation %d of the epoch (%d rows) from"
                    + " %s instead",
                dir,
                key.epoch(),
                key.phase().label(),
                c.generation(),
                c.rows(),
                layout.retiredDir(c.phase(), c.epoch(), c.generation())));
  }

  private void file(FileStatus st, String rel, boolean hidden, EpochKey epoch) {
    boolean parquet = rel.endsWith(".parquet");
    CommittedFile entry = named.get(rel);
    long rows = -1;
    String unreadable = null;
    if (parquet) {
      globFiles++;
      if (entry != null && !damaged.contains(rel)) {
        rows = entry.rows(); // the file check read this footer already
      } else {
        try {
          rows = AuditFileReader.footerRowCount(conf, st.getPath());
        } catch (AuditLogException e) {
          unreadable = e.getMessage();
          footersRead = false;
        }
      }
      if (rows >= 0) {
        globRows += rows;
      }
    }
    if (entry != null || (!parquet && hidden)) {
      return;
    }
    EpochCommit old = replaced.get(rel);
    if (old != null && rows >= 0) {
      replacedRowsSeen.merge(old, rows, Long::sum); // a warning, see scan
      return;
    }
    if (!parquet) {
      problems.add(
          String.format(
              "file %s is named by no manifest: Spark and pyarrow read it as data (every file whose"
                  + " name does not start with _ or .)",
              st.getPath()));
    } else if (unreadable != null) {
      problems.add(
          String.format(
              "data file %s is named by no manifest and plain readers fail on it: %s",
              st.getPath(), unreadable));
    } else {
      problems.add(
          String.format(
              "data file %s is named by no manifest: plain readers read its %d %s%s%s",
              st.getPath(),
              rows,
              rows == 1 ? "row" : "rows",
              epoch == null
                  ? ""
                  : String.format(" as epoch %d (%s)", epoch.epoch(), epoch.phase().label()),
              hidden
                  ? " (DuckDB's glob does; Spark and pyarrow skip names that start with _ or .)"
                  : ""));
    }
  }

  private void committedEpochsWithoutFolder() throws IOException {
    if (layout.protocol() == CommitProtocol.MANIFEST) {
      return; // files stay where the attempts wrote them: a missing one is the file check's
    }
    for (EpochCommit c : log.commits()) {
      if (!fs.exists(layout.epochDir(c.phase(), c.epoch()))) {
        problems.add(
            String.format(
                "epoch %d (%s) has no folder in the audit folder: the project's reader reads"
                    + " generation %d (%d rows) from %s, plain readers see none of its rows",
                c.epoch(),
                c.phase().label(),
                c.generation(),
                c.rows(),
                layout.retiredDir(c.phase(), c.epoch(), c.generation())));
      }
    }
  }
}
