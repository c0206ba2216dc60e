package io.batchaudit.source;

import java.util.Locale;

/**
 * What a file input's labels are: class indices (one label column holding 0 .. classes-1, one-hot
 * encoded into the examples) or regression targets (one or more columns, used as they are).
 */
public enum Task {
  CLASSIFICATION,
  REGRESSION;

  /** The task named by the {@code task} key: {@code classification} or {@code regression}. */
  public static Task parse(String text) {
    String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (Task t : values()) {
      if (t.label().equals(s)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "Invalid task '" + text + "': expected classification or regression");
  }

  /** The lower-case name used in configuration and messages. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
