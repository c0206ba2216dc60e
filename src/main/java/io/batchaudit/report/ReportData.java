package io.batchaudit.report;

import io.batchaudit.read.Coverage;
import io.batchaudit.read.VerificationReport;
import io.batchaudit.store.BatchKey;
import java.util.List;
import java.util.Map;

/**
 * Everything the report shows, aggregated from one audit log into bounded summaries: plain values,
 * testable without HTML. Built by {@link ReportCollector}; drawn by {@link ReportWriter}.
 *
 * <p>Epoch lists are in epoch order; arrays inside records are owned by the record (do not modify).
 * Means over no rows are {@code NaN}.
 *
 * @param run what the run was and how much it recorded
 * @param verification the verifier's outcome and what targets were compared with
 * @param task classification (one-hot targets) or regression, decided from the first batch
 * @param targetWidth values per target row (classes, or regression outputs)
 * @param notOneHotRows classification rows whose target was not one-hot (left out of accuracy)
 * @param lossPerStep per training partition, {@code batch_score} against {@code step}, at most
 *     {@link BatchAggregator#POINTS_PER_LINE} points per line (consecutive steps averaged)
 * @param roundScores DL4J's averaged score after every round (from the manifests), against the step
 *     after the round's last minibatch, bounded the same way
 * @param stepsPerPoint the most steps one point of {@code lossPerStep} averages (1: none averaged)
 * @param epochs training epochs
 * @param validation validation epochs (empty when the run had no validation phase)
 * @param partitions training epoch x partition figures
 * @param errors regression: histograms of prediction minus target per training epoch
 * @param samples regression: sampled (target, prediction) pairs of the first and last training
 *     epoch
 * @param coverage examples trained 0, 1 or more times per training epoch
 * @param top the examples with the highest loss in the last training epoch
 * @param dynamics per-example training dynamics (classification), or {@code null} when not computed
 * @param dynamicsNote why {@code dynamics} is {@code null}, or {@code null}
 */
