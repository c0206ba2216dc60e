package io.batchaudit.testing;

import io.batchaudit.read.AuditLog;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.EpochCommit;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * What three independent readers see of an audit folder: the project's reader (every batch in
 * training order, with its keys, ids, targets and predictions), DuckDB globbing the folder, and
 * Spark SQL reading it with default settings. Crash tests take it before and after recovery steps
 * and compare.
 *
 * @param epochs the committed (phase epoch) pairs the project's reader lists
 * @param batches one line per batch the project's reader returns, in its order
 * @param rows rows the project's reader returns
 * @param duckDbRows rows DuckDB's {@code read_parquet('<audit>/**}{@code /*.parquet')} counts
 * @param sparkRows rows Spark SQL's {@code spark.read.parquet(audit)} counts
 */
public record CommittedState(
    List<String> epochs, List<String> batches, long rows, long duckDbRows, long sparkRows) {

  /** Reads {@code audit} with all three; {@code spark} is the test's session. */
  public static CommittedState of(Path audit, SparkSession spark) throws Exception {
    AuditLog log = AuditLog.open(audit.toString(), new Configuration());
    List<String> epochs =
        log.commits().stream().map(c -> c.phase().label() + " " + c.epoch()).toList();
    List<String> batches;
    try (Stream<AuditBatch> s = log.batches()) {
      batches =
          s.map(
                  b ->
                      b.key()
                          + " "
                          + Arrays.toString(b.sampleIds())
                          + " "
                          + Arrays.toString(b.targets().values())
                          + " "
                          + Arrays.toString(b.predictions().values()))
              .toList();
    }
    long rows = log.commits().stream().mapToLong(EpochCommit::rows).sum();
    return new CommittedState(epochs, batches, rows, duckDbRows(audit), sparkRows(audit, spark));
  }

  /** Rows DuckDB counts in a glob of the folder (0 when no file matches). */
  public static long duckDbRows(Path audit) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT count(*) FROM read_parquet('"
                    + audit
                    + "/**/*.parquet', hive_partitioning = true)")) {
      r.next();
      return r.getLong(1);
    } catch (java.sql.SQLException e) {
      if (e.getMessage().contains("No files found")) {
        return 0;
      }
      throw e;
    }
  }

  private static long sparkRows(Path audit, SparkSession spark) {
    return spark.read().parquet(audit.toUri().toString()).count();
  }
}
