package io.batchaudit.cli;

import io.batchaudit.read.AuditLog;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code batch-audit query}: read-only Spark SQL over the committed log, registered as view {@code
 * audit}.
 *
 * <p>The statement is parsed and judged by {@link ReadOnlySql} before the log is opened: anything
 * but a query, EXPLAIN, DESCRIBE or SHOW is refused (exit 2) and nothing is run.
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one read-only Spark SQL statement over the committed log, registered as the view",
      "'audit': SELECT, WITH ... SELECT, VALUES, TABLE, EXPLAIN <query>, DESCRIBE or SHOW.",
      "Statements that write, create, drop, cache, set, add or load anything are refused (exit 2).",
      "Spark is embedded (local); the view is spark.read.parquet of the audit folder. Prints a",
      "table, or JSON lines with --json (redirect them to a file to keep results).",
      "Example: batch-audit query target/demo-run/audit \"SELECT epoch, count(*) FROM audit GROUP BY epoch\""
    })
final class QueryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin AuditDir auditDir;

  @Parameters(
      index = "1",
      paramLabel = "SQL",
      description = "The query; the log is the view 'audit'.")
  String sql;

  @Option(names = "--json", description = "Print one JSON object per row (JSON lines).")
  boolean json;

  @Option(
      names = "--max-rows",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Print at most N rows (default ${DEFAULT-VALUE}).")
  int maxRows;

  @Override
  public Integer call() throws Exception {
    scala.Option<SparkSession> existing = SparkSession.getDefaultSession();
    boolean ownSession = existing.isEmpty() || existing.get().sparkContext().isStopped();
    // a session of the calling JVM is used as it is: builder options would change its settings
    SparkSession spark =
        ownSession
            ? SparkSession.builder()
                .config(Hadoop.apply(new SparkConf()))
                .master(System.getProperty("spark.master", "local[2]"))
                .appName("batch-audit query")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .getOrCreate()
            : existing.get();
    try {
      ReadOnlySql.check(spark, sql); // before anything touches the log
      AuditLog log = auditDir.open(); // checks it is an audit folder
      if (log.commits().isEmpty()) {
        throw new IllegalArgumentException(
            "The audit log in " + log.location() + " has no committed epoch to query yet");
      }
      // exactly the committed files, from the manifests: on a store where attempts write in place
      // (S3) the folder also holds files of other attempts and of replaced generations
      spark
          .read()
          .option("basePath", log.location())
          .parquet(log.committedFiles().toArray(String[]::new))
          .createOrReplaceTempView("audit");
      Dataset<Row> result;
      try {
        result = spark.sql(sql); // parsed again by the same parser: the statement just checked
      } catch (Exception e) { // Scala declares no checked exceptions
        if (e instanceof AnalysisException) {
          throw new IllegalArgumentException(
              "Invalid SQL: " + ReadOnlySql.firstLine(e.getMessage()), e);
        }
        throw e;
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        result.toJSON().takeAsList(maxRows).forEach(out::println);
      } else {
        printTable(out, result.columns(), result.takeAsList(maxRows));
      }
      out.flush();
      return ExitCodes.OK;
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
  }

  /** Left-aligned columns, a header and a rule; arrays print as [a, b]. */
  static void printTable(PrintWriter out, String[] columns, List<Row> rows) {
    List<String[]> cells = new ArrayList<>();
    int[] width = new int[columns.length];
    for (int c = 0; c < columns.length; c++) {
      width[c] = columns[c].length();
    }
    for (Row r : rows) {
      String[] line = new String[columns.length];
      for (int c = 0; c < columns.length; c++) {
        Object v = r.get(c);
        line[c] =
            v instanceof scala.collection.Seq<?> s
                ? scala.collection.JavaConverters.seqAsJavaList(s).toString()
                : String.valueOf(v);
        width[c] = Math.max(width[c], line[c].length());
      }
      cells.add(line);
    }
    StringBuilder header = new StringBuilder();
    StringBuilder rule = new StringBuilder();
    for (int c = 0; c < columns.length; c++) {
      header.append(c == 0 ? "" : "  ").append(pad(columns[c], width[c]));
      rule.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
    }
    out.println(header.toString().stripTrailing());
    out.println(rule);
    for (String[] line : cells) {
      StringBuilder s = new StringBuilder();
      for (int c = 0; c < line.length; c++) {
        s.append(c == 0 ? "" : "  ").append(pad(line[c], width[c]));
      }
      out.println(s.toString().stripTrailing());
    }
    out.printf("(%d rows)%n", rows.size());
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }
}
