package io.batchaudit.store;

import java.io.Serializable;
import java.util.List;

/**
 * Which opt-in columns a log stores besides the always-present keys, targets and predictions.
 *
 * <p>Serializable because it travels from the driver to the executors inside the capture hook.
 *
 * @param features store the input features ({@code features})
 * @param labelMask store the label mask ({@code label_mask}; null for batches without a mask)
 * @param loss store the per-example loss ({@code loss})
 * @param activations names of hidden layers whose activations are stored, each as column {@code
 *     activation_<name>}
 */
public record OptionalColumns(
    boolean features, boolean labelMask, boolean loss, List<String> activations)
    implements Serializable {

  /** No optional column. */
  public static final OptionalColumns NONE = new OptionalColumns(false, false, false, List.of());

  public OptionalColumns {
    activations = List.copyOf(activations);
    for (String name : activations) {
      if (!name.matches("[A-Za-z0-9_]+")) {
        throw new IllegalArgumentException(
            "Activation layer name '"
                + name
                + "' cannot be a column name suffix: use letters, digits and '_' only");
      }
    }
  }
}
