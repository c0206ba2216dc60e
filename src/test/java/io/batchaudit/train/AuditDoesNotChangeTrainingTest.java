package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.config.JobConfig;
import io.batchaudit.config.Keys;
import io.batchaudit.read.AuditLog;
import io.batchaudit.source.DataSpec;
import io.batchaudit.source.InputData;
import io.batchaudit.source.InputSpec;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.testing.SparkTests;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Recording is a pure observer: with 2 workers, the final parameters are the same bits without
 * audit, with audit (every opt-in column on), and with DL4J's own {@code
 * ParameterAveragingTrainingMaster}; and the audited run did record what DL4J trained.
 *
 * <p>Why 2 workers: DL4J's Direct approach averages with one {@code treeAggregate}, whose last step
 * adds the workers' parameter sums on the driver in the order their tasks finish. Float addition is
 * commutative, so with 2 workers the sum is the same whatever the order; with 3 or more it is not
 * associative, and the last bits depend on which task finished first, for DL4J's own master as much
 * as for this one.
 *
 * <p>The expected rows follow DL4J's splitting rule: an epoch of {@code n} examples is cut into
 * {@code n / (workers x batch x frequency)} splits (integer division; one split, the whole data,
 * when {@code n} is smaller); each split, one averaging round, is repartitioned by DL4J's {@code
 * BalancedPartitioner} into {@code workers} partitions of {@code batch x frequency} examples
 * (filled in order; examples beyond them land after them), and a worker trains at most {@code
 * frequency} minibatches of {@code batch} examples of its partition.
 */
class AuditDoesNotChangeTrainingTest {
  private static JavaSparkContext sc;

  @TempDir Path tmp;

  @BeforeAll
  static void startSpark() {
    sc = SparkTests.localContext("audit-is-pure");
  }

  @AfterAll
  static void stopSpark() {
    sc.stop();
  }

  @Test
  void aPartialRoundIsTrainedBitIdenticallyWithAndWithoutAuditAndByDl4jsOwnMaster()
      throws Exception {
    // 50 examples < 2 x 8 x 5 = 80: one split (one round) per epoch, balanced into partitions of
    // 40: worker 0 trains 5 minibatches of 8; worker 1 gets the other 10 examples and trains only
    // 2 minibatches (8 and 2), fewer than the averaging frequency. Every example is trained.
    Shape shape = new Shape(50, 2, 8, 5, 3);
    assertThat(shape.examplesTrainedPerEpoch()).isEqualTo(50);
    AuditLog log = assertPureObserver(shape);
    assertThat(batchSizesByRoundAndPartition(log, 0))
        .isEqualTo(Map.of("r0 p0", List.of(8, 8, 8, 8, 8), "r0 p1", List.of(8, 2)));
  }

  @Test
  void severalRoundsPerEpochAreTrainedBitIdenticallyWithAndWithoutAuditAndByDl4jsOwnMaster()
      throws Exception {
    // 100 examples / (2 x 6 x 2 = 24) = 4 splits of 24-26 examples: every worker trains 2
    // minibatches of 6 per round and the rest of its partition is skipped: 96 of 100 trained.
    Shape shape = new Shape(100, 2, 6, 2, 2);
    assertThat(shape.examplesTrainedPerEpoch()).isEqualTo(96);
    AuditLog log = assertPureObserver(shape);
    Map<String, List<Integer>> sizes = batchSizesByRoundAndPartition(log, 1);
    assertThat(sizes).hasSize(4 * 2).allSatisfy((k, v) -> assertThat(v).containsExactly(6, 6));
  }

  /** A run's data and cluster shape: synthetic classification, 6 features, 3 classes. */
  private record Shape(int rows, int workers, int batchSize, int frequency, int epochs) {
    String data() {
      return "synthetic:rows=" + rows + ",features=6,classes=3";
    }

    /** DL4J's splitting rule (see the class comment) for the shapes of this test. */
    long examplesTrainedPerEpoch() {
      long perRound = (long) workers * batchSize * frequency;
      // One split: every partition holds at most batch x frequency examples, all trained.
      // Several: each split holds at least workers x batch x frequency examples here (4 splits of
      // 24-26), so every worker trains its full batch x frequency.
      return rows <= perRound ? rows : rows / perRound * perRound;
    }

