package io.batchaudit.store.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.OptionalColumns;
import io.batchaudit.store.Phase;
import io.batchaudit.store.ValueColumn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ListPages}' bulk decoding of float lists, including the pages whose entries all hold a
 * value (decoded without level arrays, row starts from the repetition bits), against parquet-java's
 * value-by-value {@code ColumnReaderImpl} on the same row groups, in slices that end inside pages.
 */
class ListPagesTest {
  private final Configuration conf = new Configuration();
  @TempDir Path tmp;

  /** 600 rows of 10-class one-hot targets, predictions, and a label mask on some batches only. */
  private static List<AuditBatch> batches() {
    Random random = new Random(16);
    List<AuditBatch> out = new ArrayList<>();
    long id = 0;
    for (int b = 0; b < 20; b++) {
      int n = 30;
      float[] targets = new float[n * 10];
      float[] predictions = new float[n * 10];
      float[] mask = new float[n * 10];
      long[] ids = new long[n];
      for (int r = 0; r < n; r++) {
        ids[r] = id++;
        targets[r * 10 + random.nextInt(10)] = 1f;
        for (int c = 0; c < 10; c++) {
          predictions[r * 10 + c] = random.nextFloat();
          mask[r * 10 + c] = random.nextInt(2);
        }
      }
      out.add(
          new AuditBatch(
              "run-1",
              new BatchKey(0, Phase.TRAIN, 0, b, 0),
              b,
              0,
              7,
              0.5,
              ids,
              new FloatMatrix(n, 10, targets),
              new FloatMatrix(n, 10, predictions),
              null,
              b % 3 == 0 ? new FloatMatrix(n, 10, mask) : null, // nulls: not every entry a value
              null,
              Map.of()));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void bulkDecodingEqualsParquetJavasValueByValueReadInSlicesEndingInsidePages(
      boolean floatDictionary) throws Exception {
    org.apache.hadoop.fs.Path file =
        new org.apache.hadoop.fs.Path(tmp.resolve("f" + floatDictionary + ".parquet").toString());
    try (AuditFileWriter w =
        AuditFileWriter.create(
            conf,
            file,
            "run-1",
            new OptionalColumns(false, true, false, List.of()),
            new WriterOptions("zstd", 32L * 1024 * 1024, floatDictionary))) {
      batches().forEach(w::write);
    }
    int fastPages = 0;
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      ParquetMetadata footer = r.getFooter();
      FileProjection all = FileProjection.of(footer.getFileMetaData().getSchema(), ValueColumn.ALL);
      BlockMetaData block = footer.getBlocks().get(0);
      for (FileProjection.ListLeaf l : all.lists()) {
        assertThat(ListPages.handles(block, l.leaf())).as(l.name()).isTrue();
        try (ParquetFileReader one = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
          ListPages pages = new ListPages(l.leaf(), one.readNextRowGroup().getPageReader(l.leaf()));
          while (pages.nextPage()) {
            fastPages += pages.allDefined ? 1 : 0;
          }
        }
      }
      for (int slice : new int[] {7, 64, 600}) {
        List<DecodedRows> bulk = decode(file, all, block, slice);
        List<DecodedRows> byValue = decode(file, all, null, slice);
        assertThat(bulk).hasSameSizeAs(byValue);
        for (int s = 0; s < bulk.size(); s++) {
          assertSame(bulk.get(s), byValue.get(s), "slice " + s + " of " + slice + " rows");
        }
      }
    }
    // targets, predictions (and no mask batch) pages take the all-defined path; the mask does not
    assertThat(fastPages).isGreaterThanOrEqualTo(2);
  }

  private List<DecodedRows> decode(
      org.apache.hadoop.fs.Path file, FileProjection part, BlockMetaData block, int slice)
      throws Exception {
    List<DecodedRows> out = new ArrayList<>();
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      r.setRequestedSchema(part.schema());
      PageReadStore pages = r.readNextRowGroup();
      DecodedRows.Cursor c =
          new DecodedRows.Cursor(pages, part, AuditFileReader.writer(r.getFooter()), block);
      while (c.left() > 0) {
        out.add(c.next(Math.min(slice, c.left())));
      }
    }
    return out;
  }

  private static void assertSame(DecodedRows a, DecodedRows b, String where) {
    assertThat(a.count).as(where).isEqualTo(b.count);
    assertThat(a.sampleId).as(where).isEqualTo(b.sampleId);
    assertThat(a.batch).as(where).isEqualTo(b.batch);
    assertThat(a.lists).as(where).hasSameSizeAs(b.lists);
    for (int l = 0; l < a.lists.size(); l++) {
      DecodedRows.FloatList x = a.lists.get(l);
      DecodedRows.FloatList y = b.lists.get(l);
      String column = where + ", " + x.name();
      assertThat(x.name()).isEqualTo(y.name());
      assertThat(x.offsets()).as(column).isEqualTo(y.offsets());
      assertThat(x.present()).as(column).isEqualTo(y.present());
      int n = x.offsets()[a.count];
      assertThat(Arrays.copyOf(x.values(), n)).as(column).isEqualTo(Arrays.copyOf(y.values(), n));
    }
  }
}
