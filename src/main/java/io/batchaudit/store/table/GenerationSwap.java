package io.batchaudit.store.table;

import io.batchaudit.store.CommittedFile;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.Phase;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compaction's swap of an epoch's generation, and the recovery of a swap that was interrupted.
 *
 * <p>The swap is two directory renames: the live epoch folder to {@code retired/}, then the new
 * generation from {@code compact/} into its place. Between them the epoch has no live folder. A
 * driver that dies there leaves the only live copy of a committed epoch in {@code retired/}; {@link
 * #settle} finishes such a swap from what is on disk: forward when the next generation waits
 * complete in {@code compact/} (its manifest is written before the first rename, and every file it
 * names is there with its length), back otherwise. Both ways are what the interrupted compaction
 * itself would have ended in, so settling is safe while a live compaction sits between its two
 * renames: the compactor finds its second rename done and takes it as its own.
 *
 * <p>Runs on the driver or wherever a log is opened for reading; every step is idempotent, and two
 * processes settling at once make the same choice (one rename wins, the other finds nothing to do).
 */
final class GenerationSwap {
  private static final Logger LOG = LoggerFactory.getLogger(GenerationSwap.class);

  private GenerationSwap() {}

  /**
   * Swaps generation {@code after} (written with its manifest in {@code next}) in for the live
   * generation {@code before}.
   *
   * @throws IOException if a rename fails; the epoch is then settled (forward or back) before the
   *     exception is thrown, so it keeps a live folder
   */
  static void swap(
      FileSystem fs, AuditLayout layout, EpochCommit before, EpochCommit after, Path next)
      throws IOException {
    Phase phase = before.phase();
    int epoch = before.epoch();
    Path live = layout.epochDir(phase, epoch);
    Path retired = layout.retiredDir(phase, epoch, before.generation());
    fs.mkdirs(layout.retiredRoot());
    if (fs.exists(retired)) {
      fs.delete(retired, true);
    }
    renameDir(fs, live, retired);
    fs.setTimes(retired, System.currentTimeMillis(), -1); // the grace period starts now
    CommitProbes.reached(CommitStep.GENERATION_RETIRED, phase, epoch);
    try {
      renameDir(fs, next, live);
    } catch (IOException e) {
      EpochCommit now = liveManifest(fs, layout, phase, epoch);
      if (now != null && now.generation() == after.generation()) {
        return; // a reader settled the swap forward first: it is done
      }
      settle(fs, layout);
      throw e;
    }
  }

  /**
   * Finishes every interrupted swap of the log: each epoch that has a retired generation but no
   * live folder is rolled forward or back (see the class comment).
   *
   * @return one line per epoch settled, saying which way (empty when nothing was interrupted)
   */
  static List<String> settle(FileSystem fs, AuditLayout layout) throws IOException {
    List<String> done = new ArrayList<>();
    for (Retired r : newestRetired(fs, layout).values()) {
      Phase phase = r.commit().phase();
      int epoch = r.commit().epoch();
      Path live = layout.epochDir(phase, epoch);
      if (fs.exists(live)) {
        continue;
      }
      Path next = layout.compactDir(phase, epoch);
      boolean forward = complete(fs, next, r.commit().generation() + 1);
      Path from = forward ? next : r.dir();
      fs.mkdirs(layout.phaseDir(phase));
      try {
        renameDir(fs, from, live);
      } catch (IOException e) {
        if (fs.exists(new Path(live, AuditLayout.MANIFEST))) {
          continue; // settled by another process at the same moment
        }
        LOG.warn(
            "Cannot settle the interrupted compaction of {} epoch {} in {} ({}); readers use {}",
            phase.label(),
            epoch,
            layout.root(),
            e.getMessage(),
            r.dir());
        continue;
      }
      String line =
          String.format(
              "%s epoch %d: an interrupted compaction was rolled %s (generation %d live again,"
                  + " from %s)",
              phase.label(),
              epoch,
              forward ? "forward" : "back",
              forward ? r.commit().generation() + 1 : r.commit().generation(),
              fs.makeQualified(from));
      LOG.warn("{}", line);
      done.add(line);
    }
    return done;
  }

  /** A retired generation: its folder and manifest. */
  record Retired(Path dir, EpochCommit commit) {}

  /** The newest retired generation of each (phase, epoch) that has one. */
  static Map<List<Object>, Retired> newestRetired(FileSystem fs, AuditLayout layout)
      throws IOException {
    Map<List<Object>, Retired> newest = new HashMap<>();
    FileStatus[] entries;
    try {
      entries = fs.listStatus(layout.retiredRoot());
    } catch (FileNotFoundException e) {
      return newest;
    }
    for (FileStatus st : entries) {
      Path manifest = new Path(st.getPath(), AuditLayout.MANIFEST);
      if (!st.isDirectory() || !fs.exists(manifest)) {
        continue;
      }
      EpochCommit c = AuditTable.readJson(fs, manifest, EpochCommit.class);
      newest.merge(
          List.of(c.phase(), c.epoch()),
          new Retired(st.getPath(), c),
          (a, b) -> a.commit().generation() >= b.commit().generation() ? a : b);
    }
    return newest;
  }

  /** The live manifest of an epoch, or null when its folder or manifest is missing. */
  static EpochCommit liveManifest(FileSystem fs, AuditLayout layout, Phase phase, int epoch)
      throws IOException {
    try {
      return AuditTable.readJson(fs, layout.manifest(phase, epoch), EpochCommit.class);
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  /** Whether {@code dir} holds generation {@code generation} whole: manifest and every file. */
  private static boolean complete(FileSystem fs, Path dir, int generation) throws IOException {
    Path manifest = new Path(dir, AuditLayout.MANIFEST);
    if (!fs.exists(manifest)) {
      return false;
    }
    EpochCommit c = AuditTable.readJson(fs, manifest, EpochCommit.class);
    if (c.generation() != generation) {
      return false;
    }
    for (CommittedFile f : c.files()) {
      Path p = new Path(dir, new Path(f.path()).getName());
      if (!fs.exists(p) || fs.getFileStatus(p).getLen() != f.bytes()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Renames a folder to a path that must not exist. (A Hadoop rename onto an existing folder moves
   * the source inside it, which here would put a generation inside another.)
   */
  static void renameDir(FileSystem fs, Path from, Path to) throws IOException {
    if (fs.exists(to)) {
      throw new IOException("rename " + from + " -> " + to + ": the target exists");
    }
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " returned false");
    }
  }
}
