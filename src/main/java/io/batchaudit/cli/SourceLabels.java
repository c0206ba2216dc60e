package io.batchaudit.cli;

import io.batchaudit.config.JobConfig;
import io.batchaudit.config.Keys;
import io.batchaudit.read.AuditLog;
import io.batchaudit.read.LabelSource;
import io.batchaudit.source.InputData;
import io.batchaudit.source.InputSpec;
import io.batchaudit.source.Labels;
import io.batchaudit.source.TableSpec;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The source labels a log is checked against, loaded by {@code source} the way the run loaded its
 * data: from the configuration the run recorded, with the data replaced by {@code --source} when
 * given. Built-in data is generated in this JVM; file inputs are read with an embedded Spark
 * ({@code local[*]}), checked as in training, and their labels collected.
 */
public final class SourceLabels {
  private SourceLabels() {}

  /** The labels of a built-in data specification ({@code iris}, {@code synthetic:...}). */
  public static LabelSource of(String spec) {
    JobConfig config = JobConfig.builder().set(Keys.DATA, spec).build();
    return labelSource(InputData.load(null, InputSpec.training(config)).labels());
  }

  /**
   * The labels a log is checked against.
   *
   * @param train the training data's labels
   * @param validation the validation data's labels, or {@code null} when the run had none
   */
  record Sources(LabelSource train, LabelSource validation) {}

  /** The inputs of a run, as recorded. */
  private record Inputs(InputSpec train, InputSpec validation) {}

  /**
   * The training and validation labels of {@code log}'s run, the training data replaced by {@code
   * override} (a --source value) when given. File inputs are read once, by one embedded Spark.
   */
  static Sources forRun(AuditLog log, String override) {
    Inputs inputs = inputs(log, override, "--source");
    InputSpec train = inputs.train();
    InputSpec validation = inputs.validation();
    if (!(train instanceof TableSpec) && !(validation instanceof TableSpec)) {
      return new Sources(
          labelSource(InputData.load(null, train).labels()),
          validation == null ? null : labelSource(InputData.load(null, validation).labels()));
    }
    SparkConf conf =
        Hadoop.apply(
            new SparkConf()
                .setMaster("local[*]")
                .setAppName("batch-audit source labels")
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false"));
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      InputData data = InputData.load(sc, train);
      return new Sources(
          labelSource(data.labels()),
          validation == null
              ? null
              : labelSource(InputData.loadLike(sc, validation, data).labels()));
    }
  }

  /** The run's recorded configuration (test-only keys aside), {@code override} as its data. */
  private static Inputs inputs(AuditLog log, String override, String option) {
    JobConfig.Builder b = JobConfig.builder();
    for (Map.Entry<String, String> e : log.run().config().entrySet()) {
      if (!Keys.named(e.getKey()).testOnly()) {
        b.set(e.getKey(), e.getValue());
      }
    }
    if (override != null) {
      b.set(Keys.DATA, override);
    }
    try {
      JobConfig config = b.build();
      return new Inputs(
          InputSpec.training(config),
          log.run().validationSource() == null ? null : InputSpec.validation(config));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          override != null
              ? "Invalid " + option + " '" + override + "': " + e.getMessage()
              : "The run's recorded configuration cannot be loaded: " + e.getMessage(),
          e);
    }
  }

  /** The read side's view of an input's labels. */
  private static LabelSource labelSource(Labels labels) {
    return new LabelSource() {
      @Override
      public long size() {
        return labels.size();
      }

      @Override
      public int width() {
        return labels.width();
      }

      @Override
      public void label(long sampleId, float[] out) {
        labels.label(sampleId, out);
      }

      @Override
      public String description() {
        return labels.description();
      }

      @Override
      public long indexOf(long sampleId) {
        return labels.indexOf(sampleId);
      }

      @Override
      public long idAt(long index) {
        return labels.idAt(index);
      }
    };
  }
}
