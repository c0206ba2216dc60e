package io.batchaudit.store.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchaudit.internal.AuditLogException;
import io.batchaudit.read.AuditLog;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.CommittedFile;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.OptionalColumns;
import io.batchaudit.store.Phase;
import io.batchaudit.store.ValueColumn;
import io.batchaudit.store.table.Compactor;
import io.batchaudit.testing.Batches;
import io.batchaudit.testing.LogBuilder;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The column-level reader: column projection (only the asked column chunks are read), read-ahead on
 * worker threads that keeps the order a sequential read has, and batches that straddle the row
 * groups of a compacted file.
 */
class ColumnarReadTest {
  private static final String RUN = LogBuilder.RUN_ID;
  private final Configuration conf = new Configuration();
  @TempDir Path tmp;

  @Test
  void aProjectionReadsOnlyTheAskedColumnChunksAndLeavesTheOthersNull() throws Exception {
    org.apache.hadoop.fs.Path file =
        new org.apache.hadoop.fs.Path(tmp.resolve("a.parquet").toUri());
    List<AuditBatch> written =
        List.of(
            Batches.batch("run-1", 4, 2, 0, 1, 77, 10, 11, 12),
            Batches.batch("run-1", 4, 2, 1, 1, 77, 13, 14));
    try (AuditFileWriter w =
        AuditFileWriter.create(conf, file, "run-1", OptionalColumns.NONE, WriterOptions.DEFAULTS)) {
      written.forEach(w::write);
    }
    overwriteChunk(file, AuditSchema.PREDICTION);

    List<AuditBatch> read = new ArrayList<>();
    try (AuditFileReader r =
        AuditFileReader.open(conf, file, Phase.TRAIN, 4, null, EnumSet.of(ValueColumn.TARGETS))) {
      r.forEachRemaining(read::add);
    }
    assertThat(read).hasSize(2);
    for (int i = 0; i < 2; i++) {
      AuditBatch w = written.get(i);
      AuditBatch b = read.get(i);
      assertThat(b.key()).isEqualTo(w.key());
      assertThat(b.sampleIds()).containsExactly(w.sampleIds());
      assertThat(b.targets()).isEqualTo(w.targets());
      assertThat(b.step()).isEqualTo(w.step());
      assertThat(b.taskAttemptId()).isEqualTo(w.taskAttemptId());
      assertThat(b.predictions()).isNull();
    }
    // the fault is there: a read of every column decodes the damaged chunk and fails on it
    assertThatThrownBy(
            () -> {
              try (AuditFileReader r = AuditFileReader.open(conf, file, Phase.TRAIN, 4)) {
                r.forEachRemaining(b -> {});
              }
            })
        .isInstanceOf(AuditLogException.class)
        .hasMessageStartingWith("Cannot decode audit file " + file + ": ");
  }

