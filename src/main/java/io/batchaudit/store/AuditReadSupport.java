package io.batchaudit.store;

import java.util.Arrays;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Decodes audit rows into one reused {@link Row}: parquet-java calls the converters once per value,
 * and the reader copies what it keeps. Unknown columns are read and ignored, so that newer files
 * with more columns stay readable.
 */
final class AuditReadSupport extends ReadSupport<AuditReadSupport.Row> {

  /** The values of the current row. Lists are appended to growable buffers, reset per row. */
  static final class Row {
    final String[] listNames;
    final FloatBuffer[] lists;
    final boolean[] listPresent;
    final boolean hasLoss;
    Binary runId;
    int round;
    int partition;
    int batch;
    long step;
    int attempt;
    long taskAttemptId;
    int row;
    long sampleId;
    double batchScore;
    float loss;

    Row(String[] listNames, boolean hasLoss) {
      this.listNames = listNames;
      this.hasLoss = hasLoss;
      this.lists = new FloatBuffer[listNames.length];
      this.listPresent = new boolean[listNames.length];
      for (int i = 0; i < lists.length; i++) {
        lists[i] = new FloatBuffer();
      }
    }

    int listIndex(String name) {
      for (int i = 0; i < listNames.length; i++) {
        if (listNames[i].equals(name)) {
          return i;
        }
      }
      return -1;
    }
  }

  /** A growable float array. */
  static final class FloatBuffer {
    float[] values = new float[16];
    int size;

    void add(float v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }
  }

  @Override
  public ReadContext init(InitContext context) {
    return new ReadContext(context.getFileSchema());
  }

  @Override
  public RecordMaterializer<Row> prepareForRead(
      Configuration configuration,
      Map<String, String> keyValueMetaData,
      MessageType fileSchema,
      ReadContext readContext) {
    MessageType schema = readContext.getRequestedSchema();
    String[] listNames =
        schema.getFields().stream()
            .filter(t -> !t.isPrimitive())
            .map(Type::getName)
            .toArray(String[]::new);
    Row row = new Row(listNames, schema.containsField(AuditSchema.LOSS));
    RowConverter root = new RowConverter(schema, row);
    return new RecordMaterializer<>() {
      @Override
      public Row getCurrentRecord() {
        return row;
      }

      @Override
      public GroupConverter getRootConverter() {
        return root;
      }
    };
  }

  private static final class RowConverter extends GroupConverter {
    private final Row row;
    private final Converter[] converters;

    RowConverter(GroupType schema, Row row) {
      this.row = row;
      this.converters = new Converter[schema.getFieldCount()];
      for (int i = 0; i < converters.length; i++) {
        Type field = schema.getType(i);
        converters[i] =
            field.isPrimitive()
                ? scalar(field.getName())
                : new ListConverter(row, row.listIndex(field.getName()));
      }
    }

    private PrimitiveConverter scalar(String name) {
      switch (name) {
        case AuditSchema.RUN_ID:
          return new PrimitiveConverter() {
            @Override
            public void addBinary(Binary v) {
              row.runId = v;
            }
          };
        case AuditSchema.ROUND:
          return intField(v -> row.round = v);
        case AuditSchema.PARTITION:
          return intField(v -> row.partition = v);
        case AuditSchema.BATCH:
          return intField(v -> row.batch = v);
        case AuditSchema.ATTEMPT:
          return intField(v -> row.attempt = v);
        case AuditSchema.ROW:
          return intField(v -> row.row = v);
        case AuditSchema.STEP:
          return longField(v -> row.step = v);
        case AuditSchema.TASK_ATTEMPT_ID:
          return longField(v -> row.taskAttemptId = v);
        case AuditSchema.SAMPLE_ID:
          return longField(v -> row.sampleId = v);
        case AuditSchema.BATCH_SCORE:
          return new PrimitiveConverter() {
            @Override
            public void addDouble(double v) {
              row.batchScore = v;
            }
          };
        case AuditSchema.LOSS:
          return new PrimitiveConverter() {
            @Override
            public void addFloat(float v) {
              row.loss = v;
            }
          };
        default:
          return new PrimitiveConverter() {};
      }
    }

    private static PrimitiveConverter intField(java.util.function.IntConsumer sink) {
      return new PrimitiveConverter() {
        @Override
        public void addInt(int v) {
          sink.accept(v);
        }
      };
    }

    private static PrimitiveConverter longField(java.util.function.LongConsumer sink) {
      return new PrimitiveConverter() {
        @Override
        public void addLong(long v) {
          sink.accept(v);
        }
      };
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return converters[fieldIndex];
    }

    @Override
    public void start() {
      for (int i = 0; i < row.lists.length; i++) {
        row.lists[i].size = 0;
        row.listPresent[i] = false;
      }
    }

    @Override
    public void end() {}
  }

  /** The outer LIST group; marks the list present (an absent optional list stays absent). */
  private static final class ListConverter extends GroupConverter {
    private final Row row;
    private final int index;
    private final GroupConverter repeated;

    ListConverter(Row row, int index) {
      this.row = row;
      this.index = index;
      FloatBuffer buffer = row.lists[index];
      PrimitiveConverter element =
          new PrimitiveConverter() {
            @Override
            public void addFloat(float v) {
              buffer.add(v);
            }
          };
      this.repeated =
          new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
              return element;
            }

            @Override
            public void start() {}

            @Override
            public void end() {}
          };
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return repeated;
    }

    @Override
    public void start() {
      row.listPresent[index] = true;
    }

    @Override
    public void end() {}
  }
}
