package io.batchaudit.capture;

/** Which forward pass the recorded predictions come from. */
public enum PredictionSource {
  /**
   * The training forward pass the loss was computed on (before the update). Costs one matrix
   * product of the output layer, no second forward pass. The default.
   */
  FORWARD_PASS("forward-pass"),
  /**
   * A second, full forward pass in inference mode after the update ({@code output(features)}).
   * Costs a whole extra forward pass per minibatch; the predictions are not those the loss saw.
   */
  POST_UPDATE("post-update");

  private final String label;

  PredictionSource(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static PredictionSource fromLabel(String label) {
    for (PredictionSource s : values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "Unknown prediction source '" + label + "': use forward-pass or post-update");
  }
}
