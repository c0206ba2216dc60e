package io.batchaudit.read;

import io.batchaudit.internal.AuditLogException;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.AuditFileReader;
import io.batchaudit.store.AuditTable;
import io.batchaudit.store.CommittedFile;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.Phase;
import io.batchaudit.store.RunInfo;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * A committed audit log, read on the driver.
 *
 * <p>Only epochs with a manifest are visible; staged and uncommitted files never are. Batches come
 * in training order: by epoch, phase, averaging round, batch index, then partition (see {@link
 * io.batchaudit.store.BatchKey}). Reading is streamed one averaging round at a time: memory holds
 * one round's batches (workers x averaging frequency minibatches), never an epoch.
 *
 * <p>Before reading a file the reader checks its length against the manifest, and after reading it
 * its row count; a mismatch, a missing file or a file that cannot be decoded raises {@link
 * AuditLogException} naming the file, what was expected and what was found.
 */
public final class AuditLog {
  private final AuditTable table;
  private final Configuration conf;
  private final List<EpochCommit> commits;

  private AuditLog(AuditTable table, Configuration conf) {
    this.table = table;
    this.conf = conf;
    this.commits = table.commits();
  }

  /** Opens the audit folder at {@code uri} (any Hadoop file system URI or local path). */
  public static AuditLog open(String uri, Configuration conf) {
    return new AuditLog(AuditTable.open(new Path(uri), conf), conf);
  }

  public RunInfo run() {
    return table.runInfo();
  }

  /** The audit folder, fully qualified. */
  public String location() {
    return table.layout().root().toString();
  }

  /** The committed epochs' manifests, in (epoch, phase) order. */
  public List<EpochCommit> commits() {
    return commits;
  }

  /** Committed epochs of a phase, ascending. */
  public List<Integer> committedEpochs(Phase phase) {
    return commits.stream().filter(c -> c.phase() == phase).map(EpochCommit::epoch).toList();
  }

  /** Total rows of all committed epochs, from the manifests. */
  public long rows() {
    return commits.stream().mapToLong(EpochCommit::rows).sum();
  }

  /** All committed batches in training order. The caller closes the stream. */
  public Stream<AuditBatch> batches() {
    return stream(commits);
  }

  /**
   * The committed batches in training order, leaving out the files {@code include} rejects (for
   * example files a check found damaged). The caller closes the stream.
   */
  public Stream<AuditBatch> batches(java.util.function.Predicate<CommittedFile> include) {
    List<EpochCommit> filtered = new ArrayList<>();
    for (EpochCommit c : commits) {
      filtered.add(
          new EpochCommit(
              c.formatVersion(), c.runId(), c.phase(), c.epoch(), c.rows(), c.committedAt(),
              c.rounds(), c.files().stream().filter(include).toList()));
    }
    return stream(filtered);
  }

  /**
   * Checks one committed file against its manifest entry without decoding its rows: that it
   * exists, its length, its SHA-256 and that its footer can be read.
   *
   * @return {@code null} when the file is as committed, else what is wrong, naming the file, the
   *     expected and the actual value
   */
  public String check(CommittedFile f) {
    Path path = table.layout().resolve(f.path());
    try {
      FileStatus st;
      try {
        st = table.fileSystem().getFileStatus(path);
      } catch (FileNotFoundException e) {
        return "Committed file " + path + " is missing (the manifest lists it with " + f.rows()
            + " rows, " + f.bytes() + " bytes)";
      }
      if (st.getLen() != f.bytes()) {
        return "Committed file " + path + " has " + st.getLen() + " bytes, the manifest says "
            + f.bytes() + ": it was changed or truncated after commit; Parquet: "
            + footerProblem(path);
      }
      String sha = io.batchaudit.store.Checksums.ofFile(table.fileSystem(), path);
      if (!sha.equals(f.sha256())) {
        return "Committed file " + path + " has SHA-256 " + sha + ", the manifest says "
            + f.sha256() + ": it was changed after commit";
      }
      long rows = AuditFileReader.footerRowCount(conf, path);
      if (rows != f.rows()) {
        return "Committed file " + path + " has " + rows + " rows, the manifest says " + f.rows();
      }
      return null;
    } catch (IOException e) {
      return "Cannot read committed file " + path + ": " + e.getMessage();
    } catch (AuditLogException e) {
      return e.getMessage();
    }
  }

