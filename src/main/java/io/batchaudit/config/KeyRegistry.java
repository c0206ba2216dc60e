package io.batchaudit.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keys of one configuration, in the order they were declared (the order of {@code
 * conf/all-keys.conf}, README and the list of known keys in messages), and the builders that
 * declare them: each {@link ConfigEntry.Builder#build()} registers its key here. {@link Keys} holds
 * the job's registry; tests may make their own.
 *
 * <p>Filled while its owner's class initializes (one thread, by the JVM's class-initialization
 * lock), read-only afterwards.
 */
final class KeyRegistry {
  private final Map<String, ConfigEntry<?>> byName = new LinkedHashMap<>();

  /** Text as it is. */
  ConfigEntry.Builder<String> stringKey(String name) {
    return key(name, text -> text);
  }

  /** A 32-bit whole number. */
  ConfigEntry.Builder<Integer> intKey(String name) {
    return key(name, Integer::parseInt);
  }

  /** A 64-bit whole number. */
  ConfigEntry.Builder<Long> longKey(String name) {
    return key(name, Long::parseLong);
  }

  /** A decimal number. */
  ConfigEntry.Builder<Double> doubleKey(String name) {
    return key(name, Double::parseDouble);
  }

  /** {@code true} or {@code false}, in any case. */
  ConfigEntry.Builder<Boolean> booleanKey(String name) {
    return key(
        name,
        text -> {
          String s = text.toLowerCase(Locale.ROOT);
          if (!s.equals("true") && !s.equals("false")) {
            throw new IllegalArgumentException("expected true or false");
          }
          return s.equals("true");
        });
  }

  /**
   * One of {@code choices}, in any case; the value is the choice as declared (lower case). Other
   * text reads {@code expected <choices, comma-separated>} unless {@link
   * ConfigEntry.Builder#expected} words it otherwise.
   */
  ConfigEntry.Builder<String> choiceKey(String name, String... choices) {
    List<String> allowed = List.of(choices);
    return key(
        name,
        text -> {
          String s = text.toLowerCase(Locale.ROOT);
          if (!allowed.contains(s)) {
            throw new IllegalArgumentException("expected " + String.join(", ", allowed));
          }
          return s;
        });
  }

  /** A key of any type, its default written as {@code String.valueOf(value)}. */
  <T> ConfigEntry.Builder<T> key(String name, ConfigEntry.Parser<T> parser) {
    return new ConfigEntry.Builder<>(this, name, parser, String::valueOf);
  }

  void register(ConfigEntry<?> entry) {
    if (byName.putIfAbsent(entry.name(), entry) != null) {
      throw new IllegalStateException("Key " + entry.name() + " is declared twice");
    }
  }

  /** Every key, in declaration order. */
  List<ConfigEntry<?>> all() {
    return List.copyOf(byName.values());
  }

  /**
   * The key of this name.
   *
   * @throws IllegalArgumentException naming the unknown key and listing the known ones
   */
  ConfigEntry<?> named(String name) {
    ConfigEntry<?> entry = byName.get(name);
    if (entry == null) {
      throw new IllegalArgumentException(
          "Unknown configuration key '"
              + name
              + "'. Known keys: "
              + String.join(", ", byName.keySet()));
    }
    return entry;
  }
}
