package io.batchaudit.testing;

import io.batchaudit.read.LabelSource;
import io.batchaudit.train.JobConfig;
import io.batchaudit.train.RunSummary;
import io.batchaudit.train.TrainingJob;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;

/** Runs the real training job in tests, with the observing hook installed. */
public final class TestRuns {
  private TestRuns() {}

  /**
   * Trains with {@code key=value} settings into {@code out}; observations in {@link ObservingHook}.
   */
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
    return io.batchaudit.cli.SourceLabels.of(spec);
  }
}
