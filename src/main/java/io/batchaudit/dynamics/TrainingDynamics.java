package io.batchaudit.dynamics;

import io.batchaudit.read.AuditLog;
import io.batchaudit.read.LabelSource;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.Phase;
import io.batchaudit.store.hadoop.SerializableConfiguration;
import io.batchaudit.store.parquet.ColumnSlices;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Per-example training dynamics of one phase of a committed log, as a Spark job over exactly the
 * committed files.
 *
 * <p>Every statistic is over an example's <em>presentations</em>: its rows in the phase, in
 * training order {@code (epoch, round, batch, partition, row)} (the order of the README's schema;
 * {@code step} is not used as the order because a ComputationGraph worker's step restarts every
 * round). The order of rows in the files does not matter: it is re-established per sample id by
 * sorting on that key. Classification (every target one-hot) gets, per sample id:
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
 * source_row} null); without, one row per logged sample id.
 *
 * <p>How it runs: a Spark job of RDDs over primitive arrays, not a SQL plan (whose higher-order
 * array functions are interpreted row by row and whose window sorts whole rows). Driver side:
 * planning, one small job for the sample ids' range (Parquet footer statistics, in tasks), and the
 * ranking's split points and counts. In Spark tasks:
 *
 * <ol>
 *   <li>map: tasks over contiguous groups of the committed files ({@link PresentationScan}) decode
 *       the six key columns, targets and predictions with the store's columnar reader and append a
 *       compact record per presentation to a block of the <em>bucket</em> (an equal range of sample
 *       ids, {@link IdBuckets}) of its id; the task decides per row whether the target is one-hot,
 *       and its blocks carry the verdict;
 *   <li>one shuffle of those blocks (plus the source's ids and rows, per bucket), one record per
 *       block;
 *   <li>per bucket ({@link BucketStats}): the presentations sorted by {@code (sample_id, training
 *       order)} with primitive sorts and every statistic in one pass; classification when every
 *       block of every map task says one-hot (each map task sends each bucket its verdict), so no
 *       separate scan decides the task; the buckets' statistics are cached;
 *   <li>the ranking from compact keys ({@link Ranking}): two more, small shuffles;
 *   <li>the rows, bucket after bucket, each in sample id order: the table is in sample id order.
 * </ol>
 *
 * Memory: a map task holds one decoded slice of a file and one partly filled block per bucket; a
 * bucket task its bucket's presentations (buckets are sized to about {@value #ROWS_PER_BUCKET}
 * presentations); the driver the file list, the source it was given, and the ranking's sampled
 * split points and per-range counts, nothing per presentation.
 */
public final class TrainingDynamics {
  /** Smallest probability taken for a logarithm: a recorded 0 would otherwise give -infinity. */
  public static final double PROBABILITY_FLOOR = 1e-12;

  /** Presentations a bucket is sized to hold (more buckets for larger logs). */
  static final long ROWS_PER_BUCKET = 500_000;

  /** Presentations a map task is sized to read. */
  static final long ROWS_PER_MAP_TASK = 1_000_000;

  private static final StructType CLASSIFICATION_SCHEMA =
      new StructType()
          .add("sample_id", DataTypes.LongType, true)
          .add("presentations", DataTypes.LongType, false)
          .add("epochs_seen", DataTypes.IntegerType, true)
          .add("first_step", DataTypes.LongType, true)
          .add("last_step", DataTypes.LongType, true)
          .add("target_class", DataTypes.IntegerType, true)
          .add("last_predicted_class", DataTypes.IntegerType, true)
          .add("confidence", DataTypes.DoubleType, true)
          .add("variability", DataTypes.DoubleType, true)
          .add("correctness", DataTypes.DoubleType, true)
          .add("forgetting_events", DataTypes.IntegerType, true)
          .add("ever_learned", DataTypes.BooleanType, true)
          .add("stayed_learned_epoch", DataTypes.IntegerType, true)
          .add("aum", DataTypes.DoubleType, true)
          .add("el2n", DataTypes.DoubleType, true)
          .add("region", DataTypes.StringType, true)
          .add("likely_mislabeled", DataTypes.BooleanType, true)
          .add("mislabel_rank", DataTypes.LongType, true)
          .add("source_row", DataTypes.LongType, true);

