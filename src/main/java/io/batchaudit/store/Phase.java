package io.batchaudit.store;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Which pass over the data a batch belongs to. Stored as its lower-case {@link #label()}. */
public enum Phase {
  TRAIN("train"),
  VALIDATION("validation");

  private final String label;

  Phase(String label) {
    this.label = label;
  }

  /** The value stored in the {@code phase} column, folder names and JSON files. */
  @com.fasterxml.jackson.annotation.JsonValue
  public String label() {
    return label;
  }

  /** Parses a stored label; the error lists the known labels. */
  @com.fasterxml.jackson.annotation.JsonCreator
  public static Phase fromLabel(String label) {
    for (Phase p : values()) {
      if (p.label.equals(label)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "Unknown phase '"
            + label
            + "': expected one of "
            + Arrays.stream(values()).map(Phase::label).collect(Collectors.joining(", ")));
  }
}
