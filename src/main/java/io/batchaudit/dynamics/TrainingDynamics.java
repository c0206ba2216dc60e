package io.batchaudit.dynamics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.batchaudit.read.AuditLog;
import io.batchaudit.read.LabelSource;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.Phase;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Per-example training dynamics of one phase of a committed log, as a Spark SQL plan over exactly
 * the committed files.
 *
 * <p>Every statistic is over an example's <em>presentations</em>: its rows in the phase, in
 * training order {@code (epoch, round, batch, partition, row)} (the order of the README's schema;
 * {@code step} is not used as the order because a ComputationGraph worker's step restarts every
 * round). The order of rows in the files does not matter: it is re-established per sample id by a
 * window sorted on that key. Classification (every target one-hot) gets, per sample id:
 *
 * <ul>
 *   <li>{@code confidence}, {@code variability}: mean and population standard deviation of the
 *       recorded probability of the target class (Swayamdipta et al., 2020);
 *   <li>{@code correctness}: share of presentations whose arg max (the first maximum, on ties) is
 *       the target class;
 *   <li>{@code forgetting_events}: transitions from a correct presentation to an incorrect next one
 *       (Toneva et al., 2019); {@code ever_learned}: some presentation was correct; {@code
 *       stayed_learned_epoch}: the epoch of the first presentation of the final unbroken run of
 *       correct presentations (null when the last presentation was incorrect);
 *   <li>{@code aum}: mean over presentations of {@code ln p[target] - ln max(p[other])} (Pleiss et
 *       al., 2020), probabilities floored at {@value #PROBABILITY_FLOOR}: for softmax outputs a
 *       difference of log-probabilities is the difference of logits;
 *   <li>{@code el2n}: {@code ||p - y||_2} at the chosen epoch (mean over its presentations; null if
 *       not presented then) (Paul et al., 2021);
 *   <li>{@code region}: {@link DataMapRegion}; {@code mislabel_rank}: 1 for the lowest AUM, ties by
 *       lower confidence, then lower sample id; {@code likely_mislabeled}: AUM below 0.
 * </ul>
 *
 * Regression gets {@code mean_squared_error}, {@code error_std} (population) of the
 * per-presentation squared error summed over outputs, {@code error_trend} (least-squares slope of
 * the per-epoch mean squared error against the epoch, null with one epoch) and {@code outlier_rank}
 * (1 for the largest mean squared error, ties by lower sample id).
 *
 * <p>With a source, the table has one row per source example (never presented ones with {@code
 * presentations} 0 and null statistics and ranks) plus any logged id the source lacks ({@code
 * source_row} null); without, one row per logged sample id. Runs on the driver (planning), the work
 * in Spark tasks; the ranking is a distributed sort ({@code zipWithIndex}), not a single-partition
 * window.
 */
public final class TrainingDynamics {
  /** Smallest probability taken for a logarithm: a recorded 0 would otherwise give -infinity. */
  public static final double PROBABILITY_FLOOR = 1e-12;

  /** The order of presentations of one example. */
  static final String[] TRAINING_ORDER = {"epoch", "round", "batch", "partition", "row"};

  private TrainingDynamics() {}

  /**
   * The dynamics table of {@code log}: one Spark job scans the targets to choose classification or
   * regression; the table itself is a plan that reads the committed files when an action runs (its
   * intermediate results then stay cached until {@link Result#close}).
   *
   * @param source the source labels (for {@code source_row} and never-presented examples), or
   *     {@code null}
   * @throws IllegalArgumentException when the phase has no committed epoch or the EL2N epoch is not
   *     committed (checked before Spark reads anything)
   */
  public static Result compute(
      SparkSession spark, AuditLog log, DynamicsOptions options, LabelSource source) {
    Phase phase = options.phase();
    List<EpochCommit> commits =
        log.commits().stream().filter(c -> c.phase() == phase && c.rows() > 0).toList();
    List<Integer> epochs = commits.stream().map(EpochCommit::epoch).toList();
    if (commits.isEmpty()) {
      throw new IllegalArgumentException(
          "The audit log in "
              + log.location()
              + " has no committed "
              + phase.label()
              + " epoch with rows"
              + (phase == Phase.VALIDATION
                  ? " (did the run have validation-data?); use --phase train"
                  : " yet"));
    }
    int el2nEpoch = options.el2nEpoch() == null ? epochs.get(0) : options.el2nEpoch();
    if (!epochs.contains(el2nEpoch)) {
      throw new IllegalArgumentException(
          "--el2n-epoch "
              + el2nEpoch
              + " is not a committed "
              + phase.label()
              + " epoch of "
              + log.location()
              + ": committed are "
              + epochs
              + "; choose one of them");
    }
    Dataset<Row> rows = presentations(spark, log, commits);
    DynamicsTask task = task(rows);
    boolean classification = task == DynamicsTask.CLASSIFICATION;
    // cached: the ranking's sort samples its input, zipWithIndex counts it, and the final sort
    // samples again; without the cache each of them would recompute every aggregation of the log
    Dataset<Row> stats =
        (classification ? classification(rows, el2nEpoch) : regression(rows))
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> ranked =
        classification
            ? ranked(
                stats,
                "mislabel_rank",
                new Column[] {col("aum").asc(), col("confidence").asc(), col("sample_id").asc()})
            : ranked(
                stats,
                "outlier_rank",
                new Column[] {col("mean_squared_error").desc(), col("sample_id").asc()});
    ranked = ranked.persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> table =
        source != null
            ? withSource(spark, ranked, source)
            : ranked.withColumn("source_row", lit(null).cast(DataTypes.LongType));
    return new Result(
        table.orderBy("sample_id"), task, phase, el2nEpoch, epochs, List.of(stats, ranked));
  }

  /**
   * A computed (lazy) dynamics table.
   *
   * @param table one row per sample id, in sample id order
   * @param task which statistics it holds
   * @param phase the phase aggregated
   * @param el2nEpoch the epoch EL2N is taken at (classification)
   * @param epochs the committed epochs of the phase that hold rows
   * @param cached intermediate results Spark caches once computed; {@link #close} releases them
   */
  public record Result(
      Dataset<Row> table,
      DynamicsTask task,
      Phase phase,
      int el2nEpoch,
      List<Integer> epochs,
      List<Dataset<Row>> cached)
      implements AutoCloseable {
    public Result {
      epochs = List.copyOf(epochs);
      cached = List.copyOf(cached);
    }

    /** Releases the cached intermediate results; {@link #table} is then recomputed if used. */
    @Override
    public void close() {
      cached.forEach(Dataset::unpersist);
    }
  }

  /**
   * The phase's rows from exactly the committed files, epoch by epoch, with only the columns used.
   */
  private static Dataset<Row> presentations(
      SparkSession spark, AuditLog log, List<EpochCommit> commits) {
    // committedFiles() lists every commit's files in commits() order: cut it by file counts
    List<String> all = log.committedFiles();
    Dataset<Row> union = null;
    int at = 0;
    for (EpochCommit c : log.commits()) {
      List<String> files = all.subList(at, at + c.files().size());
      at += c.files().size();
      if (!commits.contains(c)) {
        continue;
      }
      // explicit files carry no partition columns (a retired generation is not even under the
      // audit folder): the epoch comes from the manifest
      Dataset<Row> epoch =
          spark
              .read()
              .parquet(files.toArray(String[]::new))
              .select(
                  "sample_id", "round", "batch", "partition", "row", "step", "target", "prediction")
              .withColumn("epoch", lit(c.epoch()));
      union = union == null ? epoch : union.unionByName(epoch);
    }
    return union;
  }

  /** Classification when every target is one-hot with at least 2 classes (a target-only scan). */
  private static DynamicsTask task(Dataset<Row> rows) {
    Row r =
        rows.select(
                expr(
                    "bool_and(size(target) >= 2 AND size(target) = size(prediction)"
                        + " AND forall(target, x -> x = 0 OR x = 1)"
                        + " AND aggregate(target, 0D, (s, x) -> s + x) = 1D)"))
            .first();
    return !r.isNullAt(0) && r.getBoolean(0)
        ? DynamicsTask.CLASSIFICATION
        : DynamicsTask.REGRESSION;
  }

  private static Dataset<Row> classification(Dataset<Row> rows, int el2nEpoch) {
    String floor = PROBABILITY_FLOOR + "D";
    Dataset<Row> perRow =
        rows.withColumn("t", expr("array_position(target, CAST(1 AS FLOAT)) - 1"))
            .withColumn("p_t", expr("CAST(element_at(prediction, CAST(t + 1 AS INT)) AS DOUBLE)"))
            .withColumn("predicted", expr("array_position(prediction, array_max(prediction)) - 1"))
            .withColumn("correct", expr("CASE WHEN predicted = t THEN 1 ELSE 0 END"))
            .withColumn(
                "p_other", expr("CAST(array_max(filter(prediction, (x, i) -> i != t)) AS DOUBLE)"))
            .withColumn(
                "margin",
                expr("ln(greatest(p_t, " + floor + ")) - ln(greatest(p_other, " + floor + "))"))
            .withColumn(
                "l2",
                expr(
                    "sqrt(aggregate(zip_with(prediction, target, (p, y) -> (CAST(p AS DOUBLE) -"
                        + " CAST(y AS DOUBLE)) * (CAST(p AS DOUBLE) - CAST(y AS DOUBLE))), 0D, (s, x)"
                        + " -> s + x))"))
            .select(
                "sample_id",
                "epoch",
                "round",
                "batch",
                "partition",
                "row",
                "step",
                "t",
                "p_t",
                "predicted",
                "correct",
                "margin",
                "l2");
    WindowSpec order =
        Window.partitionBy("sample_id")
            .orderBy(
                java.util.Arrays.stream(TRAINING_ORDER)
                    .map(org.apache.spark.sql.functions::col)
                    .toArray(org.apache.spark.sql.Column[]::new));
    WindowSpec whole = order.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    Dataset<Row> ordered =
        perRow
            .withColumn("pos", org.apache.spark.sql.functions.row_number().over(order))
            .withColumn(
                "prev_correct", org.apache.spark.sql.functions.lag("correct", 1).over(order))
            .withColumn("prev_epoch", org.apache.spark.sql.functions.lag("epoch", 1).over(order))
            .withColumn(
                "last_wrong",
                org.apache
                    .spark
                    .sql
                    .functions
                    .max(expr("CASE WHEN correct = 0 THEN pos END"))
                    .over(whole));
    Dataset<Row> stats =
        ordered
            .groupBy("sample_id")
            .agg(
                expr("count(*)").as("presentations"),
                expr("CAST(sum(CASE WHEN prev_epoch IS NULL OR prev_epoch != epoch THEN 1 ELSE 0"
                        + " END) AS INT)")
                    .as("epochs_seen"),
                expr("min_by(step, pos)").as("first_step"),
                expr("max_by(step, pos)").as("last_step"),
                expr("CAST(max_by(t, pos) AS INT)").as("target_class"),
                expr("CAST(max_by(predicted, pos) AS INT)").as("last_predicted_class"),
                expr("avg(p_t)").as("confidence"),
                expr("stddev_pop(p_t)").as("variability"),
                expr("avg(correct)").as("correctness"),
                expr("CAST(sum(CASE WHEN prev_correct = 1 AND correct = 0 THEN 1 ELSE 0 END) AS"
                        + " INT)")
                    .as("forgetting_events"),
                expr("max(correct) = 1").as("ever_learned"),
                expr("min(CASE WHEN last_wrong IS NULL OR pos > last_wrong THEN epoch END)")
                    .as("stayed_learned_epoch"),
                expr("avg(margin)").as("aum"),
                expr("avg(CASE WHEN epoch = " + el2nEpoch + " THEN l2 END)").as("el2n"))
            .withColumn("region", expr(DataMapRegion.sqlExpression()))
            .withColumn("likely_mislabeled", expr("aum < 0"));
    return stats;
  }

  private static Dataset<Row> regression(Dataset<Row> rows) {
    Dataset<Row> perEpoch =
        rows.withColumn(
                "se",
                expr(
                    "aggregate(zip_with(prediction, target, (p, y) -> (CAST(p AS DOUBLE) - CAST(y"
                        + " AS DOUBLE)) * (CAST(p AS DOUBLE) - CAST(y AS DOUBLE))), 0D, (s, x) -> s"
                        + " + x)"))
            .groupBy("sample_id", "epoch")
            .agg(
                expr("count(*)").as("n"),
                expr("sum(se)").as("se_sum"),
                expr("sum(se * se)").as("se_sq_sum"),
                expr("min_by(step, struct(round, batch, partition, row))").as("first_step"),
                expr("max_by(step, struct(round, batch, partition, row))").as("last_step"));
    Dataset<Row> stats =
        perEpoch
            .groupBy("sample_id")
            .agg(
                expr("sum(n)").as("presentations"),
                expr("CAST(count(*) AS INT)").as("epochs_seen"),
                expr("min_by(first_step, epoch)").as("first_step"),
                expr("max_by(last_step, epoch)").as("last_step"),
                expr("sum(se_sum) / sum(n)").as("mean_squared_error"),
                expr("sqrt(greatest(sum(se_sq_sum) / sum(n) - pow(sum(se_sum) / sum(n), 2), 0D))")
                    .as("error_std"),
                expr("CASE WHEN var_pop(epoch) > 0 THEN covar_pop(epoch, se_sum / n) /"
                        + " var_pop(epoch) END")
                    .as("error_trend"));
    return stats;
  }

  /**
   * {@code stats} with a 1-based rank column by {@code order}: a distributed sort and {@code
   * zipWithIndex} (one extra job to count the sorted partitions), never one partition holding every
   * example.
   */
  private static Dataset<Row> ranked(Dataset<Row> stats, String rankColumn, Column[] order) {
    Dataset<Row> sorted = stats.orderBy(order);
    StructType schema = sorted.schema().add(rankColumn, DataTypes.LongType, true);
    JavaRDD<Row> withRank =
        sorted
            .javaRDD()
            .zipWithIndex()
            .map(
                (Tuple2<Row, Long> t) -> {
                  Row r = t._1();
                  Object[] values = new Object[r.size() + 1];
                  for (int i = 0; i < r.size(); i++) {
                    values[i] = r.get(i);
                  }
                  values[r.size()] = t._2() + 1;
                  return RowFactory.create(values);
                });
    return stats.sparkSession().createDataFrame(withRank, schema);
  }

  /**
   * One row per source example (never presented: presentations 0, statistics null) plus any logged
   * id the source lacks; {@code source_row} is the example's 0-based row in the source. The id to
   * row map is built on the driver from the labels (which the driver holds anyway).
   */
  private static Dataset<Row> withSource(
      SparkSession spark, Dataset<Row> stats, LabelSource source) {
    List<Row> rows = new ArrayList<>((int) Math.min(source.size(), Integer.MAX_VALUE));
    for (long i = 0; i < source.size(); i++) {
      rows.add(RowFactory.create(source.idAt(i), i));
    }
    StructType schema =
        new StructType()
            .add("source_id", DataTypes.LongType, false)
            .add("source_row", DataTypes.LongType, false);
    Dataset<Row> sourceRows = spark.createDataFrame(rows, schema);
    Dataset<Row> joined =
        stats.join(
            sourceRows, stats.col("sample_id").equalTo(sourceRows.col("source_id")), "full_outer");
    List<String> select = new ArrayList<>();
    select.add("coalesce(sample_id, source_id) AS sample_id");
    select.add("coalesce(presentations, 0L) AS presentations");
    for (String c : stats.columns()) {
      if (!c.equals("sample_id") && !c.equals("presentations")) {
        select.add(c);
      }
    }
    select.add("source_row");
    return joined.selectExpr(select.toArray(String[]::new));
  }
}
