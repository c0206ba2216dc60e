package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.capture.GraphNetwork;
import io.batchaudit.config.JobConfig;
import io.batchaudit.config.Keys;
import io.batchaudit.read.AuditLog;
import io.batchaudit.read.VerificationReport;
import io.batchaudit.read.Verifier;
import io.batchaudit.source.DataSpec;
import io.batchaudit.source.InputData;
import io.batchaudit.source.InputSpec;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.testing.SparkTests;
import io.batchaudit.testing.TestRuns;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * {@code rdd-approach=export}, DL4J's default approach, audited: the sample ids and targets in the
 * log equal the source for every row, including minibatches that DL4J's worker assembles from two
 * exported files (where DL4J's own metadata is lost); training is bit-identical to DL4J's own
 * {@code ParameterAveragingTrainingMaster} with {@code Export}, the same seed and data, with 2
 * workers (see {@code AuditDoesNotChangeTrainingTest} for why 2), on an epoch of one partial round
 * and on epochs of several rounds; the export folder exists while training and is gone after.
 *
 * <p>The data: {@code local[2]} gives the training RDD 2 partitions, rows {@code 0..n/2-1} and
 * {@code n/2..n-1}; DL4J's export writes each partition's rows in order as files of {@code
 * batch-size} rows, the last one smaller.
 */
class ExportApproachTest {
  private static JavaSparkContext sc;

  @TempDir Path tmp;

  @BeforeAll
  static void startSpark() {
    sc = SparkTests.localContext("export");
  }

  @AfterAll
  static void stopSpark() {
    sc.stop();
  }

  @Test
  void aPartialRoundIsTrainedBitIdenticallyToDl4jsOwnExportMasterAndEveryIdVerifies()
      throws Exception {
    // 50 rows, 2 partitions of 25: files of 8, 8, 8, 1 each, 8 files <= 2 workers x 5 = one split
    // per epoch; a worker trains at most 5 minibatches of its 4 files: every example is trained
    Shape shape = new Shape(50, 2, 8, 5, 3);
    AuditLog log = assertSameAsDl4jAndVerified(shape);
    assertThat(log.commits()).extracting(EpochCommit::rows).containsOnly(50L);
    assertThat(log.commits()).extracting(EpochCommit::roundCount).containsOnly(1);
  }

  @Test
  void severalRoundsPerEpochAreTrainedBitIdenticallyToDl4jsOwnExportMasterAndEveryIdVerifies()
      throws Exception {
    // 100 rows, 2 partitions of 50: files of 6 (8 of them) and 2 each, 18 files; a round takes
    // 2 workers x 2 files: 4 splits per epoch, at most 4 x 2 x 2 x 6 = 96 examples trained
    Shape shape = new Shape(100, 2, 6, 2, 2);
    assertThat(SplitPlan.export(100, 18, 2, 6, 2, false).trainedAtMost()).isEqualTo(96);
    AuditLog log = assertSameAsDl4jAndVerified(shape);
    assertThat(log.commits()).extracting(EpochCommit::roundCount).containsOnly(4);
    assertThat(log.commits()).allSatisfy(c -> assertThat(c.rows()).isLessThanOrEqualTo(96));
  }

  @Test
  void minibatchesThatDl4jAssemblesFromTwoExportedFilesCarryTheIdsOfBoth() throws Exception {
    // one worker trains the files of both partitions, 8, 8, 8, 1 and 8, 8, 8, 1 (the shuffle of
    // DL4J's repartition decides which partition's come first): DL4J's worker tops the 1-example
    // file up with 7 of the next file (getRange, then DataSet.merge, which drop the metadata).
    // 8 files / (1 worker x 7) = one split; 7 minibatches of 8, 8, 8, 8, 8, 8, 2: all 50 trained
    Shape shape = new Shape(50, 1, 8, 7, 2);
    AuditLog log = assertSameAsDl4jAndVerified(shape);
    assertThat(log.commits()).extracting(EpochCommit::rows).containsOnly(50L);
    List<List<Long>> spanning = new ArrayList<>();
    try (Stream<AuditBatch> batches = log.batches()) {
      batches
          .filter(b -> filesOf(b.sampleIds(), 25, 8).size() > 1)
          .forEach(b -> spanning.add(Arrays.stream(b.sampleIds()).boxed().toList()));
    }
    // per epoch: minibatches 3 to 6 (the 1-example file and 7 of the next; 1 and 7; 1 and 7; 1 and
    // the other 1-example file)
    assertThat(spanning).as("minibatches made of two exported files").hasSize(2 * 4);
    // DL4J's own master trained the same minibatches, those 8 without any ids
    assertThat(WithoutIds.COUNT.get()).isEqualTo(2 * 4);
  }

  @Test
  void theExportFolderHoldsDl4jsFilesWhileTrainingAndIsDeletedAfter() throws Exception {
    Path out = tmp.resolve("lifecycle");
    ExportFilesProbe.SEEN.clear();
    RunSummary run =
        TestRuns.train(
            sc,
            out,
            List.of(new ExportFilesProbe(out.resolve("export"))),
            "data=synthetic:rows=100,features=6,classes=3",
            "workers=2",
            "batch-size=6",
            "averaging-frequency=2",
            "epochs=2",
            "rdd-approach=export");
    // 2 partitions x 9 files, DL4J's names: dataset_<partition><driver JVM uid>_<n>.bin
    assertThat(ExportFilesProbe.SEEN).hasSize(18);
    assertThat(ExportFilesProbe.SEEN)
        .allSatisfy(n -> assertThat(n).matches("dataset_[01][0-9a-zA-Z-]{8}_[0-8]\\.bin"));
    assertThat(out.resolve("export")).doesNotExist();
    assertThat(Verifier.verify(AuditLog.open(run.audit(), new Configuration()), labels(100)).ok())
        .isTrue();
  }

  @Test
  void aGraphIsTrainedBitIdenticallyToDl4jsOwnExportMasterAndEveryIdVerifies() throws Exception {
    Path network = tmp.resolve("graph.json");
    Files.writeString(network, ComputationGraphTrainingTest.classifier().toJson());
    String data = "synthetic:rows=110,features=4,classes=3";
    JobConfig config =
        config(
            tmp.resolve("graph-audited"),
            "data=" + data,
            "network=" + network,
            "epochs=2",
            "workers=2",
            "batch-size=10",
            "averaging-frequency=2",
            "audit.loss=true");
    TrainingJob.builder(config).progress(new PrintWriter(new StringWriter())).build().run(sc);
    float[] audited =
        ModelSerializer.restoreComputationGraph(new File(tmp.toFile(), "graph-audited/model.zip"))
            .params()
            .dup('c')
            .data()
            .asFloat();

    ComputationGraph graph = new ComputationGraph(ComputationGraphTrainingTest.classifier());
    graph.init();
    float[] initial = graph.params().dup('c').data().asFloat();
    SparkComputationGraph sparkGraph = new SparkComputationGraph(sc, graph, dl4jMaster(config));
    var rdd = examples(config).map(d -> (MultiDataSet) GraphNetwork.toGraphData(d, new int[] {3}));
    for (int e = 0; e < config.get(Keys.EPOCHS); e++) {
      sparkGraph.fitMultiDataSet(rdd);
    }
    assertThat(audited).containsExactly(graph.params().dup('c').data().asFloat());
    assertThat(audited).isNotEqualTo(initial);

    AuditLog log =
        AuditLog.open(tmp.resolve("graph-audited/audit").toString(), new Configuration());
    VerificationReport report = Verifier.verify(log, TestRuns.labels(data));
    assertThat(report.ok()).as(report.toString()).isTrue();
    // 2 partitions of 55: files of 10 (5) and 5 each, 12 files, 3 rounds of 4
    assertThat(log.commits()).extracting(EpochCommit::roundCount).containsOnly(3);
  }

  /** The exported files (partition, file) that {@code ids} come from: see the class comment. */
  private static Set<List<Long>> filesOf(long[] ids, long perPartition, int batchSize) {
    Set<List<Long>> files = new java.util.HashSet<>();
    for (long id : ids) {
      long partition = id / perPartition;
      files.add(List.of(partition, (id - partition * perPartition) / batchSize));
    }
    return files;
  }

  /** A run's data and cluster shape: synthetic classification, 6 features, 3 classes. */
  private record Shape(int rows, int workers, int batchSize, int frequency, int epochs) {
    String data() {
      return "synthetic:rows=" + rows + ",features=6,classes=3";
    }
  }

  private static io.batchaudit.read.LabelSource labels(int rows) {
    return TestRuns.labels("synthetic:rows=" + rows + ",features=6,classes=3");
  }

  /**
   * Trains {@code shape} with Export three times (audit on with every opt-in column, audit off, and
   * DL4J's own master), asserts the final parameters are the same bits and that the audited log
   * verifies against the source (every row's sample id and target); returns that log.
   */
  private AuditLog assertSameAsDl4jAndVerified(Shape shape) throws Exception {
    Path audited = tmp.resolve("audited");
    int[] withAudit =
        bits(
            train(
                shape,
                audited,
                "audit=true",
                "audit.features=true",
                "audit.loss=true",
                "audit.activations=0"));
    int[] withoutAudit = bits(train(shape, tmp.resolve("plain"), "audit=false"));
    int[] dl4j = bits(trainWithDl4jsOwnMaster(shape));
    int[] initial = bits(initialNetwork(shape));

    assertThat(withAudit).as("audited vs not audited").containsExactly(withoutAudit);
    assertThat(withAudit).as("audited vs DL4J's own Export master").containsExactly(dl4j);
    assertThat(withAudit).as("training moved the parameters").isNotEqualTo(initial);

    AuditLog log = AuditLog.open(audited.resolve("audit").toUri().toString(), new Configuration());
    VerificationReport report = Verifier.verify(log, labels(shape.rows()));
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(report.labelsChecked()).isTrue();
    assertThat(log.commits()).hasSize(shape.epochs());
    // targets can agree by chance (3 classes); the recorded features of every row are the source
    // example's of that sample id, which a wrong id cannot match
    java.util.Map<Long, float[]> source = new java.util.HashMap<>();
    JobConfig config = config(shape, audited);
    for (io.batchaudit.source.Example e :
        InputData.load(sc, InputSpec.training(config)).examples(sc, 2).collect()) {
      source.put(e.sampleId(), e.features());
    }
    long rows = 0;
    try (Stream<AuditBatch> batches = log.batches()) {
      for (AuditBatch b : batches.toList()) {
        for (int r = 0; r < b.size(); r++) {
          float[] row = Arrays.copyOfRange(b.features().values(), r * 6, r * 6 + 6);
          assertThat(row)
              .as("features of sample %d in %s", b.sampleIds()[r], b.key())
              .containsExactly(source.get(b.sampleIds()[r]));
          rows++;
        }
      }
    }
    assertThat(rows).isEqualTo(log.commits().stream().mapToLong(EpochCommit::rows).sum());
    return log;
  }

  private JobConfig config(Path out, String... settings) {
    JobConfig.Builder b =
        JobConfig.builder()
            .set("out", out.toString())
            .set("rdd-approach", "export")
            .set("seed", "1234");
    for (String s : settings) {
      b.setAssignment(s);
    }
    return b.build();
  }

  private JobConfig config(Shape shape, Path out, String... extra) {
    List<String> settings =
        new ArrayList<>(
            List.of(
                "data=" + shape.data(),
                "epochs=" + shape.epochs(),
                "workers=" + shape.workers(),
                "batch-size=" + shape.batchSize(),
                "averaging-frequency=" + shape.frequency(),
                "hidden-layers=16"));
    settings.addAll(List.of(extra));
    return config(out, settings.toArray(String[]::new));
  }

  private MultiLayerNetwork train(Shape shape, Path out, String... extra) throws Exception {
    TrainingJob.builder(config(shape, out, extra))
        .progress(new PrintWriter(new StringWriter()))
        .build()
        .run(sc);
    return ModelSerializer.restoreMultiLayerNetwork(new File(out.toFile(), "model.zip"));
  }

  private MultiLayerNetwork initialNetwork(Shape shape) {
    JobConfig config = config(shape, tmp.resolve("unused"), "audit=false");
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            NetworkFactory.preset(config, ((DataSpec) InputSpec.training(config)).shape()));
    net.init();
    return net;
  }

  /** DL4J's own master: Export (its default), exporting below {@code tmp/dl4j-export}. */
  private ParameterAveragingTrainingMaster dl4jMaster(JobConfig config) {
    assertThat(TrainingSettings.of(config).rddApproach()).isEqualTo(RDDTrainingApproach.Export);
    return new ParameterAveragingTrainingMaster.Builder(config.get(Keys.WORKERS), 1)
        .batchSizePerWorker(config.get(Keys.BATCH_SIZE))
        .averagingFrequency(config.get(Keys.AVERAGING_FREQUENCY))
        .workerPrefetchNumBatches(0)
        .exportDirectory(tmp.resolve("dl4j-export").toUri().toString())
        .rngSeed(config.get(Keys.SEED))
        .build();
  }

  private org.apache.spark.api.java.JavaRDD<org.nd4j.linalg.dataset.DataSet> examples(
      JobConfig config) {
    return DataSets.of(
        InputData.load(sc, InputSpec.training(config)),
        sc,
        Math.max(config.get(Keys.WORKERS), sc.defaultParallelism()),
        null);
  }

  private MultiLayerNetwork trainWithDl4jsOwnMaster(Shape shape) {
    JobConfig config = config(shape, tmp.resolve("unused"), "audit=false");
    MultiLayerNetwork net = initialNetwork(shape);
    ParameterAveragingTrainingMaster tm = dl4jMaster(config);
    WithoutIds.COUNT.set(0);
    tm.addHook(new WithoutIds());
    SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, tm);
    var rdd = examples(config);
    for (int e = 0; e < config.get(Keys.EPOCHS); e++) {
      sparkNet.fit(rdd);
    }
    tm.deleteTempFiles(sc);
    return net;
  }

  /** The parameters' raw IEEE-754 bits, in DL4J's flattened order. */
  private static int[] bits(MultiLayerNetwork net) {
    INDArray params = net.params();
    assertThat(params.dataType()).isEqualTo(DataType.FLOAT);
    float[] values = params.dup('c').data().asFloat();
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }

  /** Worker hook: counts the minibatches that reach DL4J's {@code fit} without example metadata. */
  private static final class WithoutIds implements TrainingHook {
    private static final long serialVersionUID = 1L;
    static final java.util.concurrent.atomic.AtomicInteger COUNT =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
      if (minibatch.getExampleMetaData() == null || minibatch.getExampleMetaData().isEmpty()) {
        COUNT.incrementAndGet();
      }
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {}

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {}

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {}
  }

  /**
   * Worker hook: notes the names of the exported data files below {@code exportFolder} whenever a
   * minibatch is trained (local mode: executors share the test's JVM and disk).
   */
  private static final class ExportFilesProbe implements TrainingHook {
    private static final long serialVersionUID = 1L;
    static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
    private final String exportFolder;

    ExportFilesProbe(Path exportFolder) {
      this.exportFolder = exportFolder.toString();
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
      // <export>/<training master uid>/<rdd id>/data/*.bin
      try (Stream<Path> files = Files.walk(Path.of(exportFolder))) {
        files
            .filter(p -> p.getParent().getFileName().toString().equals("data"))
            .filter(p -> !p.getFileName().toString().startsWith("."))
            .forEach(p -> SEEN.add(p.getFileName().toString()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {}

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {}

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {}
  }
}
