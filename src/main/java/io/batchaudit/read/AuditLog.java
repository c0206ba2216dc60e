package io.batchaudit.read;

import io.batchaudit.internal.AuditLogException;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.CommittedFile;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.Phase;
import io.batchaudit.store.ValueColumn;
import io.batchaudit.store.parquet.EpochReader;
import io.batchaudit.store.table.AuditTable;
import io.batchaudit.store.table.RunInfo;
import io.batchaudit.store.table.RunState;
import java.util.List;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A committed audit log, read on the driver.
 *
 * <p>Only committed epochs are visible; staged and uncommitted files never are. The list of epochs
 * is taken when the log is opened. Batches come in training order: by epoch, phase, averaging
 * round, batch index, then partition (see {@link io.batchaudit.store.BatchKey}). Reading is
 * streamed: an epoch as training committed it is read one averaging round at a time (memory: one
 * round's batches), a compacted epoch one batch at a time. A reader that opened the log before a
 * compaction keeps reading the generation it listed (kept for the grace period).
 *
 * <p>Every file is checked against the manifest: its length before reading, its rows after; a
 * mismatch, a missing file or a file that cannot be decoded raises {@link AuditLogException} naming
 * the file, what was expected and what was found. Streams hold an open file and decode ahead on
 * worker threads (in order: see {@link EpochReader}): close them. A caller that needs only some
 * value columns says which ({@link ValueColumn}): only those column chunks are read.
 */
public final class AuditLog {
  private final AuditTable table;
  private final Configuration conf;
  private final EpochReader reader;
  private final List<EpochCommit> commits;

  private AuditLog(AuditTable table, Configuration conf) {
    this.table = table;
    this.conf = conf;
    this.reader = new EpochReader(table, conf);
    this.commits = table.commits();
  }

  /** Opens the audit folder at {@code uri} (any Hadoop file system URI or local path). */
  public static AuditLog open(String uri, Configuration conf) {
    return new AuditLog(AuditTable.open(new Path(uri), conf), conf);
  }

  public RunInfo run() {
    return table.runInfo();
  }

  /**
   * Whether the run finished, as the table records it now (unlike {@link #commits}, not fixed when
   * the log was opened).
   */
  public RunState state() {
    return table.state();
  }

  /** The audit folder, fully qualified. */
  public String location() {
    return table.layout().root().toString();
  }

  /** The committed epochs' manifests, in (epoch, phase) order. */
  public List<EpochCommit> commits() {
    return commits;
  }

  /**
   * Exactly the committed data files, as fully qualified URIs where each is now (in the audit
   * folder, or in {@code retired/} for a generation a reader listed before a compaction replaced
   * it), in (epoch, phase) order and each epoch's manifest order. From the manifests this log
   * listed when it was opened, never from a listing of data files: on any store, a plain reader
   * given this list reads the committed rows, each once.
   */
  public List<String> committedFiles() {
    List<String> files = new java.util.ArrayList<>();
    for (EpochCommit c : commits) {
      for (CommittedFile f : c.files()) {
        files.add(table.locate(c, f).toUri().toString());
      }
    }
    return files;
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
    return batches(ValueColumn.ALL);
  }

  /**
   * All committed batches in training order, with only the value columns {@code columns} read
   * (column projection: the other column chunks are not read from the files, and the batches'
   * fields for them are {@code null}); keys and sample ids are always read. The caller closes the
   * stream.
   */
  public Stream<AuditBatch> batches(Set<ValueColumn> columns) {
    return stream(commits, columns);
  }

  /**
   * The committed batches in training order, leaving out the files {@code include} rejects (for
   * example files a check found damaged). The caller closes the stream.
   */
  public Stream<AuditBatch> batches(Predicate<CommittedFile> include) {
    return batches(include, ValueColumn.ALL);
  }

  /**
   * As {@link #batches(Predicate)}, with only the value columns {@code columns} read (see {@link
   * #batches(Set)}).
   */
  public Stream<AuditBatch> batches(Predicate<CommittedFile> include, Set<ValueColumn> columns) {
    return stream(
        commits.stream()
            .map(c -> c.withFiles(c.files().stream().filter(include).toList()))
            .toList(),
        columns);
  }

  /**
   * The batches of one committed (epoch, phase) {@code commit} of this log, in training order,
   * leaving out the files {@code include} rejects, with only the value columns {@code columns} read
   * (see {@link #batches(Set)}). The caller closes the stream.
   */
  Stream<AuditBatch> batches(
      EpochCommit commit, Predicate<CommittedFile> include, Set<ValueColumn> columns) {
    return stream(
        List.of(commit.withFiles(commit.files().stream().filter(include).toList())), columns);
  }

  /** The committed batches of one epoch (all phases) in training order; empty if not committed. */
  public Stream<AuditBatch> batches(int epoch) {
    return batches(epoch, ValueColumn.ALL);
  }

  /**
   * As {@link #batches(int)}, with only the value columns {@code columns} read (see {@link
   * #batches(Set)}).
   */
  public Stream<AuditBatch> batches(int epoch, Set<ValueColumn> columns) {
    return stream(commits.stream().filter(c -> c.epoch() == epoch).toList(), columns);
  }

  /** The batches of one averaging round of one epoch's training phase, in training order. */
  public List<AuditBatch> round(int epoch, int round) {
    for (EpochCommit c : commits) {
      if (c.epoch() == epoch && c.phase() == Phase.TRAIN) {
        return reader.round(c, round);
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

  /**
   * Checks one committed file against its manifest entry (exists, length, SHA-256, footer, rows).
   *
   * @return {@code null} when it is as committed, else what is wrong
   */
  public String check(EpochCommit commit, CommittedFile file) {
    return reader.check(commit, file);
  }

  /** The table this log reads, for the checks of this package. */
  AuditTable table() {
    return table;
  }

  /** The Hadoop configuration the log was opened with. */
  Configuration conf() {
    return conf;
  }

  private Stream<AuditBatch> stream(List<EpochCommit> selected, Set<ValueColumn> columns) {
    EpochReader.CloseableIterator it = reader.batches(selected, columns);
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(it::close);
  }
}
