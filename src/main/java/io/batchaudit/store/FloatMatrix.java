package io.batchaudit.store;

import java.util.Arrays;

/**
 * A dense row-major matrix of floats: one row per example, one column per value of that example
 * (multi-dimensional per-example arrays, such as time series, are flattened in C order).
 *
 * <p>The array is owned by the matrix: callers hand it over and must not modify it afterwards;
 * {@link #values()} exposes it without copying, for bulk writes.
 */
public record FloatMatrix(int rows, int cols, float[] values) {

  public FloatMatrix {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("Matrix shape must be >= 0, got " + rows + "x" + cols);
    }
    if (values == null || (long) rows * cols != values.length) {
      throw new IllegalArgumentException(
          "Matrix "
              + rows
              + "x"
              + cols
              + " needs "
              + ((long) rows * cols)
              + " values, got "
              + (values == null ? "null" : values.length));
    }
  }

  /** A copy of row {@code r}. */
  public float[] row(int r) {
    int from = r * cols;
    return Arrays.copyOfRange(values, from, from + cols);
  }

  /** The value at row {@code r}, column {@code c}. */
  public float get(int r, int c) {
    return values[r * cols + c];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatMatrix m
        && rows == m.rows
        && cols == m.cols
        && Arrays.equals(values, m.values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * rows + cols) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "FloatMatrix[" + rows + "x" + cols + "]";
  }
}
