package io.batchaudit.dynamics;

/**
 * Which statistics a log gets: classification when every recorded target of the phase is one-hot
 * (at least two classes), otherwise regression.
 */
public enum DynamicsTask {
  CLASSIFICATION("classification"),
  REGRESSION("regression");

  private final String label;

  DynamicsTask(String label) {
    this.label = label;
  }

  /** The name printed and stored in the output's {@code _dynamics.json}. */
  @com.fasterxml.jackson.annotation.JsonValue
  public String label() {
    return label;
  }
}
