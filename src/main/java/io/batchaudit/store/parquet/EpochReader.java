package io.batchaudit.store.parquet;

import io.batchaudit.internal.AuditLogException;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.CommittedFile;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.ValueColumn;
import io.batchaudit.store.hadoop.Checksums;
import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.InputFile;

/**
 * Reads committed epochs in training order, checking every file against its manifest entry.
 *
 * <p>Two shapes of epoch: as committed by training (one file per round and partition), read one
 * averaging round at a time (memory: one round's batches) and sorted within the round; and
 * compacted (a few files already in training order), read file after file, batch after batch
 * (memory: the compressed column chunks of a row group and a few decoded slices). Runs on the
 * driver.
 *
 * <p>Decoding runs ahead of the caller on a few worker threads ({@link ReadAhead}): whole files of
 * a committed epoch, and slices of {@link #SLICE_ROWS} rows of a compacted file's row groups, each
 * column chunk apart (so that one row group keeps every worker busy and is never decoded whole).
 * The results are taken in the order a sequential read would produce them, so the order of the
 * batches, which file's problem is reported and what is delivered before it are those of a
 * sequential read. Read-ahead is bounded: at most {@link #AHEAD_ROWS} rows beyond what the caller
 * holds (at least one file or row group).
 */
public final class EpochReader {
  /** Rows decoded ahead of the caller at most (beyond one task): about 50 MB decoded. */
  static final long AHEAD_ROWS = 300_000;

  /**
   * Rows of a compacted row group decoded at once: the decoded arrays stay below G1's humongous
   * size at a 256 MiB heap (half a 1 MiB region), and the slices of a row group spread over the
   * workers.
   */
  static final int SLICE_ROWS = 8192;

  /**
   * What the reader needs of a table: where each committed file is now, and the file system that
   * holds it. {@code store.table.AuditTable} is the one implementation.
   */
  public interface Table {
    FileSystem fileSystem();

    Path locate(EpochCommit commit, CommittedFile file);
  }

  private final Table table;
  private final Configuration conf;

  public EpochReader(Table table, Configuration conf) {
    this.table = table;
    this.conf = conf;
  }

  /** Batches of the given epochs in training order; the caller closes the iterator. */
  public CloseableIterator batches(List<EpochCommit> epochs) {
    return batches(epochs, ValueColumn.ALL);
  }

  /**
   * Batches of the given epochs in training order with only the value columns {@code columns}
   * decoded (the others' fields are {@code null}); the caller closes the iterator.
   */
  public CloseableIterator batches(List<EpochCommit> epochs, Set<ValueColumn> columns) {
    return new Batches(epochs, Set.copyOf(columns));
  }

