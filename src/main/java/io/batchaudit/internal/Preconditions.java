package io.batchaudit.internal;

/** Argument checks that throw {@link IllegalArgumentException} with a formatted message. */
public final class Preconditions {
  private Preconditions() {}

  /**
   * Throws {@link IllegalArgumentException} with {@code String.format(message, args)} unless {@code
   * condition} holds.
   */
  public static void checkArgument(boolean condition, String message, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(message, args));
    }
  }

  /**
   * Throws {@link IllegalStateException} with the formatted message unless {@code condition} holds.
   */
  public static void checkState(boolean condition, String message, Object... args) {
    if (!condition) {
      throw new IllegalStateException(String.format(message, args));
    }
  }
}
