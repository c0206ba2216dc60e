package io.batchaudit.testing;

import io.batchaudit.config.JobConfig;
import io.batchaudit.read.LabelSource;
import io.batchaudit.train.RunSummary;
import io.batchaudit.train.TrainingJob;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.api.TrainingHook;

/** Runs the real training job in tests, with the observing hook installed. */
public final class TestRuns {
  private TestRuns() {}

  /**
   * Trains with {@code key=value} settings into {@code out}; observations in {@link ObservingHook}.
   */
  public static RunSummary train(JavaSparkContext sc, Path out, String... settings) {
    return train(sc, out, List.of(), settings);
  }

  /**
   * As {@link #train(JavaSparkContext, Path, String...)}, with further hooks after the observer.
   */
  public static RunSummary train(
      JavaSparkContext sc, Path out, List<TrainingHook> hooks, String... settings) {
    ObservingHook.clear();
    JobConfig.Builder b = JobConfig.builder().set("out", out.toString());
    for (String s : settings) {
      b.setAssignment(s);
    }
    TrainingJob.Builder job =
        TrainingJob.builder(b.build())
            .hook(new ObservingHook())
            .progress(new PrintWriter(new StringWriter()));
    hooks.forEach(job::hook);
    return job.build().run(sc);
  }

  /** The source labels of a data specification, for {@code Verifier}. */
  public static LabelSource labels(String spec) {
    return io.batchaudit.cli.SourceLabels.of(spec);
  }
}