  /** The batches of one averaging round of {@code commit}, in training order. */
  public List<AuditBatch> round(EpochCommit commit, int round) {
    List<AuditBatch> out = new ArrayList<>();
    for (CommittedFile f : commit.files()) {
      if (f.round() <= round && round <= f.lastRound()) {
        try (AuditFileReader r = open(commit, f, commit.sorted() ? round : null, ValueColumn.ALL)) {
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

  /** What the consumer takes next: the results of the tasks it was planned with, in order. */
  private sealed interface Step {}

  /** A round of a committed epoch: one result per file, each the file's batches. */
  private record RoundStep(EpochCommit commit, int files) implements Step {}

  /**
   * A file of a compacted epoch: {@code parts} results per slice of its row groups, or the failure
   * to open it.
   */
  private record FileStep(
      EpochCommit commit,
      CommittedFile file,
      Path path,
      int slices,
      int parts,
      Set<ValueColumn> columns,
      RuntimeException failure)
      implements Step {}

  private record Task(Callable<?> call, long weight) {}

  private final class Batches implements CloseableIterator {
    private final Iterator<EpochCommit> epochs;
    private final Set<ValueColumn> columns;
    private final ReadAhead ahead = new ReadAhead(AHEAD_ROWS);
    private final ArrayDeque<Step> steps = new ArrayDeque<>();
    private final ArrayDeque<Task> pending = new ArrayDeque<>();

    /** The cursors of compacted row groups planned and not finished: close() abandons them. */
    private final Set<PartCursor> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private EpochCommit planning;
    private Iterator<List<CommittedFile>> groups = Collections.emptyIterator();
    private Iterator<AuditBatch> current = Collections.emptyIterator();
    private EpochCommit epoch;
    private AuditFileReader file;
    private CommittedFile openFile;
    private long openRows;

    Batches(List<EpochCommit> selected, Set<ValueColumn> columns) {
      this.epochs = selected.iterator();
      this.columns = columns;
    }

    @Override
    public boolean hasNext() {
      while (!current.hasNext()) {
        finishOpenFile();
        fill();
        Step step = steps.poll();
        if (step == null) {
          ahead.close();
          return false;
        }
        if (step instanceof RoundStep r) {
          epoch = r.commit();
          List<AuditBatch> batches = new ArrayList<>();
          for (int i = 0; i < r.files(); i++) {
            fill();
            @SuppressWarnings("unchecked")
            List<AuditBatch> file = (List<AuditBatch>) ahead.take();
            batches.addAll(file);
          }
          batches.sort((a, b) -> a.key().compareTo(b.key()));
          current = batches.iterator();
        } else if (step instanceof FileStep f) {
          if (f.failure() != null) {
            throw f.failure();
          }
          epoch = f.commit();
          openFile = f.file();
          file =
              new AuditFileReader(
                  f.path(), new AheadRowGroups(f), f.commit().phase(), f.commit().epoch(), null);
          openRows = 0;
          current = file;
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
      if (file != null) {
        openRows += b.size();
      }
      return b;
    }

    /** Submits planned tasks while the read-ahead has room, planning files as needed. */
    private void fill() {
      while (true) {
        if (pending.isEmpty()) {
          if (!plan()) {
            return;
          }
          continue; // a step may come with no task: a file that failed to open, or holds no rows
        }
        Task t = pending.peek();
        if (!ahead.hasRoom(t.weight())) {
          return;
        }
        pending.poll();
        ahead.submit(t.call(), t.weight());
      }
    }

    /** Plans the next round or file: its step and its tasks; false when all are planned. */
    private boolean plan() {
      while (!groups.hasNext()) {
        if (!epochs.hasNext()) {
          return false;
        }
        planning = epochs.next();
        groups = groups(planning).iterator();
      }
      EpochCommit c = planning;
      List<CommittedFile> group = groups.next();
      if (!c.sorted()) {
        steps.add(new RoundStep(c, group.size()));
        for (CommittedFile f : group) {
          pending.add(new Task(() -> readFile(c, f, columns), f.rows()));
        }
        return true;
      }
      CommittedFile f = group.get(0);
      Path path;
      ParquetMetadata footer;
      try {
        path = checkCommitted(c, f);
        footer = footer(path);
      } catch (RuntimeException e) {
        steps.add(new FileStep(c, f, null, 0, 0, columns, e));
        return true;
      }
      FileProjection all = FileProjection.of(footer.getFileMetaData().getSchema(), columns);
      List<FileProjection> parts = new ArrayList<>();
      parts.add(all.part(all.scalars(), List.of()));
      for (FileProjection.ListLeaf l : all.lists()) {
        parts.add(all.part(List.of(), List.of(l)));
      }
      List<BlockMetaData> blocks = footer.getBlocks();
      int slices = 0;
      List<Task> tasks = new ArrayList<>();
      for (int b = 0; b < blocks.size(); b++) {
        long rows = blocks.get(b).getRowCount();
        List<PartCursor> cursors = new ArrayList<>();
        for (FileProjection part : parts) {
          PartCursor cursor = new PartCursor(path, footer, b, part, this);
          cursors.add(cursor);
          open.add(cursor);
        }
        for (long from = 0; from < rows; from += SLICE_ROWS) {
          int n = (int) Math.min(SLICE_ROWS, rows - from);
          int slice = slices++;
          for (int p = 0; p < cursors.size(); p++) {
            PartCursor cursor = cursors.get(p);
            int index = (int) (from / SLICE_ROWS);
            tasks.add(new Task(() -> cursor.slice(index, n), p == 0 ? n : 0));
          }
        }
      }
      steps.add(new FileStep(c, f, path, slices, parts.size(), columns, null));
      pending.addAll(tasks);
      return true;
    }

    private void finishOpenFile() {
      if (file != null) {
        closeOpenFile();
        checkRows(epoch, openFile, openRows);
      }
    }

    /** Closes the open file and cancels the read-ahead. */
    @Override
    public void close() {
      try {
        closeOpenFile();
      } finally {
        ahead.close();
        for (PartCursor c : open) {
          c.abandon();
        }
        open.clear();
      }
    }

    private void closeOpenFile() {
      if (file != null) {
        try {
          file.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } finally {
          file = null;
        }
      }
    }

    /** The slices of a compacted file's row groups, as the workers decoded them, part by part. */
    private final class AheadRowGroups implements AuditFileReader.RowGroups {
      private final FileStep file;
      private int taken;

      AheadRowGroups(FileStep file) {
        this.file = file;
      }

      @Override
      public DecodedRows next() {
        if (taken == file.slices()) {
          return null;
        }
        taken++;
        List<DecodedRows> parts = new ArrayList<>(file.parts());
        for (int p = 0; p < file.parts(); p++) {
          fill();
          parts.add((DecodedRows) ahead.take());
        }
        return DecodedRows.merge(parts);
      }

      @Override
      public Set<ValueColumn> columns() {
        return file.columns();
      }

      @Override
      public void close() {
        // the parts not taken stay with the read-ahead, which close() of the read cancels
      }
    }
  }

  /** The footer of a committed file whose length was checked; errors as a reader words them. */
  private ParquetMetadata footer(Path path) {
    InputFile file;
    try {
      file = HadoopInputFile.fromPath(path, conf);
    } catch (IOException | RuntimeException e) {
      throw new AuditLogException("Cannot open audit file " + path + ": " + e.getMessage(), e);
    }
    try (ParquetFileReader r = ParquetFileReader.open(file)) {
      return r.getFooter();
    } catch (IOException | RuntimeException e) {
      throw AuditFileReader.decodeFailure(path, e);
    }
  }

  /**
   * One part (some columns) of one row group of a compacted file, decoded a slice of {@link
   * #SLICE_ROWS} rows at a time by the read-ahead workers, in slice order: a worker given slice
   * {@code k} waits until slice {@code k - 1} is done (the pool takes tasks in submission order, so
   * that slice is running already: no deadlock). Opens its own reader of the file (parquet-java's
   * readers and decompressors are not shared between threads) and closes it after the last slice,
   * on a failure, or when the read is closed.
   */
  private final class PartCursor {
    private final Path path;
    private final ParquetMetadata footer;
    private final int block;
    private final FileProjection part;
    private final Batches read;
    private ParquetFileReader reader;
    private DecodedRows.Cursor cursor;
    private int next;
    private boolean abandoned;

    PartCursor(Path path, ParquetMetadata footer, int block, FileProjection part, Batches read) {
      this.path = path;
      this.footer = footer;
      this.block = block;
      this.part = part;
      this.read = read;
    }

    @SuppressWarnings("deprecation") // the constructor that takes the footer read already
    synchronized DecodedRows slice(int index, int rows) throws InterruptedException {
      while (next != index && !abandoned) {
        wait();
      }
      if (abandoned) {
        throw new AuditLogException("The read of " + path + " was closed");
      }
      try {
        if (cursor == null) {
          reader = new ParquetFileReader(conf, path, footer);
          reader.setRequestedSchema(part.schema());
          PageReadStore pages = reader.readRowGroup(block);
          cursor =
              new DecodedRows.Cursor(
                  pages, part, AuditFileReader.writer(footer), footer.getBlocks().get(block));
        }
        DecodedRows d = cursor.next(rows);
        if (cursor.left() == 0) {
          release();
        }
        return d;
      } catch (IOException | RuntimeException e) {
        abandoned = true;
        release();
        throw AuditFileReader.decodeFailure(path, e);
      } finally {
        next++;
        notifyAll();
      }
    }

    synchronized void abandon() {
      abandoned = true;
      release();
      notifyAll();
    }

    private void release() {
      read.open.remove(this);
      cursor = null;
      if (reader != null) {
        try {
          reader.close();
        } catch (IOException e) {
          // nothing was written: a failed close of a reader loses nothing
        }
        reader = null;
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

  /**
   * Reads one whole committed file after checking its length; checks its rows after reading. Runs
   * on a read-ahead worker.
   */
  private List<AuditBatch> readFile(EpochCommit c, CommittedFile f, Set<ValueColumn> columns) {
    List<AuditBatch> out = new ArrayList<>();
    long rows = 0;
    try (AuditFileReader r = open(c, f, null, columns)) {
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
  private AuditFileReader open(
      EpochCommit c, CommittedFile f, Integer roundFilter, Set<ValueColumn> columns) {
    Path path = checkCommitted(c, f);
    return AuditFileReader.open(conf, path, c.phase(), c.epoch(), roundFilter, columns);
  }

  /** Where a committed file is, after checking that it exists and has its committed length. */
  private Path checkCommitted(EpochCommit c, CommittedFile f) {
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
    return path;
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
