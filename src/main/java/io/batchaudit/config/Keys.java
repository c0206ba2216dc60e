package io.batchaudit.config;

import io.batchaudit.internal.Units;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every configuration key of the job, each declared once with its type, default, meaning and
 * checks. This class is the one place keys are defined: {@code conf/all-keys.conf} and README list
 * the same keys (JobConfigTest holds them to these declarations), and code refers to a key by its
 * constant here, never by its name.
 *
 * <p>A check here is one a key's own value can fail. What depends on several keys (a label column
 * that is also a feature, {@code classes} with task regression) is checked where the keys are read
 * together ({@code source.TableSpec}); what another package defines is interpreted there, through
 * {@link ConfigEntry#interpret}: the data specifications of {@link #DATA} and {@link
 * #VALIDATION_DATA} by {@code source}, the fault plan of {@link #TESTING_FAULT_INJECTION} by {@code
 * train}.
 *
 * <p>Values come, in increasing precedence, from these defaults, the {@code --conf} file, Spark
 * properties {@code spark.batchaudit.<key>} (for {@code spark-submit --conf}), and {@code --set
 * key=value} (see {@link JobConfig.Builder}).
 */
public final class Keys {
  // First: every declaration below registers in it, in the order of this file.
  private static final KeyRegistry KEYS = new KeyRegistry();

  /** Upper bound of {@link #CLASSES}: a one-hot label of this width per example is already big. */
  public static final int MAX_CLASSES = 100_000;

  public static final ConfigEntry<String> MASTER =
      KEYS.stringKey("master")
          .doc("Spark master when not launched by spark-submit (which sets its own).")
          .defaultValue("local[*]")
          .check(s -> !s.isEmpty(), "a non-empty value")
          .build();

  public static final ConfigEntry<String> OUT =
      KEYS.stringKey("out")
          .doc("Output folder (any Hadoop URI): model.zip, summary.json, audit/.")
          .defaultValue("batch-audit-out")
          .check(s -> !s.isEmpty(), "a non-empty value")
          .build();

  /** Interpreted by {@code source.InputSpec}, with the file keys below. */
  public static final ConfigEntry<String> DATA =
      KEYS.stringKey("data")
          .doc(
              "iris | synthetic:rows=R,features=F,classes=C[,seed=S] |"
                  + " synthetic:rows=R,features=F,outputs=K[,seed=S] | a CSV, Parquet or LibSVM"
                  + " file or folder (local path or Hadoop URI).")
          .defaultValue("iris")
          .build();

  /** Empty: no validation phase; otherwise interpreted as {@link #DATA} is. */
  public static final ConfigEntry<String> VALIDATION_DATA =
      KEYS.stringKey("validation-data")
          .doc(
              "Data of the validation phase run after every epoch (same forms as data; files use"
                  + " the training data's columns); empty: no validation.")
          .defaultValue("")
          .build();

  public static final ConfigEntry<String> FORMAT =
      KEYS.choiceKey("format", "auto", "csv", "parquet", "libsvm")
          .doc(
              "Format of file inputs: csv | parquet | libsvm | auto (from the extension: .csv,"
                  + " .parquet, .libsvm, .svm).")
          .defaultValue("auto")
          .expected("auto, csv, parquet or libsvm")
          .emptyMeansDefault()
          .build();

  /** Column names, distinct; empty: none given. */
  public static final ConfigEntry<List<String>> LABEL_COLUMNS =
      KEYS.key("label-columns", Keys::columnNames)
          .doc(
              "Label column(s) of file inputs, comma-separated: one column of class indices"
                  + " (classification) or one or more real-valued columns (regression); LibSVM:"
                  + " label.")
          .defaultString("")
          .build();

  /** Column names, distinct; empty: every column but the labels and the id. */
  public static final ConfigEntry<List<String>> FEATURE_COLUMNS =
      KEYS.key("feature-columns", Keys::columnNames)
          .doc(
              "Feature columns of file inputs, comma-separated; empty: every column but labels"
                  + " and id.")
          .defaultString("")
          .build();

  /** A column name; empty: sample ids are row indices. */
  public static final ConfigEntry<String> ID_COLUMN =
      KEYS.stringKey("id-column")
          .doc(
              "Column of unique integral sample ids of file inputs; empty: sample id = 0-based row"
                  + " index.")
          .defaultValue("")
          .build();

