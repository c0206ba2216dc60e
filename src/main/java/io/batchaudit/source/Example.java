package io.batchaudit.source;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One source example with its sample id. Crosses to executors inside RDDs, hence Serializable; its
 * arrays are its own (made for it, or copied from a cache), so a consumer may modify them.
 *
 * @param label one-hot of width {@code classes} for classification; the targets for regression
 */
public record Example(long sampleId, float[] features, float[] label) implements Serializable {
  @Override
  public boolean equals(Object o) {
    return o instanceof Example e
        && e.sampleId == sampleId
        && Arrays.equals(e.features, features)
        && Arrays.equals(e.label, label);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sampleId, Arrays.hashCode(features), Arrays.hashCode(label));
  }

  @Override
  public String toString() {
    return "Example["
        + sampleId
        + ", "
        + Arrays.toString(features)
        + ", "
        + Arrays.toString(label)
        + "]";
  }
}
