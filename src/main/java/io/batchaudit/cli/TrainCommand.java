package io.batchaudit.cli;

import io.batchaudit.config.JobConfig;
import io.batchaudit.config.Keys;
import io.batchaudit.train.TrainingJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.Tuple2;

/** {@code batch-audit train}: trains and records one run. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Trains a DL4J network with parameter averaging on Spark and records every minibatch.",
      "Settings, in increasing precedence: defaults, --conf file, spark.batchaudit.<key> Spark"
          + " properties, --set, --out."
    })
final class TrainCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--conf",
      paramLabel = "FILE",
      description = "Configuration file (key = value lines).")
  Path conf;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output folder (overrides the out key).")
  String out;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override one configuration key; repeatable.")
  List<String> assignments = new ArrayList<>();

  @Option(names = "--overwrite", description = "Replace a non-empty output folder.")
  boolean overwrite;

  @Override
  public Integer call() {
    JobConfig.Builder b = JobConfig.builder();
    if (conf != null) {
      b.file(conf);
    }
    SparkConf sparkProps = new SparkConf();
    Map<String, String> props = new java.util.TreeMap<>();
    for (Tuple2<String, String> t : sparkProps.getAll()) {
      props.put(t._1(), t._2());
    }
    b.sparkProperties(props);
    assignments.forEach(b::setAssignment);
    if (out != null) {
      b.set(Keys.OUT, out);
    }
    JobConfig config = b.build();
    TrainingJob.Builder builder = TrainingJob.builder(config).progress(spec.commandLine().getOut());
    if (overwrite) {
      builder.overwrite();
    }
    TrainingJob job = builder.build(); // checks the configuration before Spark starts
    try (JavaSparkContext sc = new JavaSparkContext(Hadoop.apply(TrainingJob.sparkConf(config)))) {
      job.run(sc);
    }
    return ExitCodes.OK;
  }
}
