package io.batchaudit.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of a command that computes with Spark: the JVM's active session when it has one
 * (spark-submit, tests; used as it is, since builder options would change its settings), otherwise
 * an embedded one ({@code spark.master}, default {@code local[2]}; no UI) that {@link #close}
 * stops. Driver side.
 */
final class EmbeddedSpark implements AutoCloseable {
  private static final String MARK = "spark.batchaudit.embedded-session";
  private final SparkSession session;
  private final boolean own;

  private EmbeddedSpark(SparkSession session, boolean own) {
    this.session = session;
    this.own = own;
  }

  static EmbeddedSpark start(String appName) {
    scala.Option<SparkSession> existing = SparkSession.getDefaultSession();
    if (existing.isDefined() && !existing.get().sparkContext().isStopped()) {
      return new EmbeddedSpark(existing.get(), false);
    }
    String master = System.getProperty("spark.master", "local[2]");
    SparkConf conf = Hadoop.apply(new SparkConf());
    if (master.startsWith("local")) {
      // Spark's default of 200 shuffle partitions costs a task each per stage; one JVM's cores
      // need few (a spark.sql.shuffle.partitions system property still wins)
      conf.setIfMissing("spark.sql.shuffle.partitions", "8");
    }
    // a JVM may hold a SparkContext without a session (a test's JavaSparkContext): getOrCreate
    // then builds the session on that context, which must not be stopped here. Only a context this
    // call created carries this call's mark in its own configuration.
    String mark = java.util.UUID.randomUUID().toString();
    conf.set(MARK, mark);
    SparkSession session =
        SparkSession.builder()
            .config(conf)
            .master(master)
            .appName(appName)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate();
    return new EmbeddedSpark(session, mark.equals(session.sparkContext().getConf().get(MARK, "")));
  }

  SparkSession session() {
    return session;
  }

  /** Stops the session if this command started it. */
  @Override
  public void close() {
    if (own) {
      session.stop();
    }
  }
}
