package io.batchaudit.config;

import io.batchaudit.capture.FaultPlan;
import io.batchaudit.capture.PredictionSource;
import io.batchaudit.internal.TestSwitches;
import io.batchaudit.internal.Units;
import io.batchaudit.source.InputSpec;
import io.batchaudit.store.OptionalColumns;
import io.batchaudit.store.WriterOptions;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.deeplearning4j.spark.api.RDDTrainingApproach;

/**
 * The validated configuration of one training job. Build it with {@link #builder()}: setters only
 * record raw strings; {@link Builder#build()} parses every key and rejects an invalid value with
 * the key's name, the value, and what is allowed.
 */
public record JobConfig(
    String master,
    String out,
    InputSpec data,
    InputSpec validationData,
    boolean standardize,
    int epochs,
    int workers,
    int batchSize,
    int averagingFrequency,
    RDDTrainingApproach rddApproach,
    long seed,
    boolean audit,
    String network,
    List<Integer> hiddenLayers,
    String updater,
    double learningRate,
    PredictionSource predictions,
    OptionalColumns optionalColumns,
    List<String> activationLayers,
    WriterOptions writerOptions,
    boolean compaction,
    long compactionFileBytes,
    java.time.Duration compactionGrace,
    FaultPlan faults,
    Map<String, String> values) {

  public JobConfig {
    hiddenLayers = List.copyOf(hiddenLayers);
    activationLayers = List.copyOf(activationLayers);
    values = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(values));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects raw key/value strings; later calls override earlier ones. */
  public static final class Builder {
    private final Map<ConfigKey, String> raw = new EnumMap<>(ConfigKey.class);

    private Builder() {}

    /** Sets one key; an unknown key name is rejected at once with the list of known keys. */
    public Builder set(String key, String value) {
      raw.put(ConfigKey.of(key.trim()), value.trim());
      return this;
    }

    /** Parses {@code key=value} as given to {@code --set}. */
    public Builder setAssignment(String assignment) {
      int eq = assignment.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "Cannot read '" + assignment + "' as key=value (for example --set epochs=3)");
      }
      return set(assignment.substring(0, eq), assignment.substring(eq + 1));
    }

    /** Reads a {@code key = value} file ({@code #} starts a comment). */
    public Builder file(Path file) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("Configuration file " + file + " does not exist");
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read configuration file " + file, e);
      }
      for (String name : new TreeMap<>(toMap(p)).keySet()) {
        try {
          set(name, p.getProperty(name));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
      }
      return this;
    }

    /** Applies every {@code spark.batchaudit.<key>} property of a Spark configuration. */
    public Builder sparkProperties(Map<String, String> sparkConf) {
      for (Map.Entry<String, String> e : new TreeMap<>(sparkConf).entrySet()) {
        if (e.getKey().startsWith(ConfigKey.SPARK_PREFIX)) {
          set(e.getKey().substring(ConfigKey.SPARK_PREFIX.length()), e.getValue());
        }
      }
      return this;
    }

    private static Map<String, String> toMap(Properties p) {
      Map<String, String> m = new TreeMap<>();
      for (String n : p.stringPropertyNames()) {
        m.put(n, p.getProperty(n));
      }
      return m;
    }

    public JobConfig build() {
      Map<String, String> values = new TreeMap<>();
      for (ConfigKey k : ConfigKey.values()) {
        values.put(k.key(), raw.getOrDefault(k, k.defaultValue()));
      }
      List<String> activations = names(values, ConfigKey.AUDIT_ACTIVATIONS);
      boolean audit = bool(values, ConfigKey.AUDIT);
      RDDTrainingApproach approach = approach(values.get(ConfigKey.RDD_APPROACH.key()));
      return new JobConfig(
          nonEmpty(values, ConfigKey.MASTER),
          nonEmpty(values, ConfigKey.OUT),
          parse(ConfigKey.DATA, values, d -> InputSpec.parse(d, values)),
          values.get(ConfigKey.VALIDATION_DATA.key()).isBlank()
              ? null
              : parse(ConfigKey.VALIDATION_DATA, values, d -> InputSpec.parse(d, values)),
          oneOf(values, ConfigKey.NORMALIZE, "none", "standardize").equals("standardize"),
          positive(values, ConfigKey.EPOCHS),
          positive(values, ConfigKey.WORKERS),
          positive(values, ConfigKey.BATCH_SIZE),
          positive(values, ConfigKey.AVERAGING_FREQUENCY),
          approach,
          parse(ConfigKey.SEED, values, Long::parseLong),
          audit,
          nonEmpty(values, ConfigKey.NETWORK),
          intList(values, ConfigKey.HIDDEN_LAYERS, 1),
          oneOf(values, ConfigKey.UPDATER, "adam", "sgd", "nesterovs"),
          positiveDouble(values, ConfigKey.LEARNING_RATE),
          parse(ConfigKey.AUDIT_PREDICTIONS, values, PredictionSource::fromLabel),
          new OptionalColumns(
              bool(values, ConfigKey.AUDIT_FEATURES),
              bool(values, ConfigKey.AUDIT_LABEL_MASK),
              bool(values, ConfigKey.AUDIT_LOSS),
              activations),
          activations,
          parse(
              ConfigKey.AUDIT_COMPRESSION,
              values,
              c -> new WriterOptions(c, WriterOptions.DEFAULTS.rowGroupBytes())),
          bool(values, ConfigKey.AUDIT_COMPACTION),
          parse(ConfigKey.AUDIT_COMPACTION_FILE_SIZE, values, Units::bytes),
          parse(ConfigKey.AUDIT_COMPACTION_GRACE, values, Units::duration),
          faults(values),
          values);
    }

    /** The test-only fault plan: refused, whatever its value, outside the project's tests. */
    private static FaultPlan faults(Map<String, String> values) {
      String spec = values.get(ConfigKey.TESTING_FAULT_INJECTION.key());
      if (!spec.isBlank()) {
        TestSwitches.requireEnabled(
            "Key "
                + ConfigKey.TESTING_FAULT_INJECTION.key()
                + " (here '"
                + spec
                + "', from a --conf file, --set or spark.batchaudit."
                + ConfigKey.TESTING_FAULT_INJECTION.key()
                + ")");
      }
      return parse(ConfigKey.TESTING_FAULT_INJECTION, values, FaultPlan::parse);
    }

    private static RDDTrainingApproach approach(String v) {
      switch (v.toLowerCase(Locale.ROOT)) {
        case "direct":
          return RDDTrainingApproach.Direct;
        case "export":
          return RDDTrainingApproach.Export;
        default:
          throw invalid(ConfigKey.RDD_APPROACH, v, "direct or export");
      }
    }

    private static String nonEmpty(Map<String, String> v, ConfigKey k) {
      String s = v.get(k.key());
      if (s.isEmpty()) {
        throw invalid(k, s, "a non-empty value");
      }
      return s;
    }

    private static String oneOf(Map<String, String> v, ConfigKey k, String... allowed) {
      String s = v.get(k.key()).toLowerCase(Locale.ROOT);
      for (String a : allowed) {
        if (a.equals(s)) {
          return s;
        }
      }
      throw invalid(k, v.get(k.key()), String.join(", ", allowed));
    }

    private static boolean bool(Map<String, String> v, ConfigKey k) {
      String s = v.get(k.key()).toLowerCase(Locale.ROOT);
      if (s.equals("true") || s.equals("false")) {
        return Boolean.parseBoolean(s);
      }
      throw invalid(k, v.get(k.key()), "true or false");
    }

    private static int positive(Map<String, String> v, ConfigKey k) {
      int n = parse(k, v, Integer::parseInt);
      if (n < 1) {
        throw invalid(k, v.get(k.key()), "a whole number >= 1");
      }
      return n;
    }

    private static double positiveDouble(Map<String, String> v, ConfigKey k) {
      double d = parse(k, v, Double::parseDouble);
      if (!(d > 0) || Double.isInfinite(d)) {
        throw invalid(k, v.get(k.key()), "a number > 0");
      }
      return d;
    }

    /** Comma-separated names: letters, digits, '_' and '-' (they become column names). */
    private static List<String> names(Map<String, String> v, ConfigKey k) {
      String s = v.get(k.key());
      List<String> out = new ArrayList<>();
      if (s.isBlank()) {
        return out;
      }
      for (String part : s.split(",")) {
        String name = part.trim();
        if (!name.matches("[A-Za-z0-9_\\-]+") || out.contains(name)) {
          throw invalid(
              k, s, "distinct comma-separated layer names or indices (letters, digits, _ and -)");
        }
        out.add(name);
      }
      return out;
    }

    private static List<Integer> intList(Map<String, String> v, ConfigKey k, int min) {
      String s = v.get(k.key());
      List<Integer> out = new ArrayList<>();
      if (s.isBlank()) {
        return out;
      }
      for (String part : s.split(",")) {
        int n;
        try {
          n = Integer.parseInt(part.trim());
        } catch (NumberFormatException e) {
          throw invalid(k, s, "comma-separated whole numbers >= " + min);
        }
        if (n < min) {
          throw invalid(k, s, "comma-separated whole numbers >= " + min);
        }
        out.add(n);
      }
      return out;
    }

    private interface Parser<T> {
      T parse(String s);
    }

    private static <T> T parse(ConfigKey k, Map<String, String> v, Parser<T> parser) {
      String s = v.get(k.key());
      try {
        return parser.parse(s);
      } catch (NumberFormatException e) {
        throw invalid(k, s, "a number");
      } catch (IllegalArgumentException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("Invalid ")) {
          throw e; // already names its key (a file option parsed with the data)
        }
        throw new IllegalArgumentException(
            "Invalid " + k.key() + " '" + s + "': " + e.getMessage(), e);
      }
    }

    private static IllegalArgumentException invalid(ConfigKey k, String value, String allowed) {
      return new IllegalArgumentException(
          "Invalid " + k.key() + " '" + value + "': expected " + allowed);
    }
  }
}
