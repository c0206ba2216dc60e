package io.batchaudit.cli;

import io.batchaudit.read.LabelSource;
import io.batchaudit.train.DataSpec;
import io.batchaudit.train.SourceData;

/** Adapts the training job's source data to the reader's {@link LabelSource}. */
final class SourceLabels implements LabelSource {
  private final SourceData data;
  private final float[] features;

  private SourceLabels(SourceData data) {
    this.data = data;
    this.features = new float[data.featureCount()];
  }

  /** The labels of a data specification string, as stored in a run or given to --source. */
  static SourceLabels of(String spec) {
    return new SourceLabels(SourceData.of(DataSpec.parse(spec)));
  }

  @Override
  public long size() {
    return data.size();
  }

  @Override
  public int width() {
    return data.labelWidth();
  }

  @Override
  public void label(long sampleId, float[] out) {
    data.example(sampleId, features, out);
  }

  @Override
  public String description() {
    return data.spec().toString();
  }
}