  private static final StructType REGRESSION_SCHEMA =
      new StructType()
          .add("sample_id", DataTypes.LongType, true)
          .add("presentations", DataTypes.LongType, false)
          .add("epochs_seen", DataTypes.IntegerType, true)
          .add("first_step", DataTypes.LongType, true)
          .add("last_step", DataTypes.LongType, true)
          .add("mean_squared_error", DataTypes.DoubleType, true)
          .add("error_std", DataTypes.DoubleType, true)
          .add("error_trend", DataTypes.DoubleType, true)
          .add("outlier_rank", DataTypes.LongType, true)
          .add("source_row", DataTypes.LongType, true);

  private TrainingDynamics() {}

  /**
   * The dynamics table of {@code log}. Runs the statistics and the ranking's small jobs now (their
   * results stay cached until {@link Result#close}); the table's rows are produced when an action
   * reads it.
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
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SerializableConfiguration conf =
        new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
    long rows = commits.stream().mapToLong(EpochCommit::rows).sum();
    int parallelism = Math.max(1, sc.defaultParallelism());
    List<List<PresentationScan.FileEpoch>> groups = groups(log, commits, rows, parallelism);
    JavaRDD<List<PresentationScan.FileEpoch>> tasks = sc.parallelize(groups, groups.size());

    // the buckets: equal ranges of the ids the log and the source hold
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (long[] r :
        tasks
            .map(
                g -> {
                  long[] range = {Long.MAX_VALUE, Long.MIN_VALUE};
                  for (PresentationScan.FileEpoch f : g) {
                    long[] fr = ColumnSlices.sampleIdRange(conf.get(), new Path(f.path()));
                    if (fr != null) {
                      range[0] = Math.min(range[0], fr[0]);
                      range[1] = Math.max(range[1], fr[1]);
                    }
                  }
                  return range;
                })
            .collect()) {
      lo = Math.min(lo, r[0]);
      hi = Math.max(hi, r[1]);
    }
    if (source != null) {
      for (long i = 0; i < source.size(); i++) {
        long id = source.idAt(i);
        lo = Math.min(lo, id);
        hi = Math.max(hi, id);
      }
    }
    if (lo > hi) {
      lo = hi = 0; // committed rows, yet no id: the scan below reports the file
    }
    int bucketCount =
        (int)
            Math.min(10_000, Math.max(parallelism, (rows + ROWS_PER_BUCKET - 1) / ROWS_PER_BUCKET));
    IdBuckets buckets = new IdBuckets(lo, hi, bucketCount);

    JavaPairRDD<Integer, BucketInput> blocks =
        tasks.mapPartitionsToPair(
            it -> {
              List<PresentationScan.FileEpoch> files = new ArrayList<>();
              it.forEachRemaining(files::addAll);
              return new PresentationScan(conf.get(), buckets, files);
            });
    if (source != null) {
      blocks = blocks.union(sc.parallelizePairs(sourceBlocks(source, buckets), parallelism));
    }
    int el2n = el2nEpoch;
    JavaRDD<BucketStats> stats =
        blocks
            .partitionBy(IdBuckets.identity(buckets.count))
            .mapPartitions(it -> List.of(BucketStats.compute(it, el2n)).iterator(), true)
            .persist(StorageLevel.MEMORY_AND_DISK());
    Ranking.Ranks ranks = Ranking.of(stats, buckets);
    DynamicsTask task = ranks.task();
    return new Result(spark, stats, ranks.byBucket(), task, phase, el2nEpoch, epochs);
  }

  /** The columns of the table of {@code task}. */
  static StructType schema(DynamicsTask task) {
    return task == DynamicsTask.CLASSIFICATION ? CLASSIFICATION_SCHEMA : REGRESSION_SCHEMA;
  }

