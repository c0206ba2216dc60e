package io.batchaudit.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Child-JVM probe, DuckDB's side of the read benchmark: reads exactly the committed files of a log
 * (one URI a line in the file {@code args[1]}, as {@code AuditLog.committedFiles()} lists them)
 * with DuckDB's JDBC driver (2 threads, in-memory database) into a DuckDB table in memory, every
 * column of every row, and prints {@code rows seconds peakHeapBytes checksum peakRssBytes} like
 * {@link ReadProbe}.
 *
 * <p>{@code args[0]}: {@code ordered} sorts by the training-order key ({@code epoch, phase, round,
 * batch, partition, row}; {@code phase} and {@code epoch} from the folder names, hive
 * partitioning); {@code scan} reads in no particular order ({@code preserve_insertion_order =
 * false}). The table is DuckDB's own columnar memory: no JDBC row fetching, whose per-value boxing
 * would measure the driver, not DuckDB. The driver is found through {@link DriverManager} only, so
 * the benchmarks compile without it; it comes from the test-scoped dependency ({@code
 * target/bench-classpath.txt} on {@code jobs/batch-audit}'s classpath).
 */
public final class DuckdbReadProbe {
  private DuckdbReadProbe() {}

  public static void main(String[] args) throws IOException, SQLException {
    String mode = args[0];
    if (!mode.equals("ordered") && !mode.equals("scan")) {
      throw new IllegalArgumentException("Mode must be ordered or scan, got '" + mode + "'");
    }
    List<String> files = Files.readAllLines(Path.of(args[1]));
    String list =
        files.stream()
            .map(u -> "'" + Path.of(URI.create(u)).toString().replace("'", "''") + "'")
            .collect(Collectors.joining(", ", "[", "]"));
    long start = System.nanoTime();
    long rows;
    double checksum;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET threads = 2");
      if (mode.equals("scan")) {
        s.execute("SET preserve_insertion_order = false");
      }
      s.execute(
          "CREATE TEMP TABLE t AS SELECT * FROM read_parquet("
              + list
              + ", hive_partitioning = true)"
              + (mode.equals("ordered")
                  ? " ORDER BY epoch, phase, round, batch, partition, row"
                  : ""));
      try (ResultSet r =
          s.executeQuery("SELECT count(*), sum(sample_id), sum(prediction[1]) FROM t")) {
        r.next();
        rows = r.getLong(1);
        checksum = r.getDouble(2) + r.getDouble(3);
      }
    }
    ReadProbe.report(rows, start, checksum);
  }
}
