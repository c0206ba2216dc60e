package io.batchaudit.bench;

import io.batchaudit.dynamics.DynamicsJob;
import io.batchaudit.dynamics.DynamicsOptions;
import io.batchaudit.dynamics.DynamicsSummary;
import io.batchaudit.read.AuditLog;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Child-JVM probe: runs {@code dynamics} (embedded {@code local[2]} Spark, no source) on a log into
 * a folder and prints {@code rows seconds peakHeapBytes checksum} (rows: presentations; checksum:
 * the examples of the table). The time includes Spark's start.
 */
public final class DynamicsProbe {
  private DynamicsProbe() {}

  public static void main(String[] args) {
    long start = System.nanoTime();
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("bench dynamics")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "8") // as the command's embedded Spark
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    try {
      AuditLog log = AuditLog.open(args[0], new Configuration());
      DynamicsSummary s =
          DynamicsJob.run(
              spark,
              log,
              DynamicsOptions.defaults(),
              null,
              new Path(args[1]),
              1,
              new Configuration());
      ReadProbe.report(s.presentations(), start, s.examples());
    } finally {
      spark.stop();
    }
  }
}
