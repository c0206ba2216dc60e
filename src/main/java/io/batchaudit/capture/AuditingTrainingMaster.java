package io.batchaudit.capture;

import io.batchaudit.store.hadoop.SerializableConfiguration;
import io.batchaudit.store.table.AcceptedAttempt;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.core.loader.MultiDataSetLoader;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StorageMetaData;
import org.deeplearning4j.core.util.UIDProvider;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.ExecuteWorkerMultiDataSetFlatMap;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingAggregationTuple;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingElementAddFunction;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingElementCombineFunction;
import org.deeplearning4j.spark.util.SparkUtils;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's parameter-averaging training master, recording every round and telling which task attempts
 * Spark accepted.
 *
 * <p>Runs on the driver. Training is DL4J's: the same splits, repartitioning, worker code, and
 * averaging functions. Three additions, all per averaging round:
 *
 * <ol>
 *   <li>before the round, a fresh {@link BatchRecorder} (which knows the epoch and the round) is
 *       installed as hook and listener of the round's workers, and the parameters the workers start
 *       from are fingerprinted;
 *   <li>workers are {@link TaggingWorker}s: DL4J's worker whose result names its task attempt;
 *   <li>the results are averaged with DL4J's own aggregation functions in the same single {@code
 *       treeAggregate}, which also collects the tags: Spark delivers exactly one result per
 *       partition, so the tags name exactly the attempts whose batches went into the model, however
 *       many attempts ran (retries, speculative copies).
 * </ol>
 *
 * <p>After the round the round consumer gets a {@link RoundResult}. Call {@link #startEpoch(int)}
 * before each {@code fit(rdd)} of {@code SparkDl4jMultiLayer} or {@code SparkComputationGraph}.
 *
 * <p>Both of DL4J's approaches: {@code Direct} (the examples' RDD is split and trained) and {@code
 * Export} (DL4J's default: the examples are first written as minibatch files, whose paths are split
 * and trained; see {@link ExportedMinibatches} for how the sample ids travel with them). An Export
 * run writes below {@code exportDirectory} (DL4J's builder option) the folder {@code
 * <exportDirectory>/<trainingMasterUID>/<rdd id>/} with {@code data/} and {@code paths/}, during
 * the first epoch's {@code fit}; later epochs reuse it (DL4J's caching by RDD id); {@link
 * #deleteExport} removes it. (Fitting paths that this master did not export, DL4J's {@code
 * fitPaths}, is not supported: those files carry no sample ids.)
 */
public final class AuditingTrainingMaster extends ParameterAveragingTrainingMaster {
  private final transient Capture capture;
  private final transient Consumer<RoundResult> onRound;
  private final transient List<TrainingHook> extraHooks;
  private transient int epoch;
  private transient int round;
  private transient boolean everyExampleOnce;

  /**
   * @param builder DL4J's builder, with workers, batch size, averaging frequency, approach, seed
   * @param capture what to record ({@link Capture#off()} to train without audit)
   * @param extraHooks further worker hooks, run before the recorder (for example a test's reference
   *     forward pass)
   * @param onRound called on the driver after every round
   */
  public AuditingTrainingMaster(
      ParameterAveragingTrainingMaster.Builder builder,
      Capture capture,
      List<TrainingHook> extraHooks,
      Consumer<RoundResult> onRound) {
    super(builder);
    this.capture = capture;
    this.extraHooks = List.copyOf(extraHooks);
    this.onRound = onRound;
    if (collectTrainingStats) {
      throw new IllegalArgumentException(
          "AuditingTrainingMaster does not support DL4J's collectTrainingStats");
    }
  }

  /**
   * From now on splits every epoch so that each example is trained exactly once ({@code
   * training.coverage=all}); call before the first {@code fit}. Everything else stays DL4J's.
   */
  public void trainEveryExampleOnce() {
    this.everyExampleOnce = true;
  }

