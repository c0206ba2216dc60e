package io.batchaudit.store;

import io.batchaudit.internal.AuditLogException;
import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Reads committed epochs in training order, checking every file against its manifest entry.
 *
 * <p>Two shapes of epoch: as committed by training (one file per round and partition), read one
 * averaging round at a time (memory: one round's batches) and sorted within the round; and
 * compacted (a few files already in training order), read file after file, batch after batch
 * (memory: one batch). Runs on the driver.
 */
public final class EpochReader {
  private final AuditTable table;
  private final Configuration conf;

  public EpochReader(AuditTable table, Configuration conf) {
    this.table = table;
    this.conf = conf;
  }

  /** Batches of the given epochs in training order; the caller closes the iterator. */
  public CloseableIterator batches(List<EpochCommit> epochs) {
    return new Batches(epochs);
  }

  /** The batches of one averaging round of {@code commit}, in training order. */
  public List<AuditBatch> round(EpochCommit commit, int round) {
    List<AuditBatch> out = new ArrayList<>();
    for (CommittedFile f : commit.files()) {
      if (f.round() <= round && round <= f.lastRound()) {
        try (AuditFileReader r = open(commit, f, commit.sorted() ? round : null)) {
          r.forEachRemaining(
              b -> {
                if (b.key().round() == round) {
                  out.add(b);
                }
              });
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    out.sort((a, b) -> a.key().compareTo(b.key()));
    return out;
  }

  /** An iterator over batches that holds an open file; close it when stopping early. */
  public interface CloseableIterator extends Iterator<AuditBatch>, Closeable {
    @Override
    void close();
  }

  private final class Batches implements CloseableIterator {
    private final Iterator<EpochCommit> epochs;
    private EpochCommit epoch;
    private Iterator<List<CommittedFile>> groups = Collections.emptyIterator();
    private Iterator<AuditBatch> current = Collections.emptyIterator();
    private AuditFileReader open;
    private CommittedFile openFile;
    private long openRows;

    Batches(List<EpochCommit> selected) {
      this.epochs = selected.iterator();
    }

    @Override
    public boolean hasNext() {
      while (!current.hasNext()) {
        finishOpenFile();
        if (!groups.hasNext()) {
          if (!epochs.hasNext()) {
            return false;
          }
          epoch = epochs.next();
          groups = groups(epoch).iterator();
          continue;
        }
        List<CommittedFile> group = groups.next();
        if (epoch.sorted()) {
          openFile = group.get(0);
          open = open(epoch, openFile, null);
          openRows = 0;
          current = open;
        } else {
          current = readRound(epoch, group).iterator();
        }
      }
      return true;
    }

    @Override
    public AuditBatch next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      AuditBatch b = current.next();
      if (open != null) {
        openRows += b.size();
      }
      return b;
    }

    private void finishOpenFile() {
      if (open != null) {
        close();
        checkRows(epoch, openFile, openRows);
      }
    }

    @Override
    public void close() {
      if (open != null) {
        try {
          open.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } finally {
          open = null;
        }
      }
    }
  }

  /** Files grouped for reading: one group per round (training shape) or per file (compacted). */
  private static List<List<CommittedFile>> groups(EpochCommit c) {
    if (c.sorted()) {
      return c.files().stream().map(List::of).toList();
    }
    Map<Integer, List<CommittedFile>> byRound = new TreeMap<>();
    for (CommittedFile f : c.files()) {
      byRound.computeIfAbsent(f.round(), r -> new ArrayList<>()).add(f);
    }
    return new ArrayList<>(byRound.values());
  }

  private List<AuditBatch> readRound(EpochCommit c, List<CommittedFile> files) {
    List<AuditBatch> batches = new ArrayList<>();
    for (CommittedFile f : files) {
      batches.addAll(readFile(c, f));
    }
    batches.sort((a, b) -> a.key().compareTo(b.key()));
    return batches;
  }

  /** Reads one whole committed file after checking its length; checks its rows after reading. */
  private List<AuditBatch> readFile(EpochCommit c, CommittedFile f) {
    List<AuditBatch> out = new ArrayList<>();
    long rows = 0;
    try (AuditFileReader r = open(c, f, null)) {
      while (r.hasNext()) {
        AuditBatch b = r.next();
        rows += b.size();
        out.add(b);
      }
    } catch (IOException e) {
      throw new AuditLogException("Cannot read " + table.locate(c, f) + ": " + e.getMessage(), e);
    }
    checkRows(c, f, rows);
    return out;
  }

  /** Throws when a file held another number of rows than its manifest entry says. */
  private void checkRows(EpochCommit c, CommittedFile f, long rows) {
    if (rows != f.rows()) {
      throw new AuditLogException(
          "Committed file "
              + table.locate(c, f)
              + " has "
              + rows
              + " rows, the manifest says "
              + f.rows());
    }
  }

  /** Opens a committed file after checking that it exists and has its committed length. */
  private AuditFileReader open(EpochCommit c, CommittedFile f, Integer roundFilter) {
    Path path = table.locate(c, f);
    long length;
    try {
      FileStatus st = table.fileSystem().getFileStatus(path);
      length = st.getLen();
    } catch (FileNotFoundException e) {
      throw new AuditLogException(
          "Committed file "
              + path
              + " is missing (listed in the manifest with "
              + f.rows()
              + " rows, "
              + f.bytes()
              + " bytes)");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot stat " + path + ": " + e.getMessage(), e);
    }
    if (length != f.bytes()) {
      throw new AuditLogException(
          "Committed file "
              + path
              + " has "
              + length
              + " bytes, the manifest says "
              + f.bytes()
              + ": it was changed or truncated after commit; Parquet: "
              + footerProblem(path));
    }
    return AuditFileReader.open(conf, path, c.phase(), c.epoch(), roundFilter);
  }

  /**
   * Checks one committed file against its manifest entry without decoding its rows: that it exists,
   * its length, its SHA-256 and that its footer can be read.
   *
   * @return {@code null} when the file is as committed, else what is wrong, naming the file, the
   *     expected and the actual value
   */
  public String check(EpochCommit c, CommittedFile f) {
    Path path = table.locate(c, f);
    try {
      FileStatus st;
      try {
        st = table.fileSystem().getFileStatus(path);
      } catch (FileNotFoundException e) {
        return "Committed file "
            + path
            + " is missing (the manifest lists it with "
            + f.rows()
            + " rows, "
            + f.bytes()
            + " bytes)";
      }
      if (st.getLen() != f.bytes()) {
        return "Committed file "
            + path
            + " has "
            + st.getLen()
            + " bytes, the manifest says "
            + f.bytes()
            + ": it was changed or truncated after commit; Parquet: "
            + footerProblem(path);
      }
      String sha = Checksums.ofFile(table.fileSystem(), path);
      if (!sha.equals(f.sha256())) {
        return "Committed file "
            + path
            + " has SHA-256 "
            + sha
            + ", the manifest says "
            + f.sha256()
            + ": it was changed after commit";
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
}
