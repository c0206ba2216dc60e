package io.batchaudit.store.parquet;

import static org.apache.parquet.schema.LogicalTypeAnnotation.stringType;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.FLOAT;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;

import io.batchaudit.store.OptionalColumns;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Types;

/**
 * The Parquet schema of the audit log: one row per recorded example.
 *
 * <p>{@code phase} and {@code epoch} are not stored in the files: they are Hive-style partition
 * columns of the folder layout ({@code phase=train/epoch=3/}), which Spark, DuckDB ({@code
 * hive_partitioning = true}) and pyarrow add to every row; storing them in the files too would make
 * those engines warn about or reject a duplicate column.
 *
 * <p>Float arrays are standard three-level Parquet lists ({@code <name>.list.element}, FLOAT),
 * which Spark, DuckDB and pyarrow all read as {@code array<float>}. The key columns come first, in
 * the order listed in {@link #KEY_COLUMNS}; optional columns exist only in logs that record them.
 */
public final class AuditSchema {
  public static final String RUN_ID = "run_id";
  public static final String PHASE = "phase";
  public static final String EPOCH = "epoch";
  public static final String ROUND = "round";
  public static final String PARTITION = "partition";
  public static final String BATCH = "batch";
  public static final String STEP = "step";
  public static final String ATTEMPT = "attempt";
  public static final String TASK_ATTEMPT_ID = "task_attempt_id";
  public static final String ROW = "row";
  public static final String SAMPLE_ID = "sample_id";
  public static final String BATCH_SCORE = "batch_score";
  public static final String TARGET = "target";
  public static final String PREDICTION = "prediction";
  public static final String FEATURES = "features";
  public static final String LABEL_MASK = "label_mask";
  public static final String LOSS = "loss";
  public static final String ACTIVATION_PREFIX = "activation_";

  /** The always-present scalar columns stored in the files, in file order. */
  public static final List<String> KEY_COLUMNS =
      List.of(
          RUN_ID,
          ROUND,
          PARTITION,
          BATCH,
          STEP,
          ATTEMPT,
          TASK_ATTEMPT_ID,
          ROW,
          SAMPLE_ID,
          BATCH_SCORE);

  /** The columns that come from the folder names ({@code phase=<p>/epoch=<e>}). */
  public static final List<String> PARTITION_COLUMNS = List.of(PHASE, EPOCH);

  private AuditSchema() {}

  /** The file schema for a log that records the given optional columns. */
  public static MessageType of(OptionalColumns optional) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    b.required(BINARY).as(stringType()).named(RUN_ID);
    b.required(INT32).named(ROUND);
    b.required(INT32).named(PARTITION);
    b.required(INT32).named(BATCH);
    b.required(INT64).named(STEP);
    b.required(INT32).named(ATTEMPT);
    b.required(INT64).named(TASK_ATTEMPT_ID);
    b.required(INT32).named(ROW);
    b.required(INT64).named(SAMPLE_ID);
    b.required(DOUBLE).named(BATCH_SCORE);
    b.requiredList().requiredElement(FLOAT).named(TARGET);
    b.requiredList().requiredElement(FLOAT).named(PREDICTION);
    if (optional.features()) {
      b.requiredList().requiredElement(FLOAT).named(FEATURES);
    }
    if (optional.labelMask()) {
      b.optionalList().requiredElement(FLOAT).named(LABEL_MASK);
    }
    if (optional.loss()) {
      b.required(FLOAT).named(LOSS);
    }
    for (String layer : optional.activations()) {
      b.requiredList().requiredElement(FLOAT).named(ACTIVATION_PREFIX + layer);
    }
    return b.named("audit_row");
  }

  /** The names of the float-list columns of a log with these optional columns, in file order. */
  public static List<String> floatListColumns(OptionalColumns optional) {
    List<String> names = new ArrayList<>(List.of(TARGET, PREDICTION));
    if (optional.features()) {
      names.add(FEATURES);
    }
    if (optional.labelMask()) {
      names.add(LABEL_MASK);
    }
    for (String layer : optional.activations()) {
      names.add(ACTIVATION_PREFIX + layer);
    }
    return names;
  }
}