  public static final ConfigEntry<String> TASK =
      KEYS.choiceKey("task", "auto", "classification", "regression")
          .doc(
              "classification | regression | auto (built-in data: from the data; files:"
                  + " classification).")
          .defaultValue("auto")
          .expected("classification or regression")
          .emptyMeansDefault()
          .build();

  /**
   * 0 for {@code auto}; the range (2 .. {@link #MAX_CLASSES} for classification, 0 for regression)
   * depends on the task and is checked with it.
   */
  public static final ConfigEntry<Integer> CLASSES =
      KEYS.key("classes", text -> text.equals("auto") ? 0 : Integer.parseInt(text))
          .doc(
              "Number of classes of a file classification input; auto: largest training label +"
                  + " 1.")
          .defaultString("auto")
          .expected("0 (the largest training label + 1) or 2.." + MAX_CLASSES)
          .emptyMeansDefault()
          .build();

  public static final ConfigEntry<Boolean> CSV_HEADER =
      KEYS.booleanKey("csv.header")
          .doc("Whether CSV files start with a line of column names.")
          .defaultValue(true)
          .expected("true (each file starts with column names) or false")
          .emptyMeansDefault()
          .build();

  /** The delimiter itself: {@code \t} is read as a tab. */
  public static final ConfigEntry<String> CSV_DELIMITER =
      KEYS.key("csv.delimiter", text -> text.equals("\\t") ? "\t" : text)
          .doc("Field delimiter of CSV files (\\t for a tab).")
          .defaultValue(",")
          .emptyMeansDefault()
          .build();

  public static final ConfigEntry<String> NORMALIZE =
      KEYS.choiceKey("normalize", "none", "standardize")
          .doc(
              "none | standardize: features scaled by the training data's mean and standard"
                  + " deviation (saved in model.zip as ND4J's NormalizerStandardize).")
          .defaultValue("none")
          .build();

  public static final ConfigEntry<Integer> EPOCHS =
      KEYS.intKey("epochs")
          .doc("Number of epochs.")
          .defaultValue(2)
          .check(n -> n >= 1, "a whole number >= 1")
          .build();

  public static final ConfigEntry<Integer> WORKERS =
      KEYS.intKey("workers")
          .doc("Number of parameter-averaging workers (partitions per round).")
          .defaultValue(2)
          .check(n -> n >= 1, "a whole number >= 1")
          .build();

  public static final ConfigEntry<Integer> BATCH_SIZE =
      KEYS.intKey("batch-size")
          .doc("Examples per minibatch per worker.")
          .defaultValue(8)
          .check(n -> n >= 1, "a whole number >= 1")
          .build();

  public static final ConfigEntry<Integer> AVERAGING_FREQUENCY =
      KEYS.intKey("averaging-frequency")
          .doc("Minibatches each worker trains between parameter averagings.")
          .defaultValue(2)
          .check(n -> n >= 1, "a whole number >= 1")
          .build();

  /**
   * DL4J's RDDTrainingApproach, mapped by {@code train}; the default is {@code
   * ParameterAveragingTrainingMaster}'s own, Export.
   */
  public static final ConfigEntry<String> RDD_APPROACH =
      KEYS.choiceKey("rdd-approach", "export", "direct")
          .doc(
              "export: DL4J's own default, the examples first written as minibatch files to"
                  + " export-directory (deleted when training ends) and those trained | direct:"
                  + " DL4J trains the examples' RDD; both are audited.")
          .defaultValue("export")
          .expected("export or direct")
          .build();

  /** DL4J's {@code exportDirectory}; empty: {@code <out>/export}. */
  public static final ConfigEntry<String> EXPORT_DIRECTORY =
      KEYS.stringKey("export-directory")
          .doc(
              "With rdd-approach=export: where DL4J's minibatch files go (any Hadoop URI every"
                  + " executor reads), in <export-directory>/<training master id>/, deleted when"
                  + " training ends; empty: <out>/export.")
          .defaultValue("")
          .build();

  public static final ConfigEntry<String> TRAINING_COVERAGE =
      KEYS.choiceKey("training.coverage", "dl4j", "all")
          .doc(
              "dl4j: DL4J's own splits (a worker trains at most averaging-frequency x batch-size"
                  + " examples of its split per round, the rest of the split is not trained) |"
                  + " all: splits of at most workers x batch-size x averaging-frequency examples,"
                  + " the last smaller, so every epoch trains every example exactly once.")
          .defaultValue("dl4j")
          .expected("dl4j or all")
          .build();

