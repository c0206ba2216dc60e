package io.batchaudit.config;

/**
 * Every configuration key of the job, with its default and meaning. This enum is the one place keys
 * are defined; {@code conf/all-keys.conf} and README list the same keys.
 *
 * <p>Values come, in increasing precedence, from these defaults, the {@code --conf} file, Spark
 * properties {@code spark.batchaudit.<key>} (for {@code spark-submit --conf}), and {@code --set
 * key=value}.
 */
public enum ConfigKey {
  MASTER(
      "master", "local[*]", "Spark master when not launched by spark-submit (which sets its own)."),
  OUT("out", "batch-audit-out", "Output folder (any Hadoop URI): model.zip, summary.json, audit/."),
  DATA(
      "data",
      "iris",
      "iris | synthetic:rows=R,features=F,classes=C[,seed=S] | synthetic:rows=R,features=F,outputs=K[,seed=S]"
          + " | a CSV, Parquet or LibSVM file or folder (local path or Hadoop URI)."),
  VALIDATION_DATA(
      "validation-data",
      "",
      "Data of the validation phase run after every epoch (same forms as data; files use the"
          + " training data's columns); empty: no validation."),
  FORMAT(
      "format",
      "auto",
      "Format of file inputs: csv | parquet | libsvm | auto (from the extension: .csv, .parquet,"
          + " .libsvm, .svm)."),
  LABEL_COLUMNS(
      "label-columns",
      "",
      "Label column(s) of file inputs, comma-separated: one column of class indices"
          + " (classification) or one or more real-valued columns (regression); LibSVM: label."),
  FEATURE_COLUMNS(
      "feature-columns",
      "",
      "Feature columns of file inputs, comma-separated; empty: every column but labels and id."),
  ID_COLUMN(
      "id-column",
      "",
      "Column of unique integral sample ids of file inputs; empty: sample id = 0-based row index."),
  TASK(
      "task",
      "auto",
      "classification | regression | auto (built-in data: from the data; files: classification)."),
  CLASSES(
      "classes",
      "auto",
      "Number of classes of a file classification input; auto: largest training label + 1."),
  CSV_HEADER("csv.header", "true", "Whether CSV files start with a line of column names."),
  CSV_DELIMITER("csv.delimiter", ",", "Field delimiter of CSV files (\\t for a tab)."),
  NORMALIZE(
      "normalize",
      "none",
      "none | standardize: features scaled by the training data's mean and standard deviation"
          + " (saved in model.zip as ND4J's NormalizerStandardize)."),
  EPOCHS("epochs", "2", "Number of epochs."),
  WORKERS("workers", "2", "Number of parameter-averaging workers (partitions per round)."),
  BATCH_SIZE("batch-size", "8", "Examples per minibatch per worker."),
  AVERAGING_FREQUENCY(
      "averaging-frequency", "2", "Minibatches each worker trains between parameter averagings."),
  RDD_APPROACH("rdd-approach", "direct", "direct | export (export cannot be audited)."),
  SEED("seed", "42", "Seed of network initialization and of DL4J's data splits."),
  AUDIT("audit", "true", "Record the audit log; false trains without capture."),
  NETWORK(
      "network",
      "auto",
      "auto (classifier or regressor preset from the data) | mlp-classifier | mlp-regressor | path"
          + " to a DL4J MultiLayerConfiguration JSON file."),
  HIDDEN_LAYERS("hidden-layers", "16", "Hidden layer sizes of the presets, comma-separated."),
  UPDATER("updater", "adam", "adam | sgd | nesterovs."),
  LEARNING_RATE("learning-rate", "0.01", "Learning rate of the updater."),
  AUDIT_PREDICTIONS(
      "audit.predictions",
      "forward-pass",
      "forward-pass (the loss's own forward pass, no extra cost) | post-update (an extra forward"
          + " pass after each update)."),
  AUDIT_FEATURES("audit.features", "false", "Also record the input features (column features)."),
  AUDIT_LABEL_MASK("audit.label-mask", "false", "Also record label masks (column label_mask)."),
  AUDIT_LOSS("audit.loss", "false", "Also record the per-example loss (column loss)."),
  AUDIT_ACTIVATIONS(
      "audit.activations",
      "",
      "Hidden layers whose activations are recorded, comma-separated names or indices (columns"
          + " activation_<name>)."),
  AUDIT_COMPRESSION("audit.compression", "zstd", "uncompressed | snappy | gzip | zstd."),
  AUDIT_COMPACTION(
      "audit.compaction",
      "true",
      "Rewrite every committed epoch into a few large files in training order."),
  AUDIT_COMPACTION_FILE_SIZE(
      "audit.compaction.file-size", "128m", "Target size of a compacted file (k, m, g suffixes)."),
  AUDIT_COMPACTION_GRACE(
      "audit.compaction.grace",
      "10m",
      "How long a generation replaced by compaction is kept for readers that listed it (s, m, h, d)."),
  TESTING_FAULT_INJECTION(
      "testing.fault-injection",
      "",
      "Test-only: faults to inject (see io.batchaudit.capture.FaultPlan); refused outside the"
          + " project's tests.");

  /** Prefix of the Spark properties that set keys under spark-submit. */
  public static final String SPARK_PREFIX = "spark.batchaudit.";

  private final String key;
  private final String defaultValue;
  private final String description;

  ConfigKey(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** The key with this name; the error lists the known keys. */
  public static ConfigKey of(String name) {
    for (ConfigKey k : values()) {
      if (k.key.equals(name)) {
        return k;
      }
    }
    StringBuilder known = new StringBuilder();
    for (ConfigKey k : values()) {
      known.append(known.length() == 0 ? "" : ", ").append(k.key);
    }
    throw new IllegalArgumentException(
        "Unknown configuration key '" + name + "'. Known keys: " + known);
  }
}
