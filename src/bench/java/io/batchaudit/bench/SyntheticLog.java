package io.batchaudit.bench;

import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.OptionalColumns;
import io.batchaudit.store.Phase;
import io.batchaudit.store.RoundStart;
import io.batchaudit.store.parquet.WriterOptions;
import io.batchaudit.store.table.AcceptedAttempt;
import io.batchaudit.store.table.AuditLayout;
import io.batchaudit.store.table.AuditTable;
import io.batchaudit.store.table.RunInfo;
import io.batchaudit.store.table.StagedFile;
import io.batchaudit.store.table.StagingArea;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Writes an audit log of a given shape without training, through the same staging, sealing and
 * commit code a training run uses: per epoch, {@code rounds} averaging rounds of {@code partitions}
 * task files of {@code batchSize}-row batches; one-hot targets and softmax-like predictions of
 * {@code width} classes.
 */
final class SyntheticLog {
  private SyntheticLog() {}

  static void write(
      Path root,
      int epochs,
      long rowsPerEpoch,
      int rounds,
      int partitions,
      int batchSize,
      int width) {
    Configuration conf = new Configuration();
    String runId = "bench-" + Long.toHexString(System.nanoTime());
    RunInfo info =
        new RunInfo(
            RunInfo.FORMAT_VERSION,
            runId,
            AuditLayout.defaultStaging(root).toString(),
            Instant.now().toString(),
            "synthetic:rows=" + rowsPerEpoch + ",features=4,classes=" + width,
            "none",
            null,
            null,
            epochs,
            batchSize,
            partitions,
            Integer.MAX_VALUE,
            OptionalColumns.NONE,
            Map.of("audit.compression", WriterOptions.DEFAULTS.compression()),
            null);
    AuditTable table = AuditTable.create(root, conf, info);
    StagingArea staging =
        new StagingArea(table.layout(), conf, runId, OptionalColumns.NONE, WriterOptions.DEFAULTS);
    SplittableRandom random = new SplittableRandom(42);
    long task = 0;
    for (int epoch = 0; epoch < epochs; epoch++) {
      List<RoundStart> starts = new ArrayList<>();
      List<AcceptedAttempt> accepted = new ArrayList<>();
      long sampleId = 0;
      for (int round = 0; round < rounds; round++) {
        starts.add(new RoundStart(round, "bench", 0.5, partitions));
        for (int p = 0; p < partitions; p++) {
          long rows =
              rowsPerEpoch * (round * (long) partitions + p + 1) / ((long) rounds * partitions)
                  - rowsPerEpoch * (round * (long) partitions + p) / ((long) rounds * partitions);
          StagingArea.StagedWriter w = staging.open(Phase.TRAIN, epoch, round, p, 1, 0, task);
          int batch = 0;
          for (long written = 0; written < rows; written += batchSize) {
            int n = (int) Math.min(batchSize, rows - written);
            long[] ids = new long[n];
            float[] targets = new float[n * width];
            float[] predictions = new float[n * width];
            for (int r = 0; r < n; r++) {
              ids[r] = sampleId++;
              targets[r * width + random.nextInt(width)] = 1f;
              float sum = 0;
              for (int c = 0; c < width; c++) {
                float v = (float) random.nextDouble();
                predictions[r * width + c] = v;
                sum += v;
              }
              for (int c = 0; c < width; c++) {
                predictions[r * width + c] /= sum;
              }
            }
            w.write(
                new AuditBatch(
                    runId,
                    new BatchKey(epoch, Phase.TRAIN, round, batch, p),
                    (long) round * 100 + batch,
                    0,
                    task,
                    0.7,
                    ids,
                    new FloatMatrix(n, width, targets),
                    new FloatMatrix(n, width, predictions),
                    null,
                    null,
                    null,
                    Map.of()));
            batch++;
          }
          StagedFile s = w.seal();
          accepted.add(new AcceptedAttempt(round, p, task, s.batches(), s.rows()));
          task++;
        }
      }
      table.commitEpoch(Phase.TRAIN, epoch, starts, accepted);
    }
  }
}
