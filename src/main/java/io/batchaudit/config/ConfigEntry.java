package io.batchaudit.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key, declared in one statement: its name, the type its text is parsed into, its
 * default, its documentation and the checks its value must pass (after Spark's {@code
 * ConfigBuilder}). The job's keys are declared in {@link Keys}; nothing else spells their names.
 *
 * <pre>{@code
 * ConfigEntry<Integer> EPOCHS =
 *     KEYS.intKey("epochs")
 *         .doc("Number of epochs.")
 *         .defaultValue(2)
 *         .check(n -> n >= 1, "a whole number >= 1")
 *         .build();
 * }</pre>
 *
 * <p>Values are read from text (a line of a {@code --conf} file, a Spark property, {@code --set}),
 * trimmed first. Text that does not parse, or a value that fails a check, is rejected with {@code
 * Invalid <key> '<text>': expected <what is allowed>}.
 *
 * <p>Immutable and thread-safe. Entries are compared by identity: there is one per key.
 *
 * @param <T> the type of the key's value
 */
public final class ConfigEntry<T> {
  /**
   * Turns a key's (trimmed) text into its value.
   *
   * <p>A parser rejects text by throwing {@link IllegalArgumentException}: a {@link
   * NumberFormatException} reads as {@code expected a number}; any other message must say what is
   * allowed (for example {@code expected a size such as 512k}), unless the key's builder set {@link
   * Builder#expected}, which then replaces it.
   */
  @FunctionalInterface
  public interface Parser<T> {
    T parse(String text);
  }

  private record Check<T>(Predicate<? super T> test, String expected) {}

  private final String name;
  private final String doc;
  private final String defaultText;
  private final Parser<T> parser;
  private final String expected;
  private final List<Check<T>> checks;
  private final boolean emptyMeansDefault;
  private final boolean testOnly;

  private ConfigEntry(Builder<T> b) {
    this.name = b.name;
    this.doc = b.doc;
    this.defaultText = b.defaultText;
    this.parser = b.parser;
    this.expected = b.expected;
    this.checks = List.copyOf(b.checks);
    this.emptyMeansDefault = b.emptyMeansDefault;
    this.testOnly = b.testOnly;
  }

  /** The key, kebab-case with dots for hierarchy (for example {@code audit.compaction.grace}). */
  public String name() {
    return name;
  }

  /** One sentence on what the key does and which values it takes (README and all-keys.conf). */
  public String doc() {
    return doc;
  }

  /** The default as text, as {@code conf/all-keys.conf} writes it; empty for "none". */
  public String defaultText() {
    return defaultText;
  }

  /**
   * Whether the key is a test-only switch: a value is refused unless the JVM runs the project's
   * tests ({@link io.batchaudit.internal.TestSwitches}), wherever it was set.
   */
  public boolean testOnly() {
    return testOnly;
  }

  /**
   * The value of {@code text} (trimmed; with {@link Builder#emptyMeansDefault()}, empty text means
   * the default).
   *
   * @throws IllegalArgumentException {@code Invalid <key> '<text>': expected ...}
   */
  public T parse(String text) {
    String t = text.trim();
    T value;
    try {
      value = parser.parse(t.isEmpty() && emptyMeansDefault ? defaultText : t);
    } catch (NumberFormatException e) {
      throw invalid(t, "expected " + (expected != null ? expected : "a number"), e);
    } catch (IllegalArgumentException e) {
      throw invalid(t, expected != null ? "expected " + expected : e.getMessage(), e);
    }
    for (Check<T> c : checks) {
      if (!c.test().test(value)) {
        throw invalid(t, "expected " + c.expected(), null);
      }
    }
    return value;
  }