  /**
   * DL4J's split of an epoch into rounds, or with {@link #trainEveryExampleOnce()} splits no larger
   * than what a round trains.
   *
   * <p>DL4J makes {@code total / (workers x batch-size x averaging-frequency)} splits (integer
   * division, at least one) and assigns every example to one of them at random; its repartition
   * then gives each worker at least {@code batch-size x averaging-frequency} examples of a split
   * that holds more than a round trains, and a worker trains only that many, so the rest of the
   * split is not trained. Here instead there are {@code ceil(total / (workers x batch-size x
   * averaging-frequency))} splits, example {@code i} (in the RDD's order) going to split {@code i
   * mod splits}: no split holds more than one round trains, so DL4J's balanced repartition gives no
   * worker more than {@code batch-size x averaging-frequency} of it, and every example is trained
   * exactly once. Runs on the driver; the splits are lazy RDDs over the training data.
   */
  @Override
  protected <T> JavaRDD<T>[] getSplitRDDs(
      JavaRDD<T> trainingData, int totalDataSetObjectCount, int examplesPerDataSetObject) {
    if (!everyExampleOnce) {
      return super.getSplitRDDs(trainingData, totalDataSetObjectCount, examplesPerDataSetObject);
    }
    long perSplit = getNumDataSetObjectsPerSplit(examplesPerDataSetObject);
    int splits = (int) Math.max(1, (totalDataSetObjectCount + perSplit - 1) / perSplit);
    org.apache.spark.api.java.JavaPairRDD<T, Long> indexed = trainingData.zipWithIndex();
    @SuppressWarnings("unchecked")
    JavaRDD<T>[] out = (JavaRDD<T>[]) new JavaRDD<?>[splits];
    for (int i = 0; i < splits; i++) {
      out[i] = indexed.filter(new InSplit<>(i, splits)).keys();
    }
    return out;
  }

  /** Keeps the examples of one split; runs on the executors. */
  private static final class InSplit<T>
      implements org.apache.spark.api.java.function.Function<scala.Tuple2<T, Long>, Boolean> {
    private static final long serialVersionUID = 1L;
    private final int split;
    private final int splits;

    InSplit(int split, int splits) {
      this.split = split;
      this.splits = splits;
    }

    @Override
    public Boolean call(scala.Tuple2<T, Long> example) {
      return example._2() % splits == split;
    }
  }

  /**
   * DL4J's {@code exportIfRequired}: exports an RDD the first time it is trained, reuses the export
   * for the same RDD (later epochs), deletes the previous export for a new RDD. Runs on the driver.
   * Unlike DL4J it does not refuse a local default file system on a cluster: the export directory
   * is explicit here (the job's default is beside its output folder), and like the output folder it
   * must be readable by every executor.
   */
  @Override
  protected JavaRDD<String> exportIfRequired(JavaSparkContext sc, JavaRDD<DataSet> trainingData) {
    return sc.textFile(
        exportOnce(sc, trainingData, ExportedMinibatches.DataSets.INSTANCE) + "paths/");
  }

  @Override
  protected JavaRDD<String> exportIfRequiredMDS(
      JavaSparkContext sc, JavaRDD<MultiDataSet> trainingData) {
    return sc.textFile(
        exportOnce(sc, trainingData, ExportedMinibatches.MultiDataSets.INSTANCE) + "paths/");
  }

  private <T> String exportOnce(
      JavaSparkContext sc, JavaRDD<T> data, ExportedMinibatches.Kind<T> kind) {
    if (lastExportedRDDId == data.id() && lastRDDExportPath != null) {
      return getBaseDirForRDD(data);
    }
    if (lastRDDExportPath != null) {
      deleteTempDir(sc, lastRDDExportPath);
    }
    String baseDir = getBaseDirForRDD(data);
    // recorded before the export job, so that deleteExport also removes a failed export's files
    lastExportedRDDId = Integer.MIN_VALUE;
    lastRDDExportPath = baseDir;
    Broadcast<SerializableConfiguration> hadoop =
        sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
    String uid = UIDProvider.getJVMUID();
    // DL4J's file names carry the first 8 characters of the driver JVM's id
    JavaRDD<String> paths =
        data.mapPartitionsWithIndex(
            new ExportedMinibatches.Export<>(
                kind,
                batchSizePerWorker,
                baseDir + "data/",
                uid.length() <= 8 ? uid : uid.substring(0, 8),
                hadoop),
            true);
    paths.saveAsTextFile(baseDir + "paths/");
    lastExportedRDDId = data.id();
    return baseDir;
  }

