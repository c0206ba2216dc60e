package io.batchaudit.capture;

import io.batchaudit.store.FloatMatrix;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Bulk copies out of ND4J arrays (never element by element). */
final class NdArrays {
  private NdArrays() {}

  /**
   * Copies {@code a} into a row-major matrix with one row per example (dimension 0); further
   * dimensions are flattened in C order. The copy is detached from any workspace.
   */
  static FloatMatrix toMatrix(INDArray a) {
    long rows = a.size(0);
    long length = a.length();
    int cols = rows == 0 ? 0 : (int) (length / rows);
    return new FloatMatrix((int) rows, cols, toFloats(a));
  }

  /** All values of {@code a} in C order, as a new array. */
  static float[] toFloats(INDArray a) {
    INDArray c = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
    if (c.isView() || c.ordering() != 'c' || c.offset() != 0 || c.data().length() != c.length()) {
      c = c.dup('c');
    }
    return c.data().asFloat();
  }

  /**
   * Concatenates 2-d arrays of the same number of rows along the columns (a graph's several outputs
   * or inputs, in order); a single array is returned as it is.
   */
  static INDArray concat(INDArray[] parts) {
    return parts.length == 1 ? parts[0] : Nd4j.hstack(parts);
  }
}
