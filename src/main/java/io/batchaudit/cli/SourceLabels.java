package io.batchaudit.cli;

import io.batchaudit.config.JobConfig;
import io.batchaudit.read.AuditLog;
import io.batchaudit.read.LabelSource;
import io.batchaudit.source.InputSpec;
import io.batchaudit.train.InputData;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The source labels a log is checked against, loaded the way the run loaded its data: from the
 * configuration the run recorded, with the data replaced by {@code --source} when given. Built-in
 * data is generated in this JVM; file inputs are read with an embedded Spark ({@code local[*]}),
 * checked as in training, and their labels collected.
 */
public final class SourceLabels {
  private SourceLabels() {}

  /** The labels of a built-in data specification ({@code iris}, {@code synthetic:...}). */
  public static LabelSource of(String spec) {
    JobConfig config = JobConfig.builder().set("data", spec).build();
    return InputData.load(null, config.data()).labels();
  }

  /**
   * The labels a log is checked against.
   *
   * @param train the training data's labels
   * @param validation the validation data's labels, or {@code null} when the run had none
   */
  record Sources(LabelSource train, LabelSource validation) {}

  /**
   * The training and validation labels of {@code log}'s run, the training data replaced by {@code
   * override} (a --source value) when given. File inputs are read once, by one embedded Spark.
   */
  static Sources forRun(AuditLog log, String override) {
    JobConfig config = config(log, override, "--source");
    InputSpec train = config.data();
    InputSpec validation = log.run().validationSource() == null ? null : config.validationData();
    if (!train.isFile() && (validation == null || !validation.isFile())) {
      return new Sources(
          InputData.load(null, train).labels(),
          validation == null ? null : InputData.load(null, validation).labels());
    }
    SparkConf conf =
        new SparkConf()
            .setMaster("local[*]")
            .setAppName("batch-audit source labels")
            .set("spark.ui.enabled", "false")
            .set("spark.ui.showConsoleProgress", "false");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      InputData data = InputData.load(sc, train);
      return new Sources(
          data.labels(),
          validation == null ? null : InputData.loadLike(sc, validation, data).labels());
    }
  }

  private static JobConfig config(AuditLog log, String override, String option) {
    JobConfig.Builder b = JobConfig.builder();
    for (Map.Entry<String, String> e : log.run().config().entrySet()) {
      if (!e.getKey().equals("testing.fault-injection")) {
        b.set(e.getKey(), e.getValue());
      }
    }
    if (override != null) {
      b.set("data", override);
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          override != null
              ? "Invalid " + option + " '" + override + "': " + e.getMessage()
              : "The run's recorded configuration cannot be loaded: " + e.getMessage(),
          e);
    }
  }
}