  private String footerProblem(Path path) {
    try {
      return "the footer still reads (" + AuditFileReader.footerRowCount(conf, path) + " rows)";
    } catch (AuditLogException e) {
      return e.getCause() != null ? e.getCause().toString() : e.getMessage();
    }
  }

  /** The committed batches of one epoch (all phases) in training order; empty if not committed. */
  public Stream<AuditBatch> batches(int epoch) {
    return stream(commits.stream().filter(c -> c.epoch() == epoch).toList());
  }

  /** The batches of one averaging round of one epoch's training phase, in training order. */
  public List<AuditBatch> round(int epoch, int round) {
    for (EpochCommit c : commits) {
      if (c.epoch() == epoch && c.phase() == Phase.TRAIN) {
        List<CommittedFile> files = c.files().stream().filter(f -> f.round() == round).toList();
        return readRound(new RoundFiles(c, files));
      }
    }
    return List.of();
  }

  /**
   * The per-partition view: the batches one worker partition trained in one epoch, in (round,
   * batch) order. The caller closes the stream.
   */
  public Stream<AuditBatch> partition(int epoch, int partition) {
    return batches(epoch).filter(b -> b.key().partition() == partition);
  }

  private Stream<AuditBatch> stream(List<EpochCommit> selected) {
    Iterator<AuditBatch> it = new RoundIterator(selected);
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  /** The files of one averaging round of one committed epoch. */
  private record RoundFiles(EpochCommit commit, List<CommittedFile> files) {}

  /** Walks the commits round by round, sorting each round's batches into training order. */
  private final class RoundIterator implements Iterator<AuditBatch> {
    private final Iterator<RoundFiles> rounds;
    private Iterator<AuditBatch> current = Collections.emptyIterator();

    RoundIterator(List<EpochCommit> selected) {
      List<RoundFiles> all = new ArrayList<>();
      for (EpochCommit c : selected) {
        Map<Integer, List<CommittedFile>> byRound = new TreeMap<>();
        for (CommittedFile f : c.files()) {
          byRound.computeIfAbsent(f.round(), r -> new ArrayList<>()).add(f);
        }
        byRound.values().forEach(files -> all.add(new RoundFiles(c, files)));
      }
      this.rounds = all.iterator();
    }

    @Override
    public boolean hasNext() {
      while (!current.hasNext() && rounds.hasNext()) {
        current = readRound(rounds.next()).iterator();
      }
      return current.hasNext();
    }

    @Override
    public AuditBatch next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return current.next();
    }
  }

  private List<AuditBatch> readRound(RoundFiles round) {
    List<AuditBatch> batches = new ArrayList<>();
    for (CommittedFile f : round.files()) {
      batches.addAll(readFile(round.commit(), f));
    }
    Collections.sort(batches, (a, b) -> a.key().compareTo(b.key()));
    return batches;
  }

  /** Reads one committed file after checking its length; checks its rows after reading. */
  List<AuditBatch> readFile(EpochCommit commit, CommittedFile f) {
    Path path = table.layout().resolve(f.path());
    long length;
    try {
      FileStatus st = table.fileSystem().getFileStatus(path);
      length = st.getLen();
    } catch (FileNotFoundException e) {
      throw new AuditLogException(
          "Committed file " + path + " is missing (listed in the manifest with " + f.rows()
              + " rows, " + f.bytes() + " bytes)");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot stat " + path + ": " + e.getMessage(), e);
    }
    if (length != f.bytes()) {
      throw new AuditLogException(
          "Committed file " + path + " has " + length + " bytes, the manifest says " + f.bytes()
              + ": it was changed or truncated after commit; Parquet: " + footerProblem(path));
    }
    List<AuditBatch> out = new ArrayList<>();
    long rows = 0;
    try (AuditFileReader r = AuditFileReader.open(conf, path, commit.phase(), commit.epoch())) {
      while (r.hasNext()) {
        AuditBatch b = r.next();
        rows += b.size();
        out.add(b);
      }
    } catch (IOException e) {
      throw new AuditLogException("Cannot read " + path + ": " + e.getMessage(), e);
    }
    if (rows != f.rows()) {
      throw new AuditLogException(
          "Committed file " + path + " has " + rows + " rows, the manifest says " + f.rows());
    }
    return out;
  }
}
