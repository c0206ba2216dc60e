package io.batchaudit.dynamics;

import io.batchaudit.read.AuditLog;
import io.batchaudit.read.LabelSource;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code dynamics} job end to end: checks the output folder, computes the table, writes it (see
 * {@link DynamicsOutput} for how an earlier output is replaced) and summarizes what was written
 * (counted by the tasks that write the rows, from the same values). Driver side; the work runs in
 * the session's tasks.
 */
public final class DynamicsJob {
  private DynamicsJob() {}

  /**
   * Runs the job.
   *
   * @param out the table's folder (checked first: nothing is computed when it is refused)
   * @param source the source labels, or {@code null}
   * @param top how many ranked rows the summary lists
   * @param conf the Hadoop configuration for the output folder
   */
  public static DynamicsSummary run(
      SparkSession spark,
      AuditLog log,
      DynamicsOptions options,
      LabelSource source,
      Path out,
      int top,
      Configuration conf) {
    DynamicsOutput.checkReplaceable(out, log.location(), conf);
    Path temporary = DynamicsOutput.temporaryFor(out);
    try (TrainingDynamics.Result result = TrainingDynamics.compute(spark, log, options, source)) {
      SummaryPart written;
      try {
        written = result.write(temporary, conf, top);
        DynamicsOutput.publish(
            temporary,
            out,
            new DynamicsOutput.Marker(
                log.location(),
                log.run().runId(),
                result.phase().label(),
                result.task(),
                result.epochs(),
                result.el2nEpoch(),
                Instant.now().toString()),
            conf);
      } catch (RuntimeException e) {
        DynamicsOutput.discard(temporary, conf);
        throw e;
      }
      String location;
      try {
        location = out.getFileSystem(conf).makeQualified(out).toString();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return written.summary(
          log.location(),
          location,
          source == null ? null : source.description(),
          result.phase().label(),
          result.epochs(),
          result.el2nEpoch());
    }
  }

  /**
   * The bounded results of a classification log's dynamics without writing a table: the summary
   * (with {@code top} ranked rows; its {@code out} is {@code null}) and the Data Map. The table is
   * cached by Spark (memory and disk) for the few aggregations and released after.
   *
   * @return {@code null} when the log is not a classification log
   */
  public static Digest digest(
      SparkSession spark,
      AuditLog log,
      DynamicsOptions options,
      LabelSource source,
      int top,
      int maxPoints) {
    try (TrainingDynamics.Result result = TrainingDynamics.compute(spark, log, options, source)) {
      if (result.task() != DynamicsTask.CLASSIFICATION) {
        return null;
      }
      Dataset<Row> table = result.table().persist(StorageLevel.MEMORY_AND_DISK());
      try {
        DynamicsSummary summary =
            DynamicsSummary.of(
                table,
                result.task(),
                log.location(),
                null,
                source == null ? null : source.description(),
                result.phase().label(),
                result.epochs(),
                result.el2nEpoch(),
                top);
        return new Digest(summary, DataMapDigest.of(table, maxPoints));
      } finally {
        table.unpersist();
      }
    }
  }

  /** A summary and a Data Map of one log's dynamics. */
  public record Digest(DynamicsSummary summary, DataMapDigest map) {}
}