    long roundsPerEpoch() {
      long perRound = (long) workers * batchSize * frequency;
      return Math.max(1, rows / perRound);
    }
  }

  /**
   * Trains {@code shape} three times (audit off, audit on with features, loss and activations, and
   * DL4J's own master), asserts the final parameters are the same bits and the audited run's log
   * holds what was trained; returns that log.
   */
  private AuditLog assertPureObserver(Shape shape) throws Exception {
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
    assertThat(withAudit).as("audited vs DL4J's own master").containsExactly(dl4j);
    assertThat(withAudit).as("training moved the parameters").isNotEqualTo(initial);

    AuditLog log = AuditLog.open(audited.resolve("audit").toUri().toString(), new Configuration());
    assertThat(log.commits())
        .extracting(EpochCommit::rows)
        .containsExactlyElementsOf(
            Stream.generate(shape::examplesTrainedPerEpoch).limit(shape.epochs()).toList());
    assertThat(log.commits())
        .extracting(EpochCommit::roundCount)
        .containsOnly((int) shape.roundsPerEpoch());
    try (Stream<AuditBatch> batches = log.batches()) {
      List<AuditBatch> all = batches.toList();
      assertThat(all.stream().mapToLong(AuditBatch::size).sum())
          .isEqualTo(shape.examplesTrainedPerEpoch() * shape.epochs());
      for (AuditBatch b : all) {
        assertThat(b.features()).as("features of %s", b.key()).isNotNull();
        assertThat(b.features().rows()).isEqualTo(b.size());
        assertThat(b.features().cols()).isEqualTo(6);
        assertThat(b.loss()).as("loss of %s", b.key()).isNotNull().hasSize(b.size());
        assertThat(b.activations()).as("activations of %s", b.key()).containsOnlyKeys("0");
        assertThat(b.activations().get("0").rows()).isEqualTo(b.size());
        assertThat(b.activations().get("0").cols()).isEqualTo(16);
      }
    }
    return log;
  }

  /** Batch sizes of one epoch by "r<round> p<partition>", in batch order. */
  private static Map<String, List<Integer>> batchSizesByRoundAndPartition(AuditLog log, int epoch) {
    Map<String, List<Integer>> sizes = new TreeMap<>();
    try (Stream<AuditBatch> batches = log.batches(epoch)) {
      batches.forEach(
          b ->
              sizes
                  .computeIfAbsent(
                      "r" + b.key().round() + " p" + b.key().partition(), k -> new ArrayList<>())
                  .add(b.size()));
    }
    return sizes;
  }

  private JobConfig config(Shape shape, Path out, String... extra) {
    JobConfig.Builder b =
        JobConfig.builder()
            .set("out", out.toString())
            .set("data", shape.data())
            .set("epochs", String.valueOf(shape.epochs()))
            .set("workers", String.valueOf(shape.workers()))
            .set("batch-size", String.valueOf(shape.batchSize()))
            .set("averaging-frequency", String.valueOf(shape.frequency()))
            .set("rdd-approach", "direct")
            .set("hidden-layers", "16")
            .set("seed", "1234");
    for (String e : extra) {
      b.setAssignment(e);
    }
    return b.build();
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

  /** DL4J alone: its own training master over the same data, network and seed. */
  private MultiLayerNetwork trainWithDl4jsOwnMaster(Shape shape) {
    JobConfig config = config(shape, tmp.resolve("unused"), "audit=false");
    MultiLayerNetwork net = initialNetwork(shape);
    ParameterAveragingTrainingMaster tm =
        new ParameterAveragingTrainingMaster.Builder(config.get(Keys.WORKERS), 1)
            .batchSizePerWorker(config.get(Keys.BATCH_SIZE))
            .averagingFrequency(config.get(Keys.AVERAGING_FREQUENCY))
            .workerPrefetchNumBatches(0)
            .rddTrainingApproach(TrainingSettings.of(config).rddApproach())
            .rngSeed(config.get(Keys.SEED))
            .build();
    SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, tm);
    var rdd =
        DataSets.of(
            InputData.load(sc, InputSpec.training(config)),
            sc,
            Math.max(config.get(Keys.WORKERS), sc.defaultParallelism()),
            null);
    for (int e = 0; e < config.get(Keys.EPOCHS); e++) {
      sparkNet.fit(rdd);
    }
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
}
