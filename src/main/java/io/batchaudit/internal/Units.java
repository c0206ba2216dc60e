package io.batchaudit.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the sizes ({@code 128m}) and durations ({@code 10m}) of configuration keys and options.
 */
public final class Units {
  private static final Pattern SIZE = Pattern.compile("(\\d+)([kmg]?)b?");
  private static final Pattern AGE = Pattern.compile("(\\d+)([smhd])");

  private Units() {}

  /** {@code 512}, {@code 64k}, {@code 128m}, {@code 1g} (binary multiples) to bytes, at least 1. */
  public static long bytes(String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches() || Long.parseLong(m.group(1)) < 1) {
      throw new IllegalArgumentException(
          "expected a size such as 512k, 128m or 1g, got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "k":
        return n << 10;
      case "m":
        return n << 20;
      case "g":
        return n << 30;
      default:
        return n;
    }
  }

  /** {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d} to a duration. */
  public static Duration duration(String text) {
    Matcher m = AGE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a whole number with s, m, h or d (for example 24h), got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "s":
        return Duration.ofSeconds(n);
      case "m":
        return Duration.ofMinutes(n);
      case "h":
        return Duration.ofHours(n);
      default:
        return Duration.ofDays(n);
    }
  }
}
