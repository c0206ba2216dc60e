package io.batchaudit.cli;

import static io.batchaudit.testing.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.batchaudit.read.AuditLog;
import io.batchaudit.store.Json;
import io.batchaudit.testing.LogBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code files}: exactly the committed data files, which plain readers then read exactly. */
class FilesCommandTest {
  private static final String RUN = LogBuilder.RUN_ID;
  @TempDir Path tmp;

  private static long duckDbRows(String from) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM read_parquet(" + from + ")")) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void listsExactlyTheCommittedFilesSoAPlainReaderCountsEveryCommittedRowOnce() throws Exception {
    Path audit = tmp.resolve("audit");
    LogBuilder b = new LogBuilder(audit, 2);
    for (int epoch = 0; epoch < 2; epoch++) {
      for (int p = 0; p < 2; p++) {
        long t = epoch * 10 + p;
        b.task(epoch, 0, p, t, batch(RUN, epoch, 0, 0, p, t, 2 * p, 2 * p + 1));
      }
      b.commit(epoch, 1);
    }
    // a file nobody committed, in a committed epoch's folder: a glob reads its rows too
    Path epoch1 = audit.resolve("phase=train/epoch=1");
    Path committed;
    try (Stream<Path> files = Files.list(epoch1)) {
      committed = files.filter(p -> p.toString().endsWith(".parquet")).sorted().findFirst().get();
    }
    Files.copy(committed, epoch1.resolve("part-copy.parquet"));

    CliRunner.Result r = CliRunner.run("files", audit.toString());

    assertThat(r.code()).as(r.err()).isZero();
    List<String> listed = r.out().lines().toList();
    AuditLog log = AuditLog.open(audit.toString(), new Configuration());
    List<String> expected =
        log.commits().stream()
            .flatMap(c -> c.files().stream())
            .map(f -> audit.resolve(f.path()).toUri().toString().replace("file:///", "file:/"))
            .toList();
    assertThat(listed).containsExactlyElementsOf(expected).hasSize(4);
    assertThat(listed).noneMatch(f -> f.contains("part-copy"));
    String list =
        listed.stream()
            .map(f -> "'" + f.replaceFirst("^file:", "") + "'")
            .collect(Collectors.joining(", ", "[", "]"));
    assertThat(duckDbRows(list)).isEqualTo(log.rows()).isEqualTo(8);
    assertThat(duckDbRows("'" + audit + "/**/*.parquet'")).isEqualTo(10); // the glob: 2 too many

    CliRunner.Result json = CliRunner.run("files", audit.toString(), "--json");
    assertThat(json.code()).isZero();
    assertThat(Json.mapper().readValue(json.out(), new TypeReference<List<String>>() {}))
        .containsExactlyElementsOf(listed);
  }

  @Test
  void aFolderThatHoldsNoLogIsBadInput() {
    CliRunner.Result r = CliRunner.run("files", tmp.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: No audit log in ");
  }
}
