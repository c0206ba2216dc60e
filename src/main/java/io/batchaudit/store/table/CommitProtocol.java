package io.batchaudit.store.table;

import io.batchaudit.store.hadoop.NewFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * How an audit log commits its epochs and generations: the one contract of the store, for both of
 * its forms. Chosen when the log is created ({@link #choose}) and recorded in its run file, so that
 * every command that opens the log later follows the same protocol, whatever it would detect.
 *
 * <h2>Executor side (every task attempt; {@link StagingArea})</h2>
 *
 * <ol>
 *   <li><b>write</b>: the attempt creates its own file, named by its partition and Spark task
 *       attempt id (unique for the application, so retries and speculative copies never share a
 *       name; exclusively where the store can exclude, see {@link NewFiles}), and appends its
 *       batches.
 *   <li><b>commit</b> ({@link StagingArea.StagedWriter#seal}): closes the file, reads its footer
 *       back from the store at the length written and checks it against what was written, and
 *       writes a marker (rows, bytes, batches, SHA-256) into {@code <staging>/tasks/}. A sealed
 *       attempt is a candidate, not committed.
 *   <li><b>abort</b> ({@link StagingArea.StagedWriter#abort}): a failed attempt deletes its file
 *       and marker, as far as it can. An attempt that dies without aborting (executor killed)
 *       leaves a partial file without marker: never named by a manifest, so never read by the
 *       project's reader; deleted by the epoch's commit or by {@code vacuum}.
 * </ol>
 *
 * Retries and speculative copies may each write and seal their own file; several candidates for one
 * (round, partition) are normal.
 *
 * <h2>Driver side ({@link AuditTable#commitEpoch}, {@link Compactor}, {@link Vacuum})</h2>
 *
 * <ol>
 *   <li><b>commit an epoch</b> from the attempts Spark accepted (one per round and partition, taken
 *       from the task results that reached the driver, never from what staging holds): each
 *       accepted candidate's marker and length are checked, then the epoch's manifest is published
 *       by the protocol's commit point; candidates of other attempts are deleted after it.
 *   <li><b>compact</b> an epoch: a next generation written and checked in full, then published by
 *       the same commit point; the replaced generation is deleted only after the grace period and
 *       only once the new manifest is durable.
 *   <li><b>vacuum</b>: deletes what no live manifest names and is older than the retention; never a
 *       file that a live manifest names.
 * </ol>
 *
 * <h2>The two forms</h2>
 *
 * <ul>
 *   <li>{@link #RENAME}, on stores whose directory rename is atomic (HDFS, local disks): attempts
 *       write into staging; an epoch is assembled in {@code <staging>/commit/} with its manifest
 *       and published by one directory rename into the audit folder; compaction swaps generations
 *       by two renames ({@link GenerationSwap}, settled by whatever opens the log). Plain readers
 *       globbing the folder see an epoch appear whole.
 *   <li>{@link #MANIFEST}, on stores where a rename is a copy (S3 through s3a): nothing depends on
 *       a rename. Attempts write straight to their final place in the epoch folder; an epoch or a
 *       generation is committed when its manifest, written last, appears in {@code
 *       _batch_audit/commits/} (one small object, visible whole or not at all); the project's
 *       reader learns what is committed from those manifests only, never from listing data files.
 *       Commit time grows with the number of files (one manifest line each), not with their bytes.
 *       An interrupted commit or compaction needs no settling: without its manifest it does not
 *       exist, its files are ignored and later deleted. Plain readers globbing the folder see the
 *       files of running and discarded attempts until the commit deletes them, and, after a
 *       compaction, both generations until the grace period ends: they read {@code batch-audit
 *       files}.
 * </ul>
 *
 * <p>What the project's reader may see at each step, on both forms: an epoch is absent until its
 * commit point and complete after it; a compaction's old generation stays readable (for readers
 * that listed it) through the grace period.
 */
public enum CommitProtocol {
  RENAME("rename"),
  MANIFEST("manifest");

  private final String label;

  CommitProtocol(String label) {
    this.label = label;
  }

  /** The name in {@code run.json} and in the {@code audit.commit-protocol} key. */
  public String label() {
    return label;
  }

  /**
   * The protocol of a run file's value; {@code null} (a log written before the field existed) is
   * {@link #RENAME}, the only protocol there was.
   */
  public static CommitProtocol ofLabel(String label) {
    if (label == null) {
      return RENAME;
    }
    for (CommitProtocol p : values()) {
      if (p.label.equals(label.toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown commit protocol '" + label + "': use rename or manifest");
  }

  /**
   * The protocol for a new log in {@code root}: {@code requested} when it names one, otherwise
   * ({@code auto}) detected from the file system ({@link #detect}).
   */
  public static CommitProtocol choose(String requested, FileSystem fs, Path root) {
    return requested == null || requested.equalsIgnoreCase("auto")
        ? detect(fs, root)
        : ofLabel(requested);
  }

  /**
   * {@link #MANIFEST} when the file system declares itself an object store through Hadoop's path
   * capabilities, {@link #RENAME} otherwise. An object store is one whose output streams can be
   * aborted ({@code fs.capability.outputstream.abortable}: nothing is visible before {@code
   * close()}, as S3A declares) or that has ETags it does not keep across a rename ({@code
   * fs.capability.etags.available} without {@code fs.capability.etags.preserved.in.rename}: a
   * rename there is a copy). HDFS and local disks declare neither. A store that declares neither
   * but copies on rename is chosen with {@code audit.commit-protocol = manifest}.
   */
  public static CommitProtocol detect(FileSystem fs, Path root) {
    try {
      boolean abortable = fs.hasPathCapability(root, CommonPathCapabilities.ABORTABLE_STREAM);
      boolean etagsLostInRename =
          fs.hasPathCapability(root, CommonPathCapabilities.ETAGS_AVAILABLE)
              && !fs.hasPathCapability(root, CommonPathCapabilities.ETAGS_PRESERVED_IN_RENAME);
      return abortable || etagsLostInRename ? MANIFEST : RENAME;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot ask " + fs.getUri() + " what it supports: " + e.getMessage(), e);
    }
  }
}
