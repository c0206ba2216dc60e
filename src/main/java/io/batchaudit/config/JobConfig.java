package io.batchaudit.config;

import io.batchaudit.internal.TestSwitches;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The validated configuration of one training job: a value for every key of {@link Keys}, each
 * parsed and checked by its declaration. Build it with {@link #builder()}: the builder's setters
 * only record text; {@link Builder#build()} parses every key and rejects the first invalid one, in
 * declaration order, with the key's name, the value, and what is allowed.
 *
 * <p>Immutable; lives on the driver (what executors need travels in the objects built from it).
 */
public final class JobConfig {
  /** Prefix of the Spark properties that set keys under spark-submit. */
  public static final String SPARK_PREFIX = "spark.batchaudit.";

  private final Map<ConfigEntry<?>, Object> values;
  private final SortedMap<String, String> texts;

  private JobConfig(Map<ConfigEntry<?>, Object> values, SortedMap<String, String> texts) {
    this.values = values;
    this.texts = texts;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The value of {@code key}. */
  @SuppressWarnings("unchecked") // stored by key.parse, so of the key's type
  public <T> T get(ConfigEntry<T> key) {
    return (T) values.get(checkKnown(key));
  }

  /** The text {@code key}'s value was read from (trimmed; its default text when not set). */
  public String text(ConfigEntry<?> key) {
    return texts.get(checkKnown(key).name());
  }

  /**
   * Every key's name with the text of its value, sorted by name: what a run records of its
   * configuration, and what {@link Builder#set(String, String)} reads back.
   */
  public SortedMap<String, String> values() {
    return texts;
  }

  private ConfigEntry<?> checkKnown(ConfigEntry<?> key) {
    if (!values.containsKey(key)) {
      throw new IllegalArgumentException(
          "Key " + key.name() + " is not one of io.batchaudit.config.Keys");
    }
    return key;
  }

  @Override
  public String toString() {
    return "JobConfig" + texts;
  }

  /**
   * Collects the text of keys from the configuration's sources; a later call overrides an earlier
   * one for the same key, so callers apply the sources in increasing precedence: {@link #file},
   * {@link #sparkProperties}, {@link #setAssignment} ({@code --set}).
   */
  public static final class Builder {
    private final Map<ConfigEntry<?>, String> raw = new LinkedHashMap<>();

    private Builder() {}

    /** Sets one key; an unknown key name is rejected at once with the list of known keys. */
    public Builder set(String key, String value) {
      return set(Keys.named(key.trim()), value);
    }

    /** Sets one key. */
    public Builder set(ConfigEntry<?> key, String value) {
      if (Keys.named(key.name()) != key) {
        throw new IllegalArgumentException(
            "Key " + key.name() + " is not one of io.batchaudit.config.Keys");
      }
      raw.put(key, value.trim());
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

    /**
     * Reads a {@code key = value} file ({@code #} starts a comment), keys in name order; an unknown
     * key is rejected with the file's name.
     */
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
        if (e.getKey().startsWith(SPARK_PREFIX)) {
          set(e.getKey().substring(SPARK_PREFIX.length()), e.getValue());
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

    /**
     * Parses every key, the ones not set from their defaults.
     *
     * @throws IllegalArgumentException for the first invalid value in declaration order ({@code
     *     Invalid <key> '<value>': expected ...}), or a test-only key given a value outside the
     *     project's tests
     */
    public JobConfig build() {
      Map<ConfigEntry<?>, Object> values = new IdentityHashMap<>();
      SortedMap<String, String> texts = new TreeMap<>();
      for (ConfigEntry<?> key : Keys.all()) {
        String text = raw.getOrDefault(key, key.defaultText());
        values.put(key, key.parse(text));
        if (key.testOnly() && !text.isBlank()) {
          TestSwitches.requireEnabled(
              "Key "
                  + key.name()
                  + " (here '"
                  + text
                  + "', from a --conf file, --set or "
                  + SPARK_PREFIX
                  + key.name()
                  + ")");
        }
        texts.put(key.name(), text);
      }
      return new JobConfig(
          Collections.unmodifiableMap(values), Collections.unmodifiableSortedMap(texts));
    }
  }
}
