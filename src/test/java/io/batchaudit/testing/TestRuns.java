package io.batchaudit.testing;

import io.batchaudit.read.LabelSource;
import io.batchaudit.train.DataSpec;
import io.batchaudit.train.JobConfig;
import io.batchaudit.train.RunSummary;
import io.batchaudit.train.SourceData;
import io.batchaudit.train.TrainingJob;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;

/** Runs the real training job in tests, with the observing hook installed. */
public final class TestRuns {
  private TestRuns() {}

  /** Trains with {@code key=value} settings into {@code out}; observations in {@link ObservingHook}. */
  public static RunSummary train(JavaSparkContext sc, Path out, String... settings) {
    ObservingHook.clear();
    JobConfig.Builder b = JobConfig.builder().set("out", out.toString());
    for (String s : settings) {
      b.setAssignment(s);
    }
    return TrainingJob.builder(b.build())
        .hook(new ObservingHook())
        .progress(new PrintWriter(new StringWriter()))
        .build()
        .run(sc);
  }

  /** The source labels of a data specification, for {@code Verifier}. */
  public static LabelSource labels(String spec) {
    SourceData data = SourceData.of(DataSpec.parse(spec));
    float[] features = new float[data.featureCount()];
    return new LabelSource() {
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
        return spec;
      }
    };
  }
}
