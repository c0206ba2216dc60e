package io.batchaudit.train;

import io.batchaudit.capture.AuditedModel;
import io.batchaudit.capture.AuditingTrainingMaster;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The network a job trains with DL4J on Spark: a {@code MultiLayerNetwork} through {@code
 * SparkDl4jMultiLayer}, or a {@code ComputationGraph} through {@code SparkComputationGraph} (its
 * training data are the job's single-example DataSets with the target row split across the graph's
 * outputs, see {@link AuditedModel#toGraphData}).
 */
final class SparkModel {
  private final SparkDl4jMultiLayer layers;
  private final SparkComputationGraph graph;
  private final JavaRDD<DataSet> data;
  private final JavaRDD<MultiDataSet> graphData;

  private SparkModel(
      SparkDl4jMultiLayer layers,
      SparkComputationGraph graph,
      JavaRDD<DataSet> data,
      JavaRDD<MultiDataSet> graphData) {
    this.layers = layers;
    this.graph = graph;
    this.data = data;
    this.graphData = graphData;
  }

  /** A new, initialized network of {@code conf}, trained by {@code master} on {@code data}. */
  static SparkModel create(
      JavaSparkContext sc, NetworkConf conf, AuditingTrainingMaster master, JavaRDD<DataSet> data) {
    if (!conf.isGraph()) {
      MultiLayerNetwork net = new MultiLayerNetwork(conf.layers());
      net.init();
      return new SparkModel(new SparkDl4jMultiLayer(sc, net, master), null, data, null);
    }
    ComputationGraph g = new ComputationGraph(conf.graph());
    g.init();
    int[] widths = AuditedModel.outputWidths(conf.graph());
    JavaRDD<MultiDataSet> graphData =
        data.map(d -> (MultiDataSet) AuditedModel.toGraphData(d, widths));
    return new SparkModel(null, new SparkComputationGraph(sc, g, master), data, graphData);
  }

  /** One epoch: DL4J's {@code fit} over the whole training data. */
  void fitEpoch() {
    if (layers != null) {
      layers.fit(data);
    } else {
      graph.fitMultiDataSet(graphData);
    }
  }

  /** DL4J's score after the last averaging. */
  double score() {
    return layers != null ? layers.getScore() : graph.getScore();
  }

  Model model() {
    return layers != null ? layers.getNetwork() : graph.getNetwork();
  }

  AuditedModel audited() {
    return layers != null
        ? AuditedModel.of(layers.getNetwork())
        : AuditedModel.of(graph.getNetwork());
  }

  void unpersist() {
    data.unpersist(false);
    if (graphData != null) {
      graphData.unpersist(false);
    }
  }
}
