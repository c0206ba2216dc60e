package io.batchaudit.bench;

import io.batchaudit.read.AuditLog;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;

/**
 * {@code bench --suite dynamics}: {@code dynamics} (Spark, {@code local[2]}, a child JVM with a
 * fixed heap) against DuckDB computing the same per-example aggregates in SQL (the same window in
 * training order, the same AUM, the same ranking) over the same committed files, one after the
 * other on one synthetic log, each written to Parquet. DuckDB runs in the tests' Python environment
 * ({@code target/python-env}, made by {@code jobs/python-env}), its own default threads.
 */
final class DynamicsBench {
  /** The heap of the {@code dynamics} child JVM; Spark's local mode refuses less than ~450 MiB. */
  static final String HEAP = "-Xmx512m";

  private DynamicsBench() {}

  /**
   * One side-by-side measurement.
   *
   * @param rows presentations in the log
   * @param examples sample ids
   * @param dynamicsSeconds {@code dynamics}, Spark start included (JVM start excluded)
   * @param dynamicsPeakHeapMb the child JVM's heap pools' peak usage summed
   * @param duckDbSeconds DuckDB's query and write (Python start excluded)
   * @param ratio {@code dynamicsSeconds / duckDbSeconds}
   * @param duckDbExamples examples DuckDB's table holds (must equal {@code examples})
   */
  record Result(
      long rows,
      long examples,
      double dynamicsSeconds,
      long dynamicsPeakHeapMb,
      double duckDbSeconds,
      double ratio,
      long duckDbExamples) {}

  static Result run(Path dir, boolean quick, PrintWriter progress) {
    int epochs = 10;
    long perEpoch = quick ? 20_000 : 1_000_000;
    Path root = dir.resolve("dynamics-" + perEpoch * epochs).toAbsolutePath();
    Path audit = root.resolve("audit");
    ScaleBench.deleteTree(root);
    progress.printf("dynamics: writing %,d rows (%d epochs) ...%n", perEpoch * epochs, epochs);
    progress.flush();
    SyntheticLog.write(
        new org.apache.hadoop.fs.Path(audit.toString()),
        epochs,
        perEpoch,
        quick ? 2 : 10,
        ScaleBench.PARTITIONS,
        ScaleBench.BATCH,
        ScaleBench.WIDTH);
    progress.println("dynamics: Spark ...");
    progress.flush();
    ChildJvm.Measured spark =
        ChildJvm.run(
            HEAP, DynamicsProbe.class, audit.toString(), root.resolve("dynamics").toString());
    progress.println("dynamics: DuckDB ...");
    progress.flush();
    List<String> files = AuditLog.open(audit.toString(), new Configuration()).committedFiles();
    String[] duck = duckDb(root, files);
    double duckSeconds = Double.parseDouble(duck[0]);
    Result r =
        new Result(
            spark.rows(),
            perEpoch,
            spark.seconds(),
            spark.peakHeapBytes() / (1024 * 1024),
            duckSeconds,
            spark.seconds() / duckSeconds,
            Long.parseLong(duck[1]));
    ScaleBench.deleteTree(root);
    return r;
  }

