package io.batchaudit.read;

/** The source labels that recorded targets are checked against, by sample id. */
public interface LabelSource {
  /** Number of source examples; valid sample ids are 0 .. size-1. */
  long size();

  /** Width of a label row (classes for one-hot labels, outputs for regression). */
  int width();

  /** Writes the label of {@code sampleId} into {@code out} (length {@link #width()}). */
  void label(long sampleId, float[] out);

  /** What the source is, for messages (for example {@code iris}). */
  String description();
}
