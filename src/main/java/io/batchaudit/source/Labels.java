package io.batchaudit.source;

/**
 * The labels of an input's examples by sample id, on the driver: what an audit log's recorded
 * targets are checked against (the read side sees them as {@code read.LabelSource}, through the
 * cli, so that this package does not depend on the reader).
 *
 * <p>An input holds {@link #size()} examples at positions {@code 0 .. size-1}. The sample id of an
 * example is its position (built-in data, files without an id column) unless {@link #indexOf} and
 * {@link #idAt} say otherwise (an id column). Not thread-safe.
 */
public interface Labels {
  /** Number of examples. */
  long size();

  /** Width of a label row (classes for one-hot labels, outputs for regression). */
  int width();

  /**
   * Writes the label of {@code sampleId} into {@code out} (length {@link #width()}); only called
   * for ids the input holds ({@link #indexOf} is not -1).
   */
  void label(long sampleId, float[] out);

  /** What the input is, for messages: its canonical text ({@code iris}, a file URI). */
  String description();

  /** The position of {@code sampleId} in the input, or -1 when no example has that id. */
  default long indexOf(long sampleId) {
    return sampleId >= 0 && sampleId < size() ? sampleId : -1;
  }

  /** The sample id of the example at {@code index} (0 .. size-1). */
  default long idAt(long index) {
    return index;
  }
}
