package io.batchaudit.store.table;

import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.Phase;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Removes what no committed epoch refers to and is older than a retention period: staged task files
 * and markers, epochs assembled in staging but never committed, unfinished compactions, generations
 * retired by compaction, and epoch folders in the audit folder that have no manifest. Committed
 * epochs (folders with a manifest) are never touched, and neither is a retired generation that no
 * later live generation of its epoch supersedes: that may be the only copy of a committed epoch (a
 * compaction interrupted between its two renames and not yet settled, see {@link GenerationSwap}).
 * An interrupted compaction is settled before anything is removed.
 *
 * <p>Under {@link CommitProtocol#MANIFEST}, where data files live in the epoch folders from the
 * moment an attempt writes them: a file that no manifest of its epoch names (an attempt Spark did
 * not accept, a killed executor's partial file, an interrupted commit or compaction) is removed
 * when older than the retention; a generation replaced by compaction is removed (its files the live
 * generation does not name, then its manifest) once its successor's manifest is older than the
 * retention. A file the live manifest of its epoch names is never removed.
 *
 * <p>Young files are kept because a running job may still commit them; the retention must exceed
 * the longest epoch of any job still writing to the folder.
 */
public final class Vacuum {

  /**
   * What a vacuum removed or would remove.
   *
   * @param removed paths removed (or, in a dry run, that would be), with their size and age
   * @param keptYoung orphans kept because they are younger than the retention
   * @param keptCommitted retired generations kept, however old, because no later live generation of
   *     their epoch supersedes them
   * @param settled interrupted compactions finished before vacuuming (see {@link GenerationSwap})
   * @param bytes bytes removed
   */
  public record Report(
      List<String> removed,
      List<String> keptYoung,
      List<String> keptCommitted,
      List<String> settled,
      long bytes) {
    public Report {
      removed = List.copyOf(removed);
      keptYoung = List.copyOf(keptYoung);
      keptCommitted = List.copyOf(keptCommitted);
      settled = List.copyOf(settled);
    }
  }

  private Vacuum() {}

  public static Report run(AuditTable table, Duration retention, Instant now, boolean dryRun) {
    FileSystem fs = table.fileSystem();
    AuditLayout layout = table.layout();
    List<String> removed = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    List<String> keptCommitted = new ArrayList<>();
    List<String> settled = new ArrayList<>();
    long[] bytes = {0};
    try {
      settled.addAll(table.settled());
      boolean renames = layout.protocol() == CommitProtocol.RENAME;
      if (renames) {
        settled.addAll(GenerationSwap.settle(fs, layout));
      }
      List<Path> candidates = new ArrayList<>();
      addEntries(fs, layout.tasksDir(), 1, candidates);
      addEntries(fs, layout.commitRoot(), 2, candidates); // phase=<p>/epoch=<e>
      List<Path> retired = new ArrayList<>();
      addEntries(fs, layout.retiredRoot(), 1, retired);
      for (Path r : retired) {
        if (Compactor.superseded(table, r)) {
          candidates.add(r);
        } else {
          keptCommitted.add(r + " (no later live generation of its epoch)");
        }
      }
      addEntries(fs, layout.compactRoot(), 2, candidates); // phase=<p>/epoch=<e>
      if (layout.protocol() == CommitProtocol.MANIFEST) {
        Compactor.Purged replaced = Compactor.purgeSuperseded(table, retention, now, dryRun);
        removed.addAll(replaced.removed());
        bytes[0] += replaced.bytes();
        unnamedFiles(table, candidates);
        addEntries(fs, layout.commitsDir(), 1, candidates, true); // temporary names only
      } else {
        for (Phase phase : Phase.values()) {
          Path dir = layout.phaseDir(phase);
          if (!fs.exists(dir)) {
            continue;
          }
          for (FileStatus epoch : fs.listStatus(dir)) {
            if (epoch.isDirectory()
                && !fs.exists(new Path(epoch.getPath(), AuditLayout.MANIFEST))) {
              candidates.add(epoch.getPath());
            }
          }
        }
      }
      for (Path p : candidates) {
        long[] sizeAndNewest;
        try {
          sizeAndNewest = sizeAndNewest(fs, p, renames);
        } catch (FileNotFoundException e) {
          // listed but gone (an object store lists an emptied folder it no longer has; a
          // concurrent cleanup): nothing to remove
          continue;
        }
        Duration age = Duration.between(Instant.ofEpochMilli(sizeAndNewest[1]), now);
        String line = p + " (" + sizeAndNewest[0] + " bytes, " + age.toSeconds() + " s old)";
        if (age.compareTo(retention) < 0) {
          kept.add(line);
          continue;
        }
        if (!dryRun) {
          fs.delete(p, true);
        }
        removed.add(line);
        bytes[0] += sizeAndNewest[0];
      }
      if (!dryRun && renames) {
        // a removed epoch folder without manifest may have hidden a retired generation's place
        settled.addAll(GenerationSwap.settle(fs, layout));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot vacuum " + layout.root() + ": " + e.getMessage(), e);
    }
    return new Report(removed, kept, keptCommitted, settled, bytes[0]);
  }

  /** Adds the entries {@code depth} levels below {@code dir}, if it exists. */
  private static void addEntries(FileSystem fs, Path dir, int depth, List<Path> out)
      throws IOException {
    addEntries(fs, dir, depth, out, false);
  }

  /**
   * Adds the entries {@code depth} levels below {@code dir}, if it exists; with {@code
   * temporaryOnly} only those whose names start with {@code .} (files being written).
   */
  private static void addEntries(
      FileSystem fs, Path dir, int depth, List<Path> out, boolean temporaryOnly)
      throws IOException {
    if (!fs.exists(dir)) {
      return;
    }
    for (FileStatus st : fs.listStatus(dir)) {
      if (depth == 1) {
        if (!temporaryOnly || st.getPath().getName().startsWith(".")) {
          out.add(st.getPath());
        }
      } else if (st.isDirectory()) {
        addEntries(fs, st.getPath(), depth - 1, out, false);
      }
    }
  }

  /**
   * Manifest form: every file in an epoch folder that no manifest of its epoch (live or replaced)
   * names, and every epoch folder without any manifest.
   */
  private static void unnamedFiles(AuditTable table, List<Path> out) throws IOException {
    FileSystem fs = table.fileSystem();
    AuditLayout layout = table.layout();
    java.util.Map<List<Object>, java.util.TreeMap<Integer, Path>> generations = table.generations();
    for (Phase phase : Phase.values()) {
      Path dir = layout.phaseDir(phase);
      if (!fs.exists(dir)) {
        continue;
      }
      for (FileStatus epochDir : fs.listStatus(dir)) {
        String name = epochDir.getPath().getName();
        if (!epochDir.isDirectory() || !name.startsWith("epoch=")) {
          continue;
        }
        int epoch;
        try {
          epoch = Integer.parseInt(name.substring("epoch=".length()));
        } catch (NumberFormatException e) {
          continue;
        }
        java.util.TreeMap<Integer, Path> gens = generations.get(List.of(phase, epoch));
        if (gens == null) {
          out.add(epochDir.getPath());
          continue;
        }
        java.util.Set<String> named = new java.util.HashSet<>();
        for (Path m : gens.values()) {
          try {
            AuditTable.readJson(fs, m, EpochCommit.class)
                .files()
                .forEach(f -> named.add(layout.resolve(f.path()).getName()));
          } catch (FileNotFoundException e) {
            // a replaced manifest deleted meanwhile: its files are not the live generation's
          }
        }
        for (FileStatus f : fs.listStatus(epochDir.getPath())) {
          if (!named.contains(f.getPath().getName())) {
            out.add(f.getPath());
          }
        }
      }
    }
  }

  /**
   * Total size and newest modification time (ms) of a file or folder tree; a folder's own time
   * counts only where folders are real ({@code realFolders}: the rename form's stores).
   */
  private static long[] sizeAndNewest(FileSystem fs, Path p, boolean realFolders)
      throws IOException {
    FileStatus st = fs.getFileStatus(p);
    if (!st.isDirectory()) {
      return new long[] {st.getLen(), st.getModificationTime()};
    }
    long size = 0;
    long newest = realFolders ? st.getModificationTime() : Long.MIN_VALUE;
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
    while (it.hasNext()) {
      LocatedFileStatus f = it.next();
      size += f.getLen();
      newest = Math.max(newest, f.getModificationTime());
    }
    // on an object store a folder is as old as its newest file: it is only a prefix, and S3A gives
    // it the time of the request as its modification time (it would never age)
    return new long[] {size, newest == Long.MIN_VALUE ? st.getModificationTime() : newest};
  }
}
