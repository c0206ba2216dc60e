package io.batchaudit.source;

/**
 * What a network must fit: the width of a feature row and of a target row, and whether targets are
 * one-hot classes or real-valued regression targets.
 *
 * @param features values per feature row
 * @param labelWidth values per target row (classes for classification)
 * @param classification one-hot class targets ({@code false}: regression)
 */
public record DataShape(int features, int labelWidth, boolean classification) {
  public String describe() {
    return String.format(
        "%d features, %s",
        features, classification ? labelWidth + " classes" : labelWidth + " regression targets");
  }
}