  public static final ConfigEntry<Boolean> SHUFFLE =
      KEYS.booleanKey("shuffle")
          .doc(
              "Shuffle the training examples once, seeded by seed, before DL4J splits them (sample"
                  + " ids unchanged); false: source order, as DL4J keeps it (sorted data then gives"
                  + " each worker few classes).")
          .defaultValue(false)
          .build();

  public static final ConfigEntry<Long> SEED =
      KEYS.longKey("seed")
          .doc("Seed of network initialization and of DL4J's data splits.")
          .defaultValue(42L)
          .build();

  public static final ConfigEntry<Boolean> AUDIT =
      KEYS.booleanKey("audit")
          .doc("Record the audit log; false trains without capture.")
          .defaultValue(true)
          .build();

  /** A preset name or the path of a network JSON file, read by {@code train}. */
  public static final ConfigEntry<String> NETWORK =
      KEYS.stringKey("network")
          .doc(
              "auto (classifier or regressor preset from the data) | mlp-classifier |"
                  + " mlp-regressor | path to a DL4J MultiLayerConfiguration JSON file.")
          .defaultValue("auto")
          .check(s -> !s.isEmpty(), "a non-empty value")
          .build();

  /**
   * The inputs of a {@code ComputationGraph} network file with several inputs, in the graph's input
   * order, each with its consecutive range of features; checked against the graph and the data by
   * {@code train}. Empty: the network has one input, which takes every feature.
   */
  public static final ConfigEntry<List<GraphInput>> GRAPH_INPUTS =
      KEYS.key("graph.inputs", GraphInput::parseList)
          .doc(
              "Features of each input of a ComputationGraph with several inputs:"
                  + " name:from-to (0-based feature positions, inclusive), comma-separated, in the"
                  + " graph's input order, consecutive from 0 and covering every feature, such as"
                  + " sepal:0-1, petal:2-3; empty: the graph's one input takes every feature.")
          .defaultString("")
          .build();

  public static final ConfigEntry<List<Integer>> HIDDEN_LAYERS =
      KEYS.key("hidden-layers", Keys::layerSizes)
          .doc("Hidden layer sizes of the presets, comma-separated.")
          .defaultString("16")
          .build();

  public static final ConfigEntry<String> UPDATER =
      KEYS.choiceKey("updater", "adam", "sgd", "nesterovs")
          .doc("adam | sgd | nesterovs.")
          .defaultValue("adam")
          .build();

  public static final ConfigEntry<Double> LEARNING_RATE =
      KEYS.doubleKey("learning-rate")
          .doc("Learning rate of the updater.")
          .defaultValue(0.01)
          .check(d -> d > 0 && !Double.isInfinite(d), "a number > 0")
          .build();

  /** The label of capture's PredictionSource; the message words it as that enum always did. */
  public static final ConfigEntry<String> AUDIT_PREDICTIONS =
      KEYS.key("audit.predictions", Keys::predictionSource)
          .doc(
              "forward-pass (the loss's own forward pass, no extra cost) | post-update (an extra"
                  + " forward pass after each update).")
          .defaultValue("forward-pass")
          .build();

  public static final ConfigEntry<Boolean> AUDIT_FEATURES =
      KEYS.booleanKey("audit.features")
          .doc("Also record the input features (column features).")
          .defaultValue(false)
          .build();

  public static final ConfigEntry<Boolean> AUDIT_LABEL_MASK =
      KEYS.booleanKey("audit.label-mask")
          .doc("Also record label masks (column label_mask).")
          .defaultValue(false)
          .build();

  public static final ConfigEntry<Boolean> AUDIT_LOSS =
      KEYS.booleanKey("audit.loss")
          .doc("Also record the per-example loss (column loss).")
          .defaultValue(false)
          .build();

  /** Layer names or indices, distinct, as configured; checked against the network by train. */
  public static final ConfigEntry<List<String>> AUDIT_ACTIVATIONS =
      KEYS.key("audit.activations", Keys::layerNames)
          .doc(
              "Hidden layers whose activations are recorded, comma-separated names or indices"
                  + " (columns activation_<name>).")
          .defaultString("")
          .build();

  /** The codec name as given (store's WriterOptions takes any case). */
  public static final ConfigEntry<String> AUDIT_COMPRESSION =
      KEYS.key("audit.compression", Keys::compression)
          .doc("uncompressed | snappy | gzip | zstd.")
          .defaultValue("zstd")
          .build();

