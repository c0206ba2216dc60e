package io.batchaudit.read;

/**
 * The source labels that recorded targets are checked against, by sample id.
 *
 * <p>A source holds {@link #size()} examples at positions {@code 0 .. size-1}. By default the
 * sample id of an example is its position (built-in data, files without an id column); a source
 * whose ids are arbitrary integers (an id column) overrides {@link #indexOf} and {@link #idAt}.
 */
public interface LabelSource {
  /** Number of source examples. */
  long size();

  /** Width of a label row (classes for one-hot labels, outputs for regression). */
  int width();

  /**
   * Writes the label of {@code sampleId} into {@code out} (length {@link #width()}); only called
   * for ids the source holds ({@link #indexOf} is not -1).
   */
  void label(long sampleId, float[] out);

  /** What the source is, for messages (for example {@code iris}). */
  String description();

  /** The position of {@code sampleId} in the source, or -1 when no example has that id. */
  default long indexOf(long sampleId) {
    return sampleId >= 0 && sampleId < size() ? sampleId : -1;
  }

  /** The sample id of the example at {@code index} (0 .. size-1). */
  default long idAt(long index) {
    return index;
  }
}