public record ReportData(
    RunFacts run,
    Verification verification,
    Task task,
    int targetWidth,
    long notOneHotRows,
    List<Line> lossPerStep,
    Line roundScores,
    long stepsPerPoint,
    List<EpochStats> epochs,
    List<EpochStats> validation,
    List<PartitionStats> partitions,
    ErrorHistograms errors,
    List<Sample> samples,
    CoverageFacts coverage,
    TopExamples top,
    DynamicsData dynamics,
    String dynamicsNote) {

  /** The report's data without training dynamics. */
  public ReportData(
      RunFacts run,
      Verification verification,
      Task task,
      int targetWidth,
      long notOneHotRows,
      List<Line> lossPerStep,
      Line roundScores,
      long stepsPerPoint,
      List<EpochStats> epochs,
      List<EpochStats> validation,
      List<PartitionStats> partitions,
      ErrorHistograms errors,
      List<Sample> samples,
      CoverageFacts coverage,
      TopExamples top) {
    this(
        run,
        verification,
        task,
        targetWidth,
        notOneHotRows,
        lossPerStep,
        roundScores,
        stepsPerPoint,
        epochs,
        validation,
        partitions,
        errors,
        samples,
        coverage,
        top,
        null,
        null);
  }

  /** This data with {@code dynamics}, or with none and {@code note} saying why. */
  public ReportData withDynamics(DynamicsData dynamics, String note) {
    return new ReportData(
        run,
        verification,
        task,
        targetWidth,
        notOneHotRows,
        lossPerStep,
        roundScores,
        stepsPerPoint,
        epochs,
        validation,
        partitions,
        errors,
        samples,
        coverage,
        top,
        dynamics,
        note);
  }

  public ReportData {
    lossPerStep = List.copyOf(lossPerStep);
    epochs = List.copyOf(epochs);
    validation = List.copyOf(validation);
    partitions = List.copyOf(partitions);
    samples = List.copyOf(samples);
  }

  /** What the targets are. */
  public enum Task {
    /** One-hot targets: accuracy, confusion matrices, cross-entropy. */
    CLASSIFICATION,
    /** Real-valued targets: squared error, error histograms, predicted against target. */
    REGRESSION,
    /** The log has no rows. */
    UNKNOWN
  }

  /**
   * The run, from the table: what the run was, its committed epochs and, when it finished, its end.
   *
   * @param location the audit folder
   * @param runId the run id
   * @param createdAt when the run started (ISO-8601)
   * @param dataSource the data specification training read
   * @param plannedEpochs epochs the run was configured to train
   * @param workers parameter-averaging workers
   * @param batchSize examples per minibatch per worker
   * @param averagingFrequency minibatches per worker between averagings
   * @param optionalColumns the opt-in columns recorded, for example {@code [loss]}
   * @param config every configuration key with its value
   * @param trainEpochs committed training epochs
   * @param validationEpochs committed validation epochs
   * @param rows rows recorded (all phases)
   * @param batches batches recorded (all phases)
   * @param seconds duration of the run (the training loop's when the run finished), {@code NaN}
   *     when unknown
   * @param durationSource where {@code seconds} comes from; says when the run did not finish
   */
  public record RunFacts(
      String location,
      String runId,
      String createdAt,
      String dataSource,
      int plannedEpochs,
      int workers,
      int batchSize,
      int averagingFrequency,
      List<String> optionalColumns,
      Map<String, String> config,
      List<Integer> trainEpochs,
      List<Integer> validationEpochs,
      long rows,
      long batches,
      double seconds,
      String durationSource) {
    public RunFacts {
      optionalColumns = List.copyOf(optionalColumns);
      config = Map.copyOf(config);
      trainEpochs = List.copyOf(trainEpochs);
      validationEpochs = List.copyOf(validationEpochs);
    }
  }

  /**
   * The verifier's outcome.
   *
   * @param report what {@link io.batchaudit.read.Verifier} found
   * @param labels what the targets were compared with, or why they were not
   */
  public record Verification(VerificationReport report, String labels) {}

  /** A point of a line. */
  public record Point(double x, double y) {}

  /** A named line. */
  public record Line(String name, List<Point> points) {
    public Line {
      points = List.copyOf(points);
    }
  }

  /**
   * One epoch of one phase.
   *
   * @param epoch 0-based epoch
   * @param rows rows recorded
   * @param batches batches recorded
   * @param meanScore row-weighted mean of {@code batch_score}
   * @param averagedScore training: DL4J's averaged score after the epoch's last round; validation:
   *     {@code NaN}
   * @param classified classification rows with a one-hot target
   * @param correct of those, rows whose largest prediction is the target class
   * @param accuracy {@code correct / classified}; {@code NaN} for regression
   * @param mse regression: mean over rows and outputs of (prediction - target)^2; {@code NaN} for
   *     classification
   * @param confusion classification with at most {@link BatchAggregator#MAX_CONFUSION_CLASSES}
   *     classes: {@code confusion[target][predicted]} counts; otherwise {@code null}
   */
  public record EpochStats(
      int epoch,
      long rows,
      long batches,
      double meanScore,
      double averagedScore,
      long classified,
      long correct,
      double accuracy,
      double mse,
      long[][] confusion) {}

  /** One worker partition in one training epoch; accuracy or MSE as in {@link EpochStats}. */
  public record PartitionStats(
      int epoch, int partition, long rows, double meanScore, double accuracy, double mse) {}

  /**
   * Error histograms on shared bins: bin {@code i} covers {@code [lowerEdge + i * binWidth,
   * lowerEdge + (i + 1) * binWidth)}.
   */
  public record ErrorHistograms(double lowerEdge, double binWidth, List<EpochHistogram> epochs) {
    public ErrorHistograms {
      epochs = List.copyOf(epochs);
    }
  }

  /** One epoch's error counts per bin, and its errors that were NaN or infinite. */
  public record EpochHistogram(int epoch, long[] counts, long nonFinite) {}

  /** One sampled value of a regression output. */
  public record ScatterPoint(int output, float target, float prediction) {}

  /** A uniform sample of one epoch's (target, prediction) values, out of {@code values}. */
  public record Sample(int epoch, long values, List<ScatterPoint> points) {
    public Sample {
      points = List.copyOf(points);
    }
  }

  /**
   * Coverage per training epoch.
   *
   * @param basis what the number of source examples is based on
   * @param epochs per epoch, from {@link Coverage}; empty when it could not be computed
   * @param labelMix per epoch and worker partition, the classes trained ({@link
   *     io.batchaudit.read.LabelMix}); empty unless the log is a classification one
   */
  public record CoverageFacts(
      String basis,
      List<Coverage.EpochCoverage> epochs,
      List<io.batchaudit.read.LabelMix.PartitionMix> labelMix) {
    public CoverageFacts(String basis, List<Coverage.EpochCoverage> epochs) {
      this(basis, epochs, List.of());
    }

    public CoverageFacts {
      epochs = List.copyOf(epochs);
      labelMix = List.copyOf(labelMix);
    }
  }

  /** One example of one batch, with its loss. */
  public record Example(
      long sampleId, BatchKey key, double loss, float[] target, float[] prediction) {}

  /**
   * The highest-loss examples of one epoch.
   *
   * @param epoch the last training epoch ({@code -1} when there is none)
   * @param lossKind what the loss is: recorded, or computed and how
   * @param examples highest loss first
   */
  public record TopExamples(int epoch, String lossKind, List<Example> examples) {
    public TopExamples {
      examples = List.copyOf(examples);
    }
  }
}
