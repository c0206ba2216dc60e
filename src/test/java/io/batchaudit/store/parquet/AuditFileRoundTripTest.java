package io.batchaudit.store.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.OptionalColumns;
import io.batchaudit.store.Phase;
import io.batchaudit.testing.Batches;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditFileRoundTripTest {
  private final Configuration conf = new Configuration();
  @TempDir Path tmp;

  private static AuditBatch withExtras(AuditBatch b, boolean mask) {
    int n = b.size();
    float[] features = new float[n * 4];
    float[] maskValues = new float[n * 3];
    float[] loss = new float[n];
    float[] act = new float[n * 2];
    for (int i = 0; i < features.length; i++) {
      features[i] = i * 0.25f - 1;
    }
    for (int i = 0; i < maskValues.length; i++) {
      maskValues[i] = i % 2;
    }
    for (int i = 0; i < n; i++) {
      loss[i] = 0.1f * i;
      act[2 * i] = i;
      act[2 * i + 1] = -i;
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
        new FloatMatrix(n, 4, features),
        mask ? new FloatMatrix(n, 3, maskValues) : null,
        loss,
        Map.of("1", new FloatMatrix(n, 2, act)));
  }

  @Test
  void readsBackEveryBatchWithAllOptionalColumnsInWriteOrder() throws Exception {
    OptionalColumns all = new OptionalColumns(true, true, true, List.of("1"));
    org.apache.hadoop.fs.Path file =
        new org.apache.hadoop.fs.Path(tmp.resolve("a.parquet").toString());
    List<AuditBatch> written =
        List.of(
            withExtras(Batches.batch("run-1", 4, 2, 0, 1, 77, 10, 11, 12), true),
            withExtras(Batches.batch("run-1", 4, 2, 1, 1, 77, 13, 14), false),
            withExtras(Batches.batch("run-1", 4, 2, 2, 1, 77, 15), true));
    try (AuditFileWriter w =
        AuditFileWriter.create(conf, file, "run-1", all, WriterOptions.DEFAULTS)) {
      written.forEach(w::write);
      assertThat(w.rows()).isEqualTo(6);
    }

    List<AuditBatch> read = new ArrayList<>();
    try (AuditFileReader r = AuditFileReader.open(conf, file, Phase.TRAIN, 4)) {
      r.forEachRemaining(read::add);
    }
    assertThat(read).containsExactlyElementsOf(written);
    assertThat(AuditFileReader.footerRowCount(conf, file)).isEqualTo(6);
    try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      assertThat(footer.getFileMetaData().getKeyValueMetaData())
          .containsEntry(AuditFileWriter.RUN_ID_METADATA_KEY, "run-1");
      MessageType schema = footer.getFileMetaData().getSchema();
      assertThat(schema.getFields())
          .extracting(org.apache.parquet.schema.Type::getName)
          .containsExactly(
              "run_id",
              "round",
              "partition",
              "batch",
              "step",
              "attempt",
              "task_attempt_id",
              "row",
              "sample_id",
              "batch_score",
              "target",
              "prediction",
              "features",
              "label_mask",
              "loss",
              "activation_1");
    }
  }

  @Test
  void refusesToOverwriteAnExistingFile() {
    org.apache.hadoop.fs.Path file =
        new org.apache.hadoop.fs.Path(tmp.resolve("b.parquet").toString());
    AuditFileWriter.create(conf, file, "r", OptionalColumns.NONE, WriterOptions.DEFAULTS).close();
    assertThatThrownBy(
            () ->
                AuditFileWriter.create(
                    conf, file, "r", OptionalColumns.NONE, WriterOptions.DEFAULTS))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("Cannot create audit file " + file);
  }

  @Test
  void refusesBatchesOfAnotherEpochInTheSameFile() {
    org.apache.hadoop.fs.Path file =
        new org.apache.hadoop.fs.Path(tmp.resolve("c.parquet").toString());
    try (AuditFileWriter w =
        AuditFileWriter.create(conf, file, "r", OptionalColumns.NONE, WriterOptions.DEFAULTS)) {
      w.write(Batches.batch("r", 0, 0, 0, 0, 1, 1));
      assertThatThrownBy(() -> w.write(Batches.batch("r", 1, 0, 0, 0, 1, 2)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Audit file "
                  + file
                  + " holds train epoch 0; batch (train epoch 1, round 0, batch 0,"
                  + " partition 0) belongs to another file");
    }
  }

  @Test
  void rejectsUnknownCompressionWithTheAllowedValues() {
    assertThatThrownBy(() -> new WriterOptions("lz5", 1 << 20))
        .hasMessage("Unknown compression 'lz5': use uncompressed, snappy, gzip or zstd");
  }
}
