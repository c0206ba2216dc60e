package io.batchaudit.store.parquet;

import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.OptionalColumns;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Writes one Parquet record per {@link RowCursor} position straight from the batch's arrays, with
 * no per-row objects. Lifecycle (parquet-java's): {@link #init} once per file, {@link
 * #prepareForWrite} once per file, {@link #write} once per row.
 */
final class AuditWriteSupport extends WriteSupport<AuditWriteSupport.RowCursor> {

  /** A movable view of one row of a batch; reused for every row the writer writes. */
  static final class RowCursor {
    AuditBatch batch;
    int row;
    Binary runId;
  }

  private final MessageType schema;
  private final OptionalColumns optional;
  private final Map<String, String> extraMetadata;
  private RecordConsumer out;

  AuditWriteSupport(OptionalColumns optional, Map<String, String> extraMetadata) {
    this.optional = optional;
    this.schema = AuditSchema.of(optional);
    this.extraMetadata = new HashMap<>(extraMetadata);
  }

  @Override
  public WriteContext init(Configuration configuration) {
    return new WriteContext(schema, extraMetadata);
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.out = recordConsumer;
  }

  @Override
  public void write(RowCursor c) {
    AuditBatch b = c.batch;
    BatchKey k = b.key();
    int r = c.row;
    int i = 0;
    out.startMessage();
    binary(i++, AuditSchema.RUN_ID, c.runId);
    int32(i++, AuditSchema.ROUND, k.round());
    int32(i++, AuditSchema.PARTITION, k.partition());
    int32(i++, AuditSchema.BATCH, k.batch());
    int64(i++, AuditSchema.STEP, b.step());
    int32(i++, AuditSchema.ATTEMPT, b.attempt());
    int64(i++, AuditSchema.TASK_ATTEMPT_ID, b.taskAttemptId());
    int32(i++, AuditSchema.ROW, r);
    int64(i++, AuditSchema.SAMPLE_ID, b.sampleIds()[r]);
    out.startField(AuditSchema.BATCH_SCORE, i);
    out.addDouble(b.batchScore());
    out.endField(AuditSchema.BATCH_SCORE, i++);
    floatList(i++, AuditSchema.TARGET, b.targets(), r);
    floatList(i++, AuditSchema.PREDICTION, b.predictions(), r);
    if (optional.features()) {
      floatList(i++, AuditSchema.FEATURES, required(b.features(), AuditSchema.FEATURES, b), r);
    }
    if (optional.labelMask()) {
      if (b.labelMask() != null) {
        floatList(i, AuditSchema.LABEL_MASK, b.labelMask(), r);
      }
      i++;
    }
    if (optional.loss()) {
      out.startField(AuditSchema.LOSS, i);
      out.addFloat(required(b.loss(), AuditSchema.LOSS, b)[r]);
      out.endField(AuditSchema.LOSS, i++);
    }
    for (String layer : optional.activations()) {
      FloatMatrix m = b.activations().get(layer);
      String column = AuditSchema.ACTIVATION_PREFIX + layer;
      floatList(i++, column, required(m, column, b), r);
    }
    out.endMessage();
  }

  private static <T> T required(T value, String column, AuditBatch b) {
    if (value == null) {
      throw new IllegalArgumentException(
          "Batch " + b.key() + " has no values for column '" + column + "' that this log records");
    }
    return value;
  }

  private void binary(int index, String name, Binary value) {
    out.startField(name, index);
    out.addBinary(value);
    out.endField(name, index);
  }

  private void int32(int index, String name, int value) {
    out.startField(name, index);
    out.addInteger(value);
    out.endField(name, index);
  }

  private void int64(int index, String name, long value) {
    out.startField(name, index);
    out.addLong(value);
    out.endField(name, index);
  }

  private void floatList(int index, String name, FloatMatrix m, int row) {
    out.startField(name, index);
    out.startGroup();
    int cols = m.cols();
    if (cols > 0) {
      float[] v = m.values();
      int from = row * cols;
      out.startField("list", 0);
      for (int j = 0; j < cols; j++) {
        out.startGroup();
        out.startField("element", 0);
        out.addFloat(v[from + j]);
        out.endField("element", 0);
        out.endGroup();
      }
      out.endField("list", 0);
    }
    out.endGroup();
    out.endField(name, index);
  }
}