  /**
   * The committed files of {@code commits} with their epochs, cut into contiguous groups of about
   * {@value #ROWS_PER_MAP_TASK} rows (by the manifests' row counts), at least two per core.
   */
  private static List<List<PresentationScan.FileEpoch>> groups(
      AuditLog log, List<EpochCommit> commits, long rows, int parallelism) {
    // committedFiles() lists every commit's files in commits() order: cut it by file counts
    List<String> all = log.committedFiles();
    List<PresentationScan.FileEpoch> files = new ArrayList<>();
    List<Long> fileRows = new ArrayList<>();
    int at = 0;
    for (EpochCommit c : log.commits()) {
      List<String> paths = all.subList(at, at + c.files().size());
      at += c.files().size();
      if (!commits.contains(c)) {
        continue;
      }
      for (int i = 0; i < paths.size(); i++) {
        files.add(new PresentationScan.FileEpoch(paths.get(i), c.epoch()));
        fileRows.add(c.files().get(i).rows());
      }
    }
    long wanted =
        Math.min(
            files.size(),
            Math.max(2L * parallelism, (rows + ROWS_PER_MAP_TASK - 1) / ROWS_PER_MAP_TASK));
    long perGroup = Math.max(1, (rows + wanted - 1) / wanted);
    List<List<PresentationScan.FileEpoch>> groups = new ArrayList<>();
    List<PresentationScan.FileEpoch> group = new ArrayList<>();
    long inGroup = 0;
    for (int i = 0; i < files.size(); i++) {
      group.add(files.get(i));
      inGroup += fileRows.get(i);
      if (inGroup >= perGroup) {
        // an ArrayList, not List.copyOf: Kryo (spark.serializer) rebuilds a shipped list by adding
        // to a new instance of its class, which an immutable list refuses
        groups.add(new ArrayList<>(group));
        group.clear();
        inGroup = 0;
      }
    }
    if (!group.isEmpty()) {
      groups.add(new ArrayList<>(group));
    }
    return groups;
  }

  /** The source's ids and rows, one block per bucket (built from the labels the driver holds). */
  private static List<Tuple2<Integer, BucketInput>> sourceBlocks(
      LabelSource source, IdBuckets buckets) {
    int[] size = new int[buckets.count];
    for (long i = 0; i < source.size(); i++) {
      size[buckets.of(source.idAt(i))]++;
    }
    long[][] ids = new long[buckets.count][];
    long[][] rows = new long[buckets.count][];
    for (int b = 0; b < buckets.count; b++) {
      ids[b] = new long[size[b]];
      rows[b] = new long[size[b]];
    }
    int[] at = new int[buckets.count];
    for (long i = 0; i < source.size(); i++) {
      long id = source.idAt(i);
      int b = buckets.of(id);
      ids[b][at[b]] = id;
      rows[b][at[b]++] = i;
    }
    List<Tuple2<Integer, BucketInput>> out = new ArrayList<>();
    for (int b = 0; b < buckets.count; b++) {
      if (size[b] > 0) {
        out.add(new Tuple2<>(b, new SourceBlock(ids[b], rows[b])));
      }
    }
    return out;
  }

  /** One bucket's rows, in sample id order, with the ranks sent back to it. */
  private static Iterator<Row> rows(
      Iterator<BucketStats> statsOfBucket, Iterator<Tuple2<Integer, Ranking.RankBlock>> ranks) {
    BucketStats s = statsOfBucket.next();
    long[] rank = ranks(s, ranks);
    return new Iterator<>() {
      private int j;

      @Override
      public boolean hasNext() {
        return j < s.outId.length;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        int k = s.outStat[j];
        return s.row(j++, k < 0 ? 0 : rank[k]);
      }
    };
  }