  /**
   * The folder of this master's exports, {@code <exportDirectory>/<trainingMasterUID>/}; {@code
   * null} before the first export.
   */
  public String exportFolder() {
    if (exportDirectory == null || lastRDDExportPath == null) {
      return null;
    }
    return exportDirectory + (exportDirectory.endsWith("/") ? "" : "/") + trainingMasterUID + "/";
  }

  /**
   * Deletes this master's exports ({@link #exportFolder()}, recursively), if any. Runs on the
   * driver; the caller calls it once training is over (also when it failed).
   */
  public void deleteExport(JavaSparkContext sc) {
    String folder = exportFolder();
    if (folder != null) {
      deleteTempDir(sc, folder);
      lastRDDExportPath = null;
      lastExportedRDDId = Integer.MIN_VALUE;
    }
  }

  /**
   * DL4J's round of Export training ({@code doIterationPaths}), step for step (repartition the
   * split's paths, load and train, average; the results are not cached, see below), with the worker
   * side of {@link ExportedMinibatches}: DL4J's own loading limit, re-batching and worker function,
   * the sample ids set on every minibatch. Between the round's recorder and its report, like {@link
   * #doIteration}.
   */
  @Override
  protected void doIterationPaths(
      SparkDl4jMultiLayer network,
      SparkComputationGraph graph,
      JavaRDD<String> split,
      int splitNum,
      int numSplits,
      int dataSetObjectNumExamples,
      DataSetLoader dsLoader,
      MultiDataSetLoader mdsLoader) {
    DriverModel model =
        network != null ? LayerNetwork.onDriver(network) : GraphNetwork.onDriver(graph);
    String startParams = beginRound(splitNum, model);
    JavaRDD<String> data =
        SparkUtils.repartition(
            split,
            repartition,
            repartitionStrategy,
            numObjectsEachWorker(dataSetObjectNumExamples),
            numWorkers);
    ParameterAveragingTrainingWorker worker =
        network != null ? getWorkerInstance(network) : getWorkerInstance(graph);
    // DL4J's ExecuteWorkerPathFlatMap loads at most this many files per task
    int maxFiles =
        (int) Math.ceil(averagingFrequency * batchSizePerWorker / (double) rddDataSetNumExamples);
    Broadcast<SerializableConfiguration> hadoop =
        model
            .sparkContext()
            .broadcast(new SerializableConfiguration(model.sparkContext().hadoopConfiguration()));
    FlatMapFunction<Iterator<String>, ParameterAveragingTrainingResult> train =
        network != null
            ? new ExportedMinibatches.Train<>(
                ExportedMinibatches.DataSets.INSTANCE, worker, batchSizePerWorker, maxFiles, hadoop)
            : new ExportedMinibatches.Train<>(
                ExportedMinibatches.MultiDataSets.INSTANCE,
                worker,
                batchSizePerWorker,
                maxFiles,
                hadoop);
    // Not persisted, unlike DL4J's (which caches the results before averaging them): a cached
    // result outlives its task attempt, so an attempt that failed after caching it (after sealing
    // its audit file) would have its result delivered in place of its retry's. Unpersisted, each
    // result comes from the attempt Spark accepted, as in the Direct rounds; values are the same.
    JavaRDD<ParameterAveragingTrainingResult> results = data.mapPartitions(train);
    processResults(network, graph, results, splitNum, numSplits);
    endRound(numSplits, startParams, model);
  }

  /** Sets the 0-based epoch that the next {@code fit} trains. */
  public void startEpoch(int epoch) {
    this.epoch = epoch;
  }

  /**
   * DL4J's round of {@code MultiLayerNetwork} training, unchanged, between the round's recorder and
   * its report. (DL4J's master has one overload per kind of network for each of its steps; each
   * override here hands its wrapper to the kind's {@link DriverModel}.)
   */
  @Override
  protected void doIteration(
      SparkDl4jMultiLayer network, JavaRDD<DataSet> split, int splitNum, int numSplits) {
    DriverModel model = LayerNetwork.onDriver(network);
    String startParams = beginRound(splitNum, model);
    super.doIteration(network, split, splitNum, numSplits);
    endRound(numSplits, startParams, model);
  }

