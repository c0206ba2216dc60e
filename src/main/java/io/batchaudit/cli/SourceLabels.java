package io.batchaudit.cli;

import io.batchaudit.read.LabelSource;
import io.batchaudit.train.DataSpec;
import io.batchaudit.train.SourceData;

/** Adapts the training job's source data to the reader's {@link LabelSource}. */
public final class SourceLabels implements LabelSource {
  private final SourceData data;
  private final float[] features;

  private SourceLabels(SourceData data) {
    this.data = data;
    this.features = new float[data.featureCount()];
  }

  /** The labels of a data specification string, as stored in a run or given to --source. */
  public static SourceLabels of(String spec) {
    return new SourceLabels(SourceData.of(DataSpec.parse(spec)));
  }

  /**
   * The source a command checks against: {@code override} (its {@code --source}) if given, else the
   * data the run recorded; an invalid specification is reported as an invalid --source.
   */
  static SourceLabels forRun(io.batchaudit.read.AuditLog log, String override) {
    String spec = override != null ? override : log.run().dataSource();
    try {
      return of(spec);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid --source '" + spec + "': " + e.getMessage(), e);
    }
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
