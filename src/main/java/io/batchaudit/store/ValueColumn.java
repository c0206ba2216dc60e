package io.batchaudit.store;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The value columns of the audit log a read can leave out (column projection): a read decodes only
 * the column chunks of the value columns it is given, and leaves the others' fields of {@link
 * AuditBatch} {@code null} (activations: empty). The key columns ({@code run_id}, {@code round},
 * {@code partition}, {@code batch}, {@code step}, {@code attempt}, {@code task_attempt_id}, {@code
 * row}, {@code sample_id}, {@code batch_score}) are always read: the order, the grouping into
 * batches and the checks of the reader need them, and they are a small part of a file.
 */
public enum ValueColumn {
  /** {@code target}: {@link AuditBatch#targets()}. */
  TARGETS,
  /** {@code prediction}: {@link AuditBatch#predictions()}. */
  PREDICTIONS,
  /** {@code features}, when recorded: {@link AuditBatch#features()}. */
  FEATURES,
  /** {@code label_mask}, when recorded: {@link AuditBatch#labelMask()}. */
  LABEL_MASK,
  /** {@code loss}, when recorded: {@link AuditBatch#loss()}. */
  LOSS,
  /** {@code activation_<layer>}, when recorded: {@link AuditBatch#activations()}. */
  ACTIVATIONS;

  /** Every value column: the batches as written. */
  public static final Set<ValueColumn> ALL =
      Collections.unmodifiableSet(EnumSet.allOf(ValueColumn.class));

  /** No value column: keys and sample ids only. */
  public static final Set<ValueColumn> NONE =
      Collections.unmodifiableSet(EnumSet.noneOf(ValueColumn.class));
}
