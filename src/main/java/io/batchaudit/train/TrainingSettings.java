package io.batchaudit.train;

import io.batchaudit.capture.FaultPlan;
import io.batchaudit.capture.PredictionSource;
import io.batchaudit.config.JobConfig;
import io.batchaudit.config.Keys;
import io.batchaudit.source.InputSpec;
import io.batchaudit.store.OptionalColumns;
import io.batchaudit.store.parquet.WriterOptions;
import org.deeplearning4j.spark.api.RDDTrainingApproach;

/**
 * What the training job takes from its configuration in the types of the packages it wires
 * together: the inputs ({@code source}), DL4J's training approach, capture's prediction source and
 * fault plan, store's optional columns and writer options. Made once, on the driver, when the job
 * is built ({@link TrainingJob.Builder#build()}), so that a value only these types can refuse is
 * refused there, before Spark starts; plain values the job reads from {@link #config()} itself.
 */
public final class TrainingSettings {
  private final JobConfig config;
  private final InputSpec data;
  private final InputSpec validationData;
  private final OptionalColumns optionalColumns;
  private final WriterOptions writerOptions;
  private final FaultPlan faults;

  private TrainingSettings(JobConfig config) {
    this.config = config;
    this.data = InputSpec.training(config);
    this.validationData = InputSpec.validation(config);
    this.optionalColumns =
        new OptionalColumns(
            config.get(Keys.AUDIT_FEATURES),
            config.get(Keys.AUDIT_LABEL_MASK),
            config.get(Keys.AUDIT_LOSS),
            config.get(Keys.AUDIT_ACTIVATIONS));
    this.writerOptions =
        new WriterOptions(
            config.get(Keys.AUDIT_COMPRESSION), WriterOptions.DEFAULTS.rowGroupBytes());
    // the key itself is refused outside the tests by JobConfig; its syntax is capture's
    this.faults = Keys.TESTING_FAULT_INJECTION.interpret(config, FaultPlan::parse);
  }

  /**
   * The settings of {@code config}.
   *
   * @throws IllegalArgumentException for invalid data or validation data ({@code Invalid data
   *     '...': ...}), activation layer names that cannot name columns, or an invalid fault plan
   */
  public static TrainingSettings of(JobConfig config) {
    return new TrainingSettings(config);
  }

  public JobConfig config() {
    return config;
  }

  /** The training input. */
  public InputSpec data() {
    return data;
  }

  /** The validation input, or null when the job has no validation phase. */
  public InputSpec validationData() {
    return validationData;
  }

  /** Whether features are standardized with the training data's statistics. */
  public boolean standardize() {
    return config.get(Keys.NORMALIZE).equals("standardize");
  }

  public RDDTrainingApproach rddApproach() {
    return config.get(Keys.RDD_APPROACH).equals("export")
        ? RDDTrainingApproach.Export
        : RDDTrainingApproach.Direct;
  }

  public PredictionSource predictions() {
    return PredictionSource.fromLabel(config.get(Keys.AUDIT_PREDICTIONS));
  }

  public OptionalColumns optionalColumns() {
    return optionalColumns;
  }

  public WriterOptions writerOptions() {
    return writerOptions;
  }

  /** The test-only fault plan; {@link FaultPlan#NONE} in every real run. */
  public FaultPlan faults() {
    return faults;
  }
}