  public static final ConfigEntry<Boolean> AUDIT_COMPACTION =
      KEYS.booleanKey("audit.compaction")
          .doc("Rewrite every committed epoch into a few large files in training order.")
          .defaultValue(true)
          .build();

  /** Bytes. */
  public static final ConfigEntry<Long> AUDIT_COMPACTION_FILE_SIZE =
      KEYS.key("audit.compaction.file-size", Units::bytes)
          .doc("Target size of a compacted file (k, m, g suffixes).")
          .defaultString("128m")
          .build();

  public static final ConfigEntry<Duration> AUDIT_COMPACTION_GRACE =
      KEYS.key("audit.compaction.grace", Units::duration)
          .doc(
              "How long a generation replaced by compaction is kept for readers that listed it"
                  + " (s, m, h, d).")
          .defaultString("10m")
          .build();

  public static final ConfigEntry<String> AUDIT_COMMIT_PROTOCOL =
      KEYS.choiceKey("audit.commit-protocol", "auto", "rename", "manifest")
          .doc(
              "How epochs are committed: rename (one atomic directory rename per epoch; plain"
                  + " readers see an epoch appear whole) | manifest (nothing renamed: files written"
                  + " in place, a manifest written last commits them; for stores where a rename is"
                  + " a copy, such as S3) | auto: manifest on stores that declare themselves object"
                  + " stores, rename elsewhere.")
          .defaultValue("auto")
          .expected("auto, rename or manifest")
          .build();

  /** The fault plan of capture's FaultPlan, interpreted by {@code train}; empty: no faults. */
  public static final ConfigEntry<String> TESTING_FAULT_INJECTION =
      KEYS.stringKey("testing.fault-injection")
          .doc(
              "Test-only: faults to inject (see io.batchaudit.capture.FaultPlan); refused outside"
                  + " the project's tests.")
          .defaultValue("")
          .testOnly()
          .build();

  private Keys() {}

  /** Every key, in declaration order. */
  public static List<ConfigEntry<?>> all() {
    return KEYS.all();
  }

  /**
   * The key of this name.
   *
   * @throws IllegalArgumentException {@code Unknown configuration key '<name>'. Known keys: ...}
   */
  public static ConfigEntry<?> named(String name) {
    return KEYS.named(name);
  }

  /** Comma-separated whole numbers >= 1; empty text: none. */
  private static List<Integer> layerSizes(String text) {
    List<Integer> sizes = new ArrayList<>();
    if (text.isEmpty()) {
      return sizes;
    }
    for (String part : text.split(",")) {
      int n;
      try {
        n = Integer.parseInt(part.trim());
      } catch (NumberFormatException e) {
        n = 0;
      }
      if (n < 1) {
        throw new IllegalArgumentException("expected comma-separated whole numbers >= 1");
      }
      sizes.add(n);
    }
    return List.copyOf(sizes);
  }

  /** Distinct names of letters, digits, '_' and '-' (they become column names); empty: none. */
  private static List<String> layerNames(String text) {
    List<String> names = new ArrayList<>();
    if (text.isEmpty()) {
      return names;
    }
    for (String part : text.split(",")) {
      String name = part.trim();
      if (!name.matches("[A-Za-z0-9_\\-]+") || names.contains(name)) {
        throw new IllegalArgumentException(
            "expected distinct comma-separated layer names or indices (letters, digits, _ and -)");
      }
      names.add(name);
    }
    return List.copyOf(names);
  }

  /** Distinct, non-empty column names; empty text: none. */
  private static List<String> columnNames(String text) {
    List<String> names = new ArrayList<>();
    if (text.isEmpty()) {
      return names;
    }
    for (String part : text.split(",", -1)) {
      String name = part.trim();
      if (name.isEmpty()) {
        throw new IllegalArgumentException("expected column names separated by commas");
      }
      if (names.contains(name)) {
        throw new IllegalArgumentException(
            "expected distinct column names ('" + name + "' is repeated)");
      }
      names.add(name);
    }
    return List.copyOf(names);
  }

  private static String predictionSource(String text) {
    if (!text.equals("forward-pass") && !text.equals("post-update")) {
      throw new IllegalArgumentException(
          "Unknown prediction source '" + text + "': use forward-pass or post-update");
    }
    return text;
  }

  private static String compression(String text) {
    if (!List.of("uncompressed", "snappy", "gzip", "zstd")
        .contains(text.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "Unknown compression '" + text + "': use uncompressed, snappy, gzip or zstd");
    }
    return text;
  }
}
