package io.batchaudit.store.table;

import static io.batchaudit.testing.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.read.AuditLog;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.OptionalColumns;
import io.batchaudit.store.Phase;
import io.batchaudit.store.RoundStart;
import io.batchaudit.store.parquet.WriterOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rename form's commit moves an epoch's accepted files into the assembly folder side by side,
 * not one rename after the other: one call to the store per file, which on HDFS is a NameNode RPC
 * (an epoch of 100,000 task files took over 12 minutes one at a time).
 */
class RenameCommitTest {
  @TempDir Path tmp;

  /**
   * The local file system, but the second and third renames into an epoch's assembly folder each
   * wait (10 s at most) until the other is running too: one rename at a time never gets past the
   * second.
   */
  public static final class PairedRenames extends LocalFileSystem {
    static final AtomicInteger INTO_ASSEMBLY = new AtomicInteger();
    static final CyclicBarrier PAIR = new CyclicBarrier(2);

    @Override
    public boolean rename(org.apache.hadoop.fs.Path src, org.apache.hadoop.fs.Path dst)
        throws IOException {
      boolean intoAssembly =
          dst.toString().contains("/commit/") && dst.getName().endsWith(".parquet");
      int n = intoAssembly ? INTO_ASSEMBLY.incrementAndGet() : 0;
      if (n == 2 || n == 3) {
        try {
          PAIR.await(10, TimeUnit.SECONDS);
        } catch (TimeoutException | BrokenBarrierException e) {
          throw new IOException("rename " + n + " ran alone: no other rename was in flight");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
      return super.rename(src, dst);
    }
  }

  @Test
  void movesTheAcceptedFilesOfAnEpochSideBySideAndCommitsEveryOne() {
    Configuration conf = new Configuration();
    conf.setClass("fs.file.impl", PairedRenames.class, FileSystem.class);
    conf.setBoolean("fs.file.impl.disable.cache", true);
    PairedRenames.INTO_ASSEMBLY.set(0);
    PairedRenames.PAIR.reset();
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(tmp.resolve("audit").toUri());
    AuditTable table =
        AuditTable.create(
            root,
            conf,
            new RunInfo(
                RunInfo.FORMAT_VERSION,
                "run-renames",
                AuditLayout.defaultStaging(root).toString(),
                "2026-01-01T00:00:00Z",
                "iris",
                "fingerprint",
                null,
                null,
                1,
                8,
                4,
                1,
                OptionalColumns.NONE,
                Map.of(),
                null));
    assertThat(table.layout().protocol()).isEqualTo(CommitProtocol.RENAME);
    assertThat(table.fileSystem()).isInstanceOf(PairedRenames.class);
    StagingArea staging =
        new StagingArea(
            table.layout(), conf, "run-renames", OptionalColumns.NONE, WriterOptions.DEFAULTS);
    List<AcceptedAttempt> accepted = new ArrayList<>();
    for (int p = 0; p < 6; p++) {
      StagingArea.StagedWriter w = staging.open(Phase.TRAIN, 0, 0, p, 1, 0, 10 + p);
      w.write(batch("run-renames", 0, 0, 0, p, 10 + p, 2L * p, 2L * p + 1));
      StagedFile s = w.seal();
      accepted.add(new AcceptedAttempt(0, p, 10 + p, s.batches(), s.rows()));
    }

    table.commitEpoch(Phase.TRAIN, 0, List.of(new RoundStart(0, "params-0", 0.5, 6)), accepted);

    assertThat(PairedRenames.INTO_ASSEMBLY.get()).isEqualTo(6);
    List<EpochCommit> commits = AuditLog.open(root.toString(), conf).commits();
    assertThat(commits).hasSize(1);
    assertThat(commits.get(0).files())
        .extracting(f -> f.partition())
        .containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(commits.get(0).rows()).isEqualTo(12);
    assertThat(AuditLog.open(root.toString(), conf).batches().mapToLong(b -> b.sampleIds().length))
        .containsExactly(2L, 2L, 2L, 2L, 2L, 2L);
  }
}
