package io.batchaudit.store.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchaudit.internal.AuditLogException;
import io.batchaudit.store.OptionalColumns;
import io.batchaudit.testing.Batches;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The footer check of a sealed file, read back at the length its writer counted. */
class TailInputFileTest {
  private final Configuration conf = new Configuration();
  @TempDir Path tmp;
  private org.apache.hadoop.fs.Path file;
  private long written;

  @BeforeEach
  void writeAFileOfSixRows() {
    file = new org.apache.hadoop.fs.Path(tmp.resolve("a.parquet").toString());
    try (AuditFileWriter w =
        AuditFileWriter.create(conf, file, "run-1", OptionalColumns.NONE, WriterOptions.DEFAULTS)) {
      w.write(Batches.batch("run-1", 0, 0, 0, 1, 7, 10, 11, 12));
      w.write(Batches.batch("run-1", 0, 0, 1, 1, 7, 13, 14, 15));
      w.close();
      written = w.bytes();
    }
  }

  @Test
  void theWritersCountIsTheFilesLengthAndItsFooterIsReadThere() throws Exception {
    assertThat(written).isEqualTo(Files.size(tmp.resolve("a.parquet")));
    assertThat(AuditFileReader.footerRowCount(conf, file, written)).isEqualTo(6);
  }

  @Test
  void aFooterLongerThanTheTailIsReadFromTheStoreBeforeIt() throws Exception {
    try (ParquetFileReader r = ParquetFileReader.open(new TailInputFile(file, conf, written, 16))) {
      assertThat(r.getRecordCount()).isEqualTo(6);
      assertThat(r.getFileMetaData().getKeyValueMetaData())
          .containsEntry(AuditFileWriter.RUN_ID_METADATA_KEY, "run-1");
    }
  }

  @Test
  void aFileShorterOrLongerThanTheLengthWrittenFailsTheCheck() {
    for (long length : new long[] {written - 1, written + 1}) {
      assertThatThrownBy(() -> AuditFileReader.footerRowCount(conf, file, length))
          .isInstanceOf(AuditLogException.class)
          .hasMessageStartingWith("Cannot read the Parquet footer of " + file + ": ");
    }
  }
}