  @Test
  void aBatchReadWithoutPredictionsCannotBeWritten() {
    AuditBatch b = Batches.batch("run-1", 0, 0, 0, 0, 1, 5);
    AuditBatch projected =
        new AuditBatch(
            b.runId(),
            b.key(),
            b.step(),
            b.attempt(),
            b.taskAttemptId(),
            b.batchScore(),
            b.sampleIds(),
            b.targets(),
            null,
            null,
            null,
            null,
            Map.of());
    org.apache.hadoop.fs.Path file =
        new org.apache.hadoop.fs.Path(tmp.resolve("b.parquet").toUri());
    try (AuditFileWriter w =
        AuditFileWriter.create(conf, file, "run-1", OptionalColumns.NONE, WriterOptions.DEFAULTS)) {
      assertThatThrownBy(() -> w.write(projected))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Batch (train epoch 0, round 0, batch 0, partition 0) has no predictions: a batch"
                  + " read with a column projection cannot be written (read it with"
                  + " ValueColumn.ALL)");
    }
  }

  @Test
  void readAheadDeliversEveryBatchBeforeADamagedLaterFileThenItsProblem() throws Exception {
    LogBuilder log = new LogBuilder(tmp.resolve("audit"), 1);
    int rounds = 40;
    for (int round = 0; round < rounds; round++) {
      for (int p = 0; p < 2; p++) {
        long t = round * 10L + p;
        long id = (round * 2L + p) * 4;
        // partition 1 first in the file listing order of the round: the sort must fix it
        log.task(
            0,
            round,
            1 - p,
            t,
            Batches.batch(RUN, 0, round, 0, 1 - p, t, id, id + 1),
            Batches.batch(RUN, 0, round, 1, 1 - p, t, id + 2, id + 3));
      }
    }
    log.commit(0, rounds);
    AuditLog audit = AuditLog.open(log.location(), conf);
    EpochCommit commit = audit.commits().get(0);
    CommittedFile damaged =
        commit.files().stream()
            .filter(f -> f.round() == 30 && f.partition() == 0)
            .findFirst()
            .get();
    Path damagedPath = Path.of(log.table().locate(commit, damaged).toUri());
    Files.write(damagedPath, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

    List<String> keys = new ArrayList<>();
    AuditLogException failure = null;
    try (Stream<AuditBatch> s = AuditLog.open(log.location(), conf).batches()) {
      Iterator<AuditBatch> it = s.iterator();
      while (it.hasNext()) {
        keys.add(it.next().key().toString());
      }
    } catch (AuditLogException e) {
      failure = e;
    }
    List<String> expected = new ArrayList<>();
    for (int round = 0; round < 30; round++) {
      for (int batch = 0; batch < 2; batch++) {
        for (int p = 0; p < 2; p++) {
          expected.add(new BatchKey(0, Phase.TRAIN, round, batch, p).toString());
        }
      }
    }
    assertThat(keys).containsExactlyElementsOf(expected);
    assertThat(failure)
        .isNotNull()
        .hasMessageStartingWith(
            "Committed file "
                + log.table().locate(commit, damaged)
                + " has "
                + (damaged.bytes() + 3)
                + " bytes, the manifest says "
                + damaged.bytes()
                + ": it was changed or truncated after commit; Parquet: ");
  }

  @Test
  void aCompactedFileOfSeveralRowGroupsReadsBackAsCommittedEveryColumnIncluded() throws Exception {
    List<BlockMetaData> groups = compactedReadsBackAsCommitted(1000);
    assertThat(groups).hasSizeGreaterThan(2);
    // a row group boundary falls inside a batch of 500 rows
    assertThat(groups.get(0).getRowCount() % 500).isNotZero();
  }

  @Test
  void aRowGroupLargerThanASliceReadsBackWithTheBatchAcrossTheSliceBoundary() throws Exception {
    List<BlockMetaData> groups = compactedReadsBackAsCommitted(100);
    assertThat(groups).hasSize(1);
    assertThat(groups.get(0).getRowCount()).isGreaterThan(EpochReader.SLICE_ROWS);
    assertThat(EpochReader.SLICE_ROWS % 500).isNotZero();
  }

  /**
   * Writes 6 rounds x 2 partitions x 2 batches of 500 rows with {@code width} features, loss and an
   * activation, compacts them into one file, and checks that the compacted epoch reads back as the
   * committed one did, and with no value column as its keys and ids; returns the row groups.
   */
  private List<BlockMetaData> compactedReadsBackAsCommitted(int width) throws Exception {
    OptionalColumns columns = new OptionalColumns(true, false, true, List.of("h"));
    LogBuilder log = new LogBuilder(tmp.resolve("audit"), 1, columns);
    for (int round = 0; round < 6; round++) {
      for (int p = 0; p < 2; p++) {
        long t = round * 10L + p;
        List<AuditBatch> batches = new ArrayList<>();
        for (int batch = 0; batch < 2; batch++) {
          long first = ((round * 2L + p) * 2 + batch) * 500;
          long[] ids = new long[500];
          for (int i = 0; i < ids.length; i++) {
            ids[i] = first + i;
          }
          batches.add(wide(Batches.batch(RUN, 0, round, batch, p, t, ids), width));
        }
        log.task(0, round, p, t, batches.toArray(AuditBatch[]::new));
      }
    }
    log.commit(0, 6);
    List<AuditBatch> committed = all(AuditLog.open(log.location(), conf));
    assertThat(committed).hasSize(24);

    Compactor.Result r =
        Compactor.compact(log.table(), conf, Phase.TRAIN, 0, 1L << 30, Duration.ZERO);
    assertThat(r.compacted()).isTrue();
    CommittedFile file = r.after().files().get(0);
    List<BlockMetaData> groups;
    try (ParquetFileReader footer =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(log.table().locate(r.after(), file), conf))) {
      groups = footer.getRowGroups();
    }
    AuditLog compacted = AuditLog.open(log.location(), conf);
    assertThat(compacted.commits().get(0).sorted()).isTrue();
    assertThat(all(compacted)).containsExactlyElementsOf(committed);

    List<AuditBatch> ids;
    try (Stream<AuditBatch> s = compacted.batches(ValueColumn.NONE)) {
      ids = s.toList();
    }
    assertThat(ids)
        .extracting(AuditBatch::key)
        .containsExactlyElementsOf(committed.stream().map(AuditBatch::key).toList());
    for (int i = 0; i < ids.size(); i++) {
      assertThat(ids.get(i).sampleIds()).containsExactly(committed.get(i).sampleIds());
      assertThat(ids.get(i).targets()).isNull();
      assertThat(ids.get(i).predictions()).isNull();
      assertThat(ids.get(i).features()).isNull();
      assertThat(ids.get(i).loss()).isNull();
      assertThat(ids.get(i).activations()).isEmpty();
    }
    return groups;
  }

  private static List<AuditBatch> all(AuditLog log) {
    try (Stream<AuditBatch> s = log.batches()) {
      return s.toList();
    }
  }

  private static AuditBatch wide(AuditBatch b, int width) {
    int n = b.size();
    float[] features = new float[n * width];
    float[] loss = new float[n];
    float[] h = new float[n * 2];
    for (int r = 0; r < n; r++) {
      long id = b.sampleIds()[r];
      // incompressible: the writer sizes row groups by their compressed bytes
      java.util.SplittableRandom random = new java.util.SplittableRandom(id);
      for (int c = 0; c < width; c++) {
        features[r * width + c] = (float) random.nextDouble();
      }
      loss[r] = id / 3f;
      h[2 * r] = id;
      h[2 * r + 1] = -id;
    }
    return new AuditBatch(
        b.runId(),
        b.key(),
        b.step(),
        b.attempt(),
        b.taskAttemptId(),
        b.batchScore(),
        b.sampleIds(),
        b.targets(),
        b.predictions(),
        new FloatMatrix(n, width, features),
        null,
        loss,
        Map.of("h", new FloatMatrix(n, 2, h)));
  }

  /** Overwrites the bytes of {@code column}'s chunk in every row group, keeping the length. */
  private void overwriteChunk(org.apache.hadoop.fs.Path file, String column) throws Exception {
    List<long[]> ranges = new ArrayList<>();
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      for (BlockMetaData b : r.getRowGroups()) {
        for (ColumnChunkMetaData c : b.getColumns()) {
          if (c.getPath().toArray()[0].equals(column)) {
            ranges.add(new long[] {c.getStartingPos(), c.getTotalSize()});
          }
        }
      }
    }
    assertThat(ranges).isNotEmpty();
    try (RandomAccessFile f = new RandomAccessFile(file.toUri().getPath(), "rw")) {
      for (long[] range : ranges) {
        f.seek(range[0]);
        byte[] garbage = new byte[(int) range[1]];
        java.util.Arrays.fill(garbage, (byte) 0x5a);
        f.write(garbage);
      }
    }
  }
}
