package io.batchaudit.capture;

import java.io.Serializable;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * One training minibatch as {@link BatchRecorder} needs it, from the {@code DataSet} a {@code
 * MultiLayerNetwork} worker fits or the {@code MultiDataSet} a {@code ComputationGraph} worker fits
 * (several label arrays are concatenated in output order, several inputs likewise for the features
 * column). The arrays are DL4J's, not copies: valid for the current minibatch only.
 */
record Minibatch(
    INDArray features, INDArray[] labels, INDArray[] labelMasks, List<Serializable> meta) {
  static Minibatch of(DataSet d) {
    return new Minibatch(
        d.getFeatures(),
        new INDArray[] {d.getLabels()},
        d.getLabelsMaskArray() == null ? null : new INDArray[] {d.getLabelsMaskArray()},
        d.getExampleMetaData());
  }

  static Minibatch of(MultiDataSet d) {
    return new Minibatch(
        NdArrays.concat(d.getFeatures()),
        d.getLabels(),
        d.getLabelsMaskArrays(),
        d.getExampleMetaData());
  }

  int numExamples() {
    return (int) features.size(0);
  }

  /** The labels of all outputs, concatenated in output order. */
  INDArray labelMatrix() {
    return NdArrays.concat(labels);
  }

  /** The label mask of output {@code output}, or {@code null}. */
  INDArray labelMask(int output) {
    return labelMasks == null ? null : labelMasks[output];
  }
}