  /**
   * Interprets this key's value further, for a meaning that belongs to another package (the data
   * specification of {@code data}, the fault plan of {@code testing.fault-injection}), and reports
   * a failure as one of this key: {@code Invalid <key> '<text>': <message>}. A message that already
   * starts with {@code Invalid } names its own key (a file option read with the data) and is passed
   * on as it is.
   *
   * @throws IllegalArgumentException when {@code meaning} rejects the value
   */
  public <U> U interpret(JobConfig config, Function<? super T, ? extends U> meaning) {
    try {
      return meaning.apply(config.get(this));
    } catch (NumberFormatException e) {
      throw invalid(config.text(this), "expected a number", e);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("Invalid ")) {
        throw e;
      }
      throw invalid(config.text(this), e.getMessage(), e);
    }
  }

  private IllegalArgumentException invalid(String text, String why, Exception cause) {
    return new IllegalArgumentException("Invalid " + name + " '" + text + "': " + why, cause);
  }

  @Override
  public String toString() {
    return name;
  }

  /**
   * Declares one key. Setters only record; {@link #build()} checks the declaration (a doc, a
   * default that passes the key's own parser and checks) and registers the key.
   *
   * @param <T> the type of the key's value
   */
  public static final class Builder<T> {
    private final KeyRegistry registry;
    private final String name;
    private final Parser<T> parser;
    private final Function<? super T, String> format;
    private String doc;
    private String defaultText;
    private T defaultValue;
    private String expected;
    private final List<Check<T>> checks = new ArrayList<>();
    private boolean emptyMeansDefault;
    private boolean testOnly;

    Builder(
        KeyRegistry registry, String name, Parser<T> parser, Function<? super T, String> format) {
      this.registry = registry;
      this.name = Objects.requireNonNull(name, "name");
      this.parser = Objects.requireNonNull(parser, "parser");
      this.format = format;
    }

    public Builder<T> doc(String doc) {
      this.doc = doc;
      return this;
    }

    /** The default, written as {@code String.valueOf(value)} (or the key type's own format). */
    public Builder<T> defaultValue(T value) {
      this.defaultValue = Objects.requireNonNull(value, "value");
      this.defaultText = format.apply(value);
      return this;
    }

    /** The default as text, for defaults that are words ({@code auto}) or lists. */
    public Builder<T> defaultString(String text) {
      this.defaultValue = null;
      this.defaultText = Objects.requireNonNull(text, "text");
      return this;
    }

    /**
     * What is allowed, for the message of text the parser rejects ({@code Invalid <key> '<text>':
     * expected <allowed>}), in place of the parser's own words.
     */
    public Builder<T> expected(String allowed) {
      this.expected = allowed;
      return this;
    }

    /** A check of the parsed value; failing it reads {@code expected <allowed>}. */
    public Builder<T> check(Predicate<? super T> test, String allowed) {
      checks.add(new Check<>(test, allowed));
      return this;
    }

    /** Empty text stands for the default (the file options, whose empty value means "as usual"). */
    public Builder<T> emptyMeansDefault() {
      this.emptyMeansDefault = true;
      return this;
    }

    /** Marks a test-only switch (see {@link ConfigEntry#testOnly()}). */
    public Builder<T> testOnly() {
      this.testOnly = true;
      return this;
    }

    /**
     * The entry, registered under its name.
     *
     * @throws IllegalStateException for a declaration without doc or default, a default the key
     *     itself rejects, or a name declared before: a mistake in the declarations, found when
     *     {@link Keys} loads
     */
    public ConfigEntry<T> build() {
      if (doc == null || doc.isBlank() || defaultText == null) {
        throw new IllegalStateException("Key " + name + " needs a doc and a default");
      }
      ConfigEntry<T> entry = new ConfigEntry<>(this);
      T parsed;
      try {
        parsed = entry.parse(defaultText);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("The default of key " + name + " is invalid", e);
      }
      if (defaultValue != null && !defaultValue.equals(parsed)) {
        throw new IllegalStateException(
            "The default of key " + name + " reads back as " + parsed + ", not " + defaultValue);
      }
      registry.register(entry);
      return entry;
    }
  }
}
