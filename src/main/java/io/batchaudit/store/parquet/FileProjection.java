package io.batchaudit.store.parquet;

import io.batchaudit.store.ValueColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * The columns of one audit file a read decodes: the key columns the file has, and the value columns
 * of the projection it has. Columns the reader does not know (from a newer writer) are not read, so
 * that such files stay readable.
 *
 * @param schema the requested schema, a subset of the file's (for {@code setRequestedSchema}, so
 *     that only these column chunks are read from the file)
 * @param scalars the leaf of every scalar column read (keys, {@code loss}), in file order
 * @param lists the float lists read, in file order
 */
record FileProjection(MessageType schema, List<ColumnDescriptor> scalars, List<ListLeaf> lists) {

  /**
   * A float-list column ({@code <name>.list.element}, or any one-leaf list of floats).
   *
   * @param name the top-level column name
   * @param leaf the leaf column
   * @param listDefinition the definition level at which the list itself is present (0 for a
   *     required list: always present)
   */
  record ListLeaf(String name, ColumnDescriptor leaf, int listDefinition) {}

  /** The projection of {@code file} that reads the key columns and {@code values}. */
  static FileProjection of(MessageType file, Set<ValueColumn> values) {
    List<Type> fields = new ArrayList<>();
    List<ColumnDescriptor> scalars = new ArrayList<>();
    List<ListLeaf> lists = new ArrayList<>();
    for (Type t : file.getFields()) {
      String name = t.getName();
      ValueColumn value = valueColumn(name);
      if (t.isPrimitive()) {
        boolean key = AuditSchema.KEY_COLUMNS.contains(name);
        if (key || (value == ValueColumn.LOSS && values.contains(value))) {
          fields.add(t);
          scalars.add(file.getColumnDescription(new String[] {name}));
        }
      } else if (value != null && value != ValueColumn.LOSS && values.contains(value)) {
        List<ColumnDescriptor> leaves = new MessageType("one", t).getColumns();
        if (leaves.size() == 1
            && leaves.get(0).getMaxRepetitionLevel() == 1
            && leaves.get(0).getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.FLOAT) {
          fields.add(t);
          ColumnDescriptor leaf = file.getColumnDescription(leaves.get(0).getPath());
          lists.add(new ListLeaf(name, leaf, t.isRepetition(Type.Repetition.OPTIONAL) ? 1 : 0));
        }
      }
    }
    return new FileProjection(new MessageType(file.getName(), fields), scalars, lists);
  }

  /** A projection of the same file reading only {@code scalars} and {@code lists}. */
  FileProjection part(List<ColumnDescriptor> partScalars, List<ListLeaf> partLists) {
    List<Type> fields = new ArrayList<>();
    for (Type t : schema.getFields()) {
      boolean in =
          partScalars.stream().anyMatch(c -> c.getPath()[0].equals(t.getName()))
              || partLists.stream().anyMatch(l -> l.name().equals(t.getName()));
      if (in) {
        fields.add(t);
      }
    }
    return new FileProjection(new MessageType(schema.getName(), fields), partScalars, partLists);
  }

  /** The value column stored as the file column {@code name}, or {@code null} if none is. */
  private static ValueColumn valueColumn(String name) {
    return switch (name) {
      case AuditSchema.TARGET -> ValueColumn.TARGETS;
      case AuditSchema.PREDICTION -> ValueColumn.PREDICTIONS;
      case AuditSchema.FEATURES -> ValueColumn.FEATURES;
      case AuditSchema.LABEL_MASK -> ValueColumn.LABEL_MASK;
      case AuditSchema.LOSS -> ValueColumn.LOSS;
      default -> name.startsWith(AuditSchema.ACTIVATION_PREFIX) ? ValueColumn.ACTIVATIONS : null;
    };
  }
}