  /** DuckDB's side: {@code seconds examples} from a Python child. */
  private static String[] duckDb(Path root, List<String> files) {
    try {
      Path list = root.resolve("files.txt");
      Files.write(list, files.stream().map(f -> f.replaceFirst("^file:", "")).toList());
      Path script = root.resolve("dynamics_duckdb.py");
      Files.writeString(script, SCRIPT);
      Process env = new ProcessBuilder("jobs/python-env").redirectErrorStream(false).start();
      String python = new String(env.getInputStream().readAllBytes()).strip();
      if (env.waitFor() != 0) {
        throw new IllegalStateException("jobs/python-env failed: no Python for DuckDB");
      }
      python = python.lines().reduce((a, b) -> b).orElseThrow();
      File log = Files.createTempFile("duckdb", ".log").toFile();
      Process p =
          new ProcessBuilder(
                  python,
                  script.toString(),
                  list.toString(),
                  root.resolve("duckdb.parquet").toString())
              .redirectErrorStream(true)
              .redirectOutput(log)
              .start();
      if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
        throw new IllegalStateException("DuckDB failed: " + Files.readString(log.toPath()));
      }
      List<String> lines = Files.readAllLines(log.toPath());
      log.delete();
      return lines.get(lines.size() - 1).split(" ");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void print(PrintWriter out, Result r) {
    out.printf(
        Locale.ROOT,
        "dynamics on %,d presentations of %,d examples: batch-audit dynamics (Spark local[2], %s)"
            + " %.1f s, peak heap %d MB; DuckDB (same aggregates, same files) %.1f s; ratio %.2f"
            + " (target at most 1.5); DuckDB examples %,d%n",
        r.rows(),
        r.examples(),
        HEAP,
        r.dynamicsSeconds(),
        r.dynamicsPeakHeapMb(),
        r.duckDbSeconds(),
        r.ratio(),
        r.duckDbExamples());
  }

  /** The same statistics as {@code TrainingDynamics} (classification), in DuckDB's SQL. */
  static final String SCRIPT =
      """
      import sys, time
      import duckdb
      files = [l for l in open(sys.argv[1]).read().splitlines() if l]
      listed = "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"
      out = sys.argv[2].replace("'", "''")
      start = time.time()
      con = duckdb.connect()
      con.execute(f'''
      COPY (
        WITH p AS (
          SELECT sample_id, epoch, round, batch, "partition", "row", step, prediction, target,
                 list_position(target, 1.0::FLOAT) - 1 AS t
          FROM read_parquet({listed}, hive_partitioning = true) WHERE phase = 'train'),
        r AS (
          SELECT *, prediction[t + 1]::DOUBLE AS p_t,
                 list_position(prediction, list_max(prediction)) - 1 AS predicted,
                 list_max(list_filter(prediction, (x, i) -> i - 1 != t))::DOUBLE AS p_other,
                 list_distance(prediction, target) AS l2
          FROM p),
        o AS (
          SELECT *, CASE WHEN predicted = t THEN 1 ELSE 0 END AS correct,
                 row_number() OVER w AS pos,
                 lag(CASE WHEN predicted = t THEN 1 ELSE 0 END) OVER w AS prev_correct,
                 lag(epoch) OVER w AS prev_epoch
          FROM r WINDOW w AS (PARTITION BY sample_id ORDER BY epoch, round, batch, "partition", "row")),
        l AS (SELECT *, max(CASE WHEN correct = 0 THEN pos END) OVER (PARTITION BY sample_id) AS last_wrong FROM o),
        s AS (
          SELECT sample_id, count(*) AS presentations,
                 sum(CASE WHEN prev_epoch IS NULL OR prev_epoch != epoch THEN 1 ELSE 0 END) AS epochs_seen,
                 arg_min(step, pos) AS first_step, arg_max(step, pos) AS last_step,
                 avg(p_t) AS confidence, stddev_pop(p_t) AS variability, avg(correct) AS correctness,
                 sum(CASE WHEN prev_correct = 1 AND correct = 0 THEN 1 ELSE 0 END) AS forgetting_events,
                 max(correct) = 1 AS ever_learned,
                 min(CASE WHEN last_wrong IS NULL OR pos > last_wrong THEN epoch END) AS stayed_learned_epoch,
                 avg(ln(greatest(p_t, 1e-12)) - ln(greatest(p_other, 1e-12))) AS aum,
                 avg(CASE WHEN epoch = 0 THEN l2 END) AS el2n
          FROM l GROUP BY sample_id)
        SELECT *, row_number() OVER (ORDER BY aum, confidence, sample_id) AS mislabel_rank
        FROM s ORDER BY sample_id
      ) TO '{out}' (FORMAT parquet)
      ''')
      seconds = time.time() - start
      examples = con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0]
      print(seconds, examples)
      """;
}
