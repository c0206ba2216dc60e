package io.batchaudit.dynamics;

/**
 * The region of an example on a Data Map (Swayamdipta et al., 2020, "Dataset Cartography"), from
 * its confidence (mean probability of the target class over its presentations) and variability
 * (their population standard deviation). The paper draws the regions by eye; the thresholds here
 * are this project's, fixed and documented so that counts are comparable between runs:
 *
 * <ul>
 *   <li>{@link #AMBIGUOUS}: variability at least {@value #AMBIGUOUS_VARIABILITY} (the network
 *       changed its mind about the example over training);
 *   <li>otherwise {@link #EASY_TO_LEARN}: confidence at least {@value #EASY_CONFIDENCE};
 *   <li>otherwise {@link #HARD_TO_LEARN}: consistently low confidence, where label errors gather.
 * </ul>
 *
 * Variability lies in [0, 0.5] (the standard deviation of values in [0, 1]); an example presented
 * once has variability 0.
 */
public enum DataMapRegion {
  EASY_TO_LEARN("easy-to-learn"),
  AMBIGUOUS("ambiguous"),
  HARD_TO_LEARN("hard-to-learn");

  /** Variability from which an example is ambiguous. */
  public static final double AMBIGUOUS_VARIABILITY = 0.2;

  /** Confidence from which a non-ambiguous example is easy to learn. */
  public static final double EASY_CONFIDENCE = 0.5;

  private final String label;

  DataMapRegion(String label) {
    this.label = label;
  }

  /** The value of the {@code region} column. */
  @com.fasterxml.jackson.annotation.JsonValue
  public String label() {
    return label;
  }

  /** The region of an example with this confidence and variability. */
  public static DataMapRegion of(double confidence, double variability) {
    if (variability >= AMBIGUOUS_VARIABILITY) {
      return AMBIGUOUS;
    }
    return confidence >= EASY_CONFIDENCE ? EASY_TO_LEARN : HARD_TO_LEARN;
  }
}
