package io.batchaudit.store.table;

import io.batchaudit.internal.AuditLogException;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.CommittedFile;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.Json;
import io.batchaudit.store.Phase;
import io.batchaudit.store.hadoop.NewFiles;
import io.batchaudit.store.parquet.AuditFileReader;
import io.batchaudit.store.parquet.AuditFileWriter;
import io.batchaudit.store.parquet.EpochReader;
import io.batchaudit.store.parquet.WriterOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites a committed epoch (one small file per round and partition) into a few large files in
 * training order, and swaps them in as the epoch's next generation.
 *
 * <p>Runs on the driver, after the epoch is committed. Memory: one averaging round of batches. The
 * new generation is written to {@code <staging>/compact/}, checked (same rows, footers), and
 * swapped in by two directory renames: the old generation's folder to {@code <staging>/retired/},
 * the new one into its place. The project's reader never sees both or neither: during the instant
 * between the renames it finds the epoch in the retired folder, and a reader that listed the old
 * generation before the swap keeps finding its files there. Plain readers (Spark, DuckDB) globbing
 * the audit folder see the old files before the first rename, the new ones after the second, and no
 * file of that epoch in between: a window of one rename. Retired generations are deleted once older
 * than the grace period (here, at the next compaction, or by {@code vacuum}).
 *
 * <p>Under {@link CommitProtocol#MANIFEST} nothing is renamed: the new generation's files are
 * written into the epoch folder beside the old ones, checked, and committed by the generation's
 * manifest in {@code _batch_audit/commits/}, written last. The project's reader switches from the
 * old generation to the new at that instant; an interrupted compaction leaves files that no
 * manifest names (ignored by the reader, deleted by the next compaction of the epoch or by {@code
 * vacuum}). The old generation's files and manifest are deleted once the new manifest is older than
 * the grace period; until then a plain glob of the folder reads both generations.
 */
public final class Compactor {
  private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

  /** Row-group size of compacted files: what a reader holds in memory per file it reads. */
  static final long COMPACTED_ROW_GROUP_BYTES = 16L << 20;

  /**
   * @param before the epoch's manifest before compaction
   * @param after the manifest of the new generation, or {@code before} when nothing was done
   */
  public record Result(EpochCommit before, EpochCommit after) {
    public boolean compacted() {
      return after != before;
    }
  }

  private Compactor() {}

  /**
   * Compacts one committed epoch; an epoch already compacted is left as it is.
   *
   * @param targetBytes a new file is started once the current one holds this many bytes
   * @param grace retired generations older than this are deleted (only those that a live manifest
   *     of a later generation supersedes)
   */
  public static Result compact(
      AuditTable table,
      Configuration conf,
      Phase phase,
      int epoch,
      long targetBytes,
      Duration grace) {
    AuditLayout layout = table.layout();
    FileSystem fs = table.fileSystem();
    EpochCommit before =
        table.commits().stream()
            .filter(c -> c.phase() == phase && c.epoch() == epoch)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "Epoch "
                            + epoch
                            + " ("
                            + phase.label()
                            + ") is not committed in "
                            + layout.root()));
    if (before.sorted()) {
      return new Result(before, before);
    }
    int generation = before.generation() + 1;
    if (layout.protocol() == CommitProtocol.MANIFEST) {
      return compactInPlace(table, conf, before, generation, targetBytes, grace);
    }
    Path dir = layout.compactDir(phase, epoch);
    try {
      if (fs.exists(dir)) {
        fs.delete(dir, true);
      }
      fs.mkdirs(dir);
      List<CommittedFile> files = write(table, conf, before, dir, generation, targetBytes);
      long rows = files.stream().mapToLong(CommittedFile::rows).sum();
      if (rows != before.rows()) {
        fs.delete(dir, true);
        throw new AuditLogException(
            String.format(
                "Compaction of %s epoch %d wrote %d rows, the epoch has %d: nothing was swapped",
                phase.label(), epoch, rows, before.rows()));
      }
      EpochCommit after = nextGeneration(before, generation, files);
      try (OutputStream out = NewFiles.create(fs.getConf(), new Path(dir, AuditLayout.MANIFEST))) {
        Json.mapper().writeValue(out, after);
      }
      CommitProbes.reached(CommitStep.GENERATION_WRITTEN, phase, epoch);
      GenerationSwap.swap(fs, layout, before, after, dir);
      CommitProbes.reached(CommitStep.GENERATION_SWAPPED, phase, epoch);
      Path retired = layout.retiredDir(phase, epoch, before.generation());
      purgeRetired(table, grace, retired);
      return new Result(before, after);
    } catch (IOException e) {
      throw failed(before, layout, e);
    }
  }

  /** The manifest form of {@link #compact}, see the class comment. */
  private static Result compactInPlace(
      AuditTable table,
      Configuration conf,
      EpochCommit before,
      int generation,
      long targetBytes,
      Duration grace) {
    AuditLayout layout = table.layout();
    FileSystem fs = table.fileSystem();
    Phase phase = before.phase();
    int epoch = before.epoch();
    Path dir = layout.epochDir(phase, epoch);
    String prefix = "part-g" + generation + "-";
    try {
      deleteFiles(fs, dir, prefix); // left by an interrupted compaction to this generation
      List<CommittedFile> files = write(table, conf, before, dir, generation, targetBytes);
      long rows = files.stream().mapToLong(CommittedFile::rows).sum();
      if (rows != before.rows()) {
        deleteFiles(fs, dir, prefix);
        throw new AuditLogException(
            String.format(
                "Compaction of %s epoch %d wrote %d rows, the epoch has %d: nothing was committed",
                phase.label(), epoch, rows, before.rows()));
      }
      EpochCommit after = nextGeneration(before, generation, files);
      CommitProbes.reached(CommitStep.GENERATION_WRITTEN, phase, epoch);
      AuditTable.writeJsonAtomically(
          fs, layout.commitManifest(phase, epoch, generation), after); // the commit point
      CommitProbes.reached(CommitStep.GENERATION_SWAPPED, phase, epoch);
      purgeSuperseded(table, grace, Instant.now(), false);
      return new Result(before, after);
    } catch (IOException e) {
      throw failed(before, layout, e);
    }
  }

  /** The manifest of the compacted generation: the same epoch and rounds, sorted files. */
  private static EpochCommit nextGeneration(
      EpochCommit before, int generation, List<CommittedFile> files) {
    return new EpochCommit(
        EpochCommit.FORMAT_VERSION,
        before.runId(),
        before.phase(),
        before.epoch(),
        files.stream().mapToLong(CommittedFile::rows).sum(),
        Instant.now().toString(),
        generation,
        true,
        before.rounds(),
        files);
  }

  private static UncheckedIOException failed(
      EpochCommit before, AuditLayout layout, IOException e) {
    return new UncheckedIOException(
        "Cannot compact "
            + before.phase().label()
            + " epoch "
            + before.epoch()
            + " of "
            + layout.root()
            + ": "
            + e.getMessage(),
        e);
  }

  private static void deleteFiles(FileSystem fs, Path dir, String prefix) throws IOException {
    for (FileStatus st : fs.listStatus(dir)) {
      if (st.getPath().getName().startsWith(prefix)) {
        fs.delete(st.getPath(), false);
      }
    }
  }

  /**
   * Manifest form: deletes every generation that a later generation of its epoch replaced, once
   * that later manifest is older than {@code grace}: first the files the live generation does not
   * name, then the replaced manifest (so a manifest never names a file that is gone while it is
   * still listed as the newest). The live generation of an epoch is never touched.
   *
   * @return one line per file or manifest deleted (or, with {@code dryRun}, that would be), and the
   *     data files' bytes
   */
  static Purged purgeSuperseded(AuditTable table, Duration grace, Instant now, boolean dryRun)
      throws IOException {
    FileSystem fs = table.fileSystem();
    AuditLayout layout = table.layout();
    List<String> removed = new ArrayList<>();
    long bytes = 0;
    for (java.util.TreeMap<Integer, Path> gens : table.generations().values()) {
      if (gens.size() < 2) {
        continue;
      }
      EpochCommit live = AuditTable.readJson(fs, gens.lastEntry().getValue(), EpochCommit.class);
      if (Duration.between(Instant.parse(live.committedAt()), now).compareTo(grace) < 0) {
        continue;
      }
      java.util.Set<String> keep = new java.util.HashSet<>();
      live.files().forEach(f -> keep.add(f.path()));
      for (Path old : gens.headMap(live.generation()).values()) {
        EpochCommit replaced = AuditTable.readJson(fs, old, EpochCommit.class);
        for (CommittedFile f : replaced.files()) {
          if (!keep.contains(f.path())) {
            Path p = layout.resolve(f.path());
            if (!dryRun) {
              fs.delete(p, false);
            }
            removed.add(
                p
                    + " ("
                    + f.bytes()
                    + " bytes, generation "
                    + replaced.generation()
                    + ", replaced)");
            bytes += f.bytes();
          }
        }
        removed.add(old + " (manifest of generation " + replaced.generation() + ", replaced)");
        if (!dryRun) {
          fs.delete(old, false);
          LOG.info(
              "Deleted generation {} of {} epoch {}: replaced by generation {} more than {} ago",
              replaced.generation(),
              replaced.phase().label(),
              replaced.epoch(),
              live.generation(),
              grace);
        }
      }
    }
    return new Purged(removed, bytes);
  }

  /** What {@link #purgeSuperseded} removed: one line per path, and the data files' bytes. */
  record Purged(List<String> removed, long bytes) {}

  private static List<CommittedFile> write(
      AuditTable table,
      Configuration conf,
      EpochCommit before,
      Path dir,
      int generation,
      long targetBytes)
      throws IOException {
    RunInfo run = table.runInfo();
    // Row groups stay small (a reader holds one in memory); files are large.
    WriterOptions options =
        new WriterOptions(
            run.config().getOrDefault("audit.compression", WriterOptions.DEFAULTS.compression()),
            COMPACTED_ROW_GROUP_BYTES);
    List<CommittedFile> files = new ArrayList<>();
    AuditFileWriter writer = null;
    String name = null;
    int firstRound = 0;
    int lastRound = 0;
    try (EpochReader.CloseableIterator it = new EpochReader(table, conf).batches(List.of(before))) {
      while (it.hasNext()) {
        AuditBatch b = it.next();
        if (writer == null) {
          name = String.format("part-g%d-%05d.parquet", generation, files.size());
          writer =
              AuditFileWriter.create(
                  conf, new Path(dir, name), run.runId(), run.optionalColumns(), options);
          firstRound = b.key().round();
        }
        writer.write(b);
        lastRound = b.key().round();
        if (writer.dataSize() >= targetBytes) {
          files.add(seal(table.fileSystem(), conf, writer, before, name, firstRound, lastRound));
          writer = null;
        }
      }
    }
    if (writer != null) {
      files.add(seal(table.fileSystem(), conf, writer, before, name, firstRound, lastRound));
    }
    return files;
  }

  private static CommittedFile seal(
      FileSystem fs,
      Configuration conf,
      AuditFileWriter writer,
      EpochCommit before,
      String name,
      int firstRound,
      int lastRound)
      throws IOException {
    writer.close();
    Path path = writer.path();
    long rows = AuditFileReader.footerRowCount(conf, path);
    if (rows != writer.rows()) {
      throw new AuditLogException(
          "Compacted file "
              + path
              + " has "
              + rows
              + " rows in its footer, "
              + writer.rows()
              + " were written");
    }
    return new CommittedFile(
        "phase=" + before.phase().label() + "/epoch=" + before.epoch() + "/" + name,
        firstRound,
        lastRound,
        -1,
        -1,
        -1,
        rows,
        fs.getFileStatus(path).getLen(),
        writer.batches(),
        writer.sha256());
  }

  /**
   * Deletes retired generations older than {@code grace}, except {@code keep} and any generation
   * that is not superseded by the live manifest of its epoch (then it may be the only copy).
   */
  static void purgeRetired(AuditTable table, Duration grace, Path keep) throws IOException {
    FileSystem fs = table.fileSystem();
    Path root = table.layout().retiredRoot();
    if (!fs.exists(root)) {
      return;
    }
    long cutoff = System.currentTimeMillis() - grace.toMillis();
    for (FileStatus st : fs.listStatus(root)) {
      if (!st.getPath().getName().equals(keep.getName())
          && st.getModificationTime() < cutoff
          && superseded(table, st.getPath())) {
        LOG.info("Deleting a retired generation past its grace period: {}", st.getPath());
        fs.delete(st.getPath(), true);
      }
    }
  }

  /**
   * Whether the retired generation in {@code dir} is replaced by a later live generation of its
   * epoch. A folder without a readable manifest is not a generation and counts as superseded.
   */
  static boolean superseded(AuditTable table, Path dir) throws IOException {
    FileSystem fs = table.fileSystem();
    Path manifest = new Path(dir, AuditLayout.MANIFEST);
    if (!fs.exists(manifest)) {
      return true;
    }
    EpochCommit retired = AuditTable.readJson(fs, manifest, EpochCommit.class);
    EpochCommit live =
        GenerationSwap.liveManifest(fs, table.layout(), retired.phase(), retired.epoch());
    return live != null && live.generation() > retired.generation();
  }
}