  /** The ranks of a bucket's presented ids (0: none), from the blocks sent back to it. */
  private static long[] ranks(BucketStats s, Iterator<Tuple2<Integer, Ranking.RankBlock>> ranks) {
    long[] rank = new long[s.presented()];
    while (ranks.hasNext()) {
      Ranking.RankBlock b = ranks.next()._2();
      for (int i = 0; i < b.ids().length; i++) {
        rank[Arrays.binarySearch(s.id, b.ids()[i])] = b.ranks()[i];
      }
    }
    return rank;
  }

  /**
   * A computed dynamics table: its rows, one partition per bucket, each in sample id order, the
   * buckets in id order.
   */
  public static final class Result implements AutoCloseable {
    private final SparkSession spark;
    private final JavaRDD<BucketStats> stats;
    private final JavaPairRDD<Integer, Ranking.RankBlock> ranks;
    private final DynamicsTask task;
    private final Phase phase;
    private final int el2nEpoch;
    private final List<Integer> epochs;

    Result(
        SparkSession spark,
        JavaRDD<BucketStats> stats,
        JavaPairRDD<Integer, Ranking.RankBlock> ranks,
        DynamicsTask task,
        Phase phase,
        int el2nEpoch,
        List<Integer> epochs) {
      this.spark = spark;
      this.stats = stats;
      this.ranks = ranks;
      this.task = task;
      this.phase = phase;
      this.el2nEpoch = el2nEpoch;
      this.epochs = List.copyOf(epochs);
    }

    /** The table as a Spark SQL data frame (one row per sample id, in sample id order). */
    public Dataset<Row> table() {
      return spark.createDataFrame(
          stats.zipPartitions(ranks, TrainingDynamics::rows), schema(task));
    }

    /** Which statistics the table holds. */
    public DynamicsTask task() {
      return task;
    }

    /** The phase aggregated. */
    public Phase phase() {
      return phase;
    }

    /** The epoch EL2N is taken at (classification). */
    public int el2nEpoch() {
      return el2nEpoch;
    }

    /** The committed epochs of the phase that hold rows. */
    public List<Integer> epochs() {
      return epochs;
    }

    /**
     * Writes the table into the folder {@code dir} as one Parquet file per bucket ({@link
     * TableFiles}: {@code part-<bucket>.snappy.parquet}, and Spark's {@code _SUCCESS} marker), one
     * Spark job whose tasks also count what {@link DynamicsSummary} reports and keep their rows
     * ranked within the first {@code top}; the driver merges those bounded parts.
     *
     * @return the summary's counts and ranked rows of what was written
     */
    SummaryPart write(Path dir, org.apache.hadoop.conf.Configuration conf, int top) {
      SerializableConfiguration c = new SerializableConfiguration(conf);
      String folder = dir.toString();
      DynamicsTask t = task;
      StructType schema = schema(task);
      List<SummaryPart> parts =
          stats
              .zipPartitions(
                  ranks,
                  (s, r) -> {
                    BucketStats bucket = s.next();
                    SummaryPart part = new SummaryPart(t, top);
                    org.apache.spark.TaskContext context = org.apache.spark.TaskContext.get();
                    TableFiles.write(
                        c.get(),
                        new Path(folder),
                        context.partitionId(),
                        context.taskAttemptId(),
                        schema,
                        bucket,
                        TrainingDynamics.ranks(bucket, r),
                        part);
                    return List.of(part).iterator();
                  })
              .collect();
      try {
        dir.getFileSystem(conf).create(new Path(dir, "_SUCCESS"), true).close();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("Cannot write " + dir + "/_SUCCESS", e);
      }
      SummaryPart all = new SummaryPart(task, top);
      parts.forEach(all::merge);
      return all;
    }

    /** Releases the cached statistics; they are then recomputed if the table is used. */
    @Override
    public void close() {
      stats.unpersist();
    }
  }
}