  /**
   * DL4J's round of {@code ComputationGraph} training, step for step (repartition, run the workers,
   * average), with one addition: each partition's single-example MultiDataSets are merged into
   * minibatches before the worker sees them, exactly as DL4J's worker would merge them, but keeping
   * the examples' metadata (DL4J's {@code MultiDataSet.merge} drops it, and with it the sample
   * ids). The worker passes a minibatch of the configured size through unchanged.
   */
  @Override
  protected void doIteration(
      SparkComputationGraph graph, JavaRDD<MultiDataSet> split, int splitNum, int numSplits) {
    DriverModel model = GraphNetwork.onDriver(graph);
    String startParams = beginRound(splitNum, model);
    JavaRDD<MultiDataSet> data =
        SparkUtils.repartition(
            split,
            repartition,
            repartitionStrategy,
            numObjectsEachWorker(rddDataSetNumExamples),
            numWorkers);
    JavaRDD<ParameterAveragingTrainingResult> results =
        data.mapPartitions(new MinibatchesWithIds(batchSizePerWorker))
            .mapPartitions(new ExecuteWorkerMultiDataSetFlatMap<>(getWorkerInstance(graph)));
    processResults(null, graph, results, splitNum, numSplits);
    endRound(numSplits, startParams, model);
  }

  /**
   * Installs the round's recorders; returns the fingerprint of the start parameters (null when not
   * audited).
   */
  private String beginRound(int splitNum, DriverModel model) {
    round = splitNum - 1;
    // provenance of the round, for the manifest
    String startParams = capture.fingerprint(model.params());
    List<TrainingHook> hooks = new ArrayList<>(extraHooks);
    List<TrainingListener> roundListeners = new ArrayList<>();
    for (BatchRecorder recorder : capture.recorders(epoch, round, model.iterationCount())) {
      hooks.add(recorder);
      roundListeners.add(recorder);
    }
    // DL4J reads these two fields when it builds the round's worker (getWorkerInstance).
    this.trainingHookList = hooks.isEmpty() ? null : hooks;
    this.listeners = roundListeners.isEmpty() ? null : roundListeners;
    acceptedThisRound = null;
    return startParams;
  }

  private void endRound(int numSplits, String startParams, DriverModel model) {
    onRound.accept(
        new RoundResult(
            epoch,
            round,
            numSplits,
            acceptedThisRound == null ? List.of() : acceptedThisRound,
            startParams,
            model.score()));
  }

  private transient List<AcceptedAttempt> acceptedThisRound;

  /** DL4J's worker construction (broadcast of configuration and parameters), with tagging. */
  @Override
  public ParameterAveragingTrainingWorker getWorkerInstance(SparkDl4jMultiLayer network) {
    return taggingWorker(LayerNetwork.onDriver(network));
  }

  @Override
  public ParameterAveragingTrainingWorker getWorkerInstance(SparkComputationGraph graph) {
    return taggingWorker(GraphNetwork.onDriver(graph));
  }

  private TaggingWorker taggingWorker(DriverModel model) {
    Broadcast<NetBroadcastTuple> broadcast = model.sparkContext().broadcast(model.broadcastTuple());
    WorkerConfiguration configuration =
        new WorkerConfiguration(
            model.isGraph(),
            rddDataSetNumExamples,
            batchSizePerWorker,
            averagingFrequency,
            prefetchNumBatches,
            false);
    return new TaggingWorker(
        broadcast, saveUpdater, configuration, trainingHookList, listeners, getRouterProvider());
  }

  /**
   * Merges consecutive examples of a partition into minibatches of {@code batchSize} examples (the
   * last one may be smaller) with DL4J's own {@code MultiDataSet.merge}, and sets the merged
   * example metadata, which that merge leaves out.
   */
  static final class MinibatchesWithIds
      implements FlatMapFunction<Iterator<MultiDataSet>, MultiDataSet> {
    private static final long serialVersionUID = 1L;
    private final int batchSize;

    MinibatchesWithIds(int batchSize) {
      this.batchSize = batchSize;
    }

    @Override
    public Iterator<MultiDataSet> call(Iterator<MultiDataSet> examples) {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return examples.hasNext();
        }

        @Override
        public MultiDataSet next() {
          List<MultiDataSet> parts = new ArrayList<>(batchSize);
          List<Serializable> ids = new ArrayList<>(batchSize);
          long n = 0;
          while (n < batchSize && examples.hasNext()) {
            MultiDataSet e = examples.next();
            parts.add(e);
            n += e.getFeatures(0).size(0);
            List<Serializable> meta = e.getExampleMetaData();
            if (meta != null) {
              ids.addAll(meta);
            }
          }
          if (parts.size() == 1) {
            return parts.get(0);
          }
          MultiDataSet merged = org.nd4j.linalg.dataset.MultiDataSet.merge(parts);
          merged.setExampleMetaData(ids.size() == n ? ids : null);
          return merged;
        }
      };
    }
  }

  /** The running aggregate: DL4J's tuple plus the tags of the results it holds. */
  static final class Aggregate implements Serializable {
    private static final long serialVersionUID = 1L;
    ParameterAveragingAggregationTuple tuple;
    final ArrayList<long[]> tags = new ArrayList<>(); // {partition, attempt id, batches, examples}
  }

  static final class AddResult
      implements Function2<Aggregate, ParameterAveragingTrainingResult, Aggregate> {
    private static final long serialVersionUID = 1L;
    private final ParameterAveragingElementAddFunction add =
        new ParameterAveragingElementAddFunction();

    @Override
    public Aggregate call(Aggregate agg, ParameterAveragingTrainingResult r) throws Exception {
      agg.tuple = add.call(agg.tuple, r);
      TaggedResult t = (TaggedResult) r;
      agg.tags.add(new long[] {t.partition(), t.taskAttemptId(), t.batches(), t.examples()});
      return agg;
    }
  }

  static final class Combine implements Function2<Aggregate, Aggregate, Aggregate> {
    private static final long serialVersionUID = 1L;
    private final ParameterAveragingElementCombineFunction combine =
        new ParameterAveragingElementCombineFunction();

    @Override
    public Aggregate call(Aggregate a, Aggregate b) throws Exception {
      a.tuple = combine.call(a.tuple, b.tuple);
      a.tags.addAll(b.tags);
      return a;
    }
  }

  /**
   * DL4J's {@code processResults}, step for step (average the parameter and updater-state sums, set
   * them, set the score, forward listener data, advance the iteration count), with the aggregation
   * also collecting the accepted attempts. DL4J's signature passes both kinds of wrapper, the one
   * not trained {@code null}.
   */
  @Override
  protected void processResults(
      SparkDl4jMultiLayer network,
      SparkComputationGraph graph,
      JavaRDD<ParameterAveragingTrainingResult> results,
      int splitNum,
      int totalSplits) {
    DriverModel model =
        network != null ? LayerNetwork.onDriver(network) : GraphNetwork.onDriver(graph);
    Aggregate agg =
        results.treeAggregate(new Aggregate(), new AddResult(), new Combine(), aggregationDepth);
    List<AcceptedAttempt> accepted = new ArrayList<>();
    for (long[] t : agg.tags) {
      accepted.add(new AcceptedAttempt(round, (int) t[0], t[1], (int) t[2], t[3]));
    }
    accepted.sort(java.util.Comparator.comparingInt(AcceptedAttempt::partition));
    acceptedThisRound = accepted;

    ParameterAveragingAggregationTuple tuple = agg.tuple;
    INDArray params = tuple == null ? null : tuple.getParametersSum();
    if (params != null) {
      int aggCount = tuple.getAggregationsCount();
      params.divi(aggCount);
      INDArray updaterState = tuple.getUpdaterStateSum();
      if (updaterState != null) {
        updaterState.divi(aggCount);
      }
      model.setAverage(params, updaterState, tuple.getScoreSum() / tuple.getAggregationsCount());
    }
    if (statsStorage != null && tuple != null) {
      Collection<StorageMetaData> meta = tuple.getListenerMetaData();
      if (meta != null && !meta.isEmpty()) {
        statsStorage.putStorageMetaData(meta);
      }
      Collection<Persistable> staticInfo = tuple.getListenerStaticInfo();
      if (staticInfo != null && !staticInfo.isEmpty()) {
        statsStorage.putStaticInfo(staticInfo);
      }
      Collection<Persistable> updates = tuple.getListenerUpdates();
      if (updates != null && !updates.isEmpty()) {
        statsStorage.putUpdate(updates);
      }
    }
    Nd4j.getExecutioner().commit();
    if (params != null) {
      model.advanceIterationCount(averagingFrequency);
    }
  }
}
