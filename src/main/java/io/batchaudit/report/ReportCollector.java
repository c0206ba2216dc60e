package io.batchaudit.report;

import io.batchaudit.read.AuditLog;
import io.batchaudit.read.Coverage;
import io.batchaudit.read.LabelSource;
import io.batchaudit.read.VerificationReport;
import io.batchaudit.read.Verifier;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.OptionalColumns;
import io.batchaudit.store.Phase;
import io.batchaudit.store.ValueColumn;
import io.batchaudit.store.table.RunInfo;
import io.batchaudit.store.table.RunState;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds a {@link ReportData} from a committed audit log, on the driver. Reads the log four times,
 * each streamed and each reading only the columns it uses: the report's own aggregation ({@link
 * BatchAggregator}: targets, predictions, loss), {@link Coverage} (sample ids), {@link
 * io.batchaudit.read.LabelMix} (targets) and {@link Verifier} (targets; it also re-hashes every
 * committed file). Memory: the bounded summaries, one byte per source example (coverage) and what
 * the reader holds (one averaging round, or one batch of a compacted epoch).
 */
public final class ReportCollector {
  private ReportCollector() {}

  /**
   * Collects the report of {@code log}.
   *
   * @param log the committed log
   * @param labels the source labels to verify targets against, or {@code null} when the source
   *     could not be loaded
   * @param whyNoLabels when {@code labels} is null: why, for the report (for example the loader's
   *     error message)
   */
  public static ReportData collect(AuditLog log, LabelSource labels, String whyNoLabels) {
    return collect(log, labels, null, whyNoLabels);
  }

  /**
   * Collects the report of {@code log}, as {@link #collect(AuditLog, LabelSource, String)}, with
   * validation targets checked against {@code validationLabels}, the validation data's labels, or
   * not when {@code null} (no validation phase, or not loaded).
   */
  public static ReportData collect(
      AuditLog log, LabelSource labels, LabelSource validationLabels, String whyNoLabels) {
    List<EpochCommit> commits = log.commits();
    BatchAggregator agg = new BatchAggregator(commits);
    // what the aggregation uses: targets, predictions and loss (not features or activations)
    try (Stream<AuditBatch> batches =
        log.batches(EnumSet.of(ValueColumn.TARGETS, ValueColumn.PREDICTIONS, ValueColumn.LOSS))) {
      Iterator<AuditBatch> it = batches.iterator();
      while (it.hasNext()) {
        agg.accept(it.next());
      }
    }
    ReportData.CoverageFacts coverage = coverage(log, labels, agg.maxSampleId());
    VerificationReport report = Verifier.verify(log, labels, validationLabels);
    String checkedAgainst =
        labels != null
            ? labels.description() + " (" + labels.size() + " examples)"
            : "not compared with the source data: "
                + (whyNoLabels == null ? "no source given" : whyNoLabels)
                + "; manifests, files and keys were checked";
    RunInfo run = log.run();
    RunDuration duration = duration(log, commits);
    ReportData.RunFacts facts =
        new ReportData.RunFacts(
            log.location(),
            run.runId(),
            run.createdAt(),
            run.dataSource(),
            run.plannedEpochs(),
            run.workers(),
            run.batchSize(),
            run.averagingFrequency(),
            columns(run.optionalColumns()),
            run.config(),
            log.committedEpochs(Phase.TRAIN),
            log.committedEpochs(Phase.VALIDATION),
            agg.rows(),
            agg.batches(),
            duration.seconds(),
            duration.source());
    return new ReportData(
        facts,
        new ReportData.Verification(report, checkedAgainst),
        agg.task(),
        agg.width(),
        agg.notOneHotRows(),
        agg.lossPerStep(),
        agg.roundScores(),
        agg.stepsPerPoint(),
        agg.epochs(),
        agg.validation(),
        agg.partitions(),
        agg.errors(),
        agg.samples(),
        coverage,
        agg.top());
  }

  private static ReportData.CoverageFacts coverage(AuditLog log, LabelSource labels, long maxId) {
    long examples;
    String basis;
    if (labels != null) {
      examples = labels.size();
      basis = labels.description() + ": " + examples + " source examples";
    } else {
      examples = maxId + 1;
      basis =
          "source data not loaded: counted over sample ids 0.." + maxId + " (the largest id seen)";
    }
    if (examples <= 0) {
      return new ReportData.CoverageFacts("no rows recorded", List.of());
    }
    try {
      return new ReportData.CoverageFacts(
          basis,
          labels != null
              ? Coverage.compute(log, Phase.TRAIN, labels)
              : Coverage.compute(log, examples),
          io.batchaudit.read.LabelMix.compute(log));
    } catch (IllegalArgumentException e) {
      return new ReportData.CoverageFacts("not computed: " + e.getMessage(), List.of());
    }
  }

  private record RunDuration(double seconds, String source) {}

  /**
   * The run's duration: the training loop's, as the table records the run's end; for a run that did
   * not finish, from its start to its last epoch commit; else NaN. With where the figure comes
   * from.
   */
  private static RunDuration duration(AuditLog log, List<EpochCommit> commits) {
    if (log.state() instanceof RunState.Finished f && !Double.isNaN(f.end().trainingSeconds())) {
      return new RunDuration(f.end().trainingSeconds(), "training loop, from " + f.recordedIn());
    }
    try {
      Instant start = Instant.parse(log.run().createdAt());
      Instant last = null;
      for (EpochCommit c : commits) {
        Instant at = Instant.parse(c.committedAt());
        last = last == null || at.isAfter(last) ? at : last;
      }
      if (last != null) {
        return new RunDuration(
            Duration.between(start, last).toMillis() / 1000.0,
            "run start to the last epoch commit: the table records no end of this run (still"
                + " running, or its driver stopped)");
      }
    } catch (DateTimeParseException e) {
      // fall through: unknown
    }
    return new RunDuration(
        Double.NaN,
        "unknown: the table records no end of this run, and no committed epoch with a readable"
            + " time");
  }

  private static List<String> columns(OptionalColumns c) {
    List<String> out = new ArrayList<>();
    if (c.features()) {
      out.add("features");
    }
    if (c.labelMask()) {
      out.add("label_mask");
    }
    if (c.loss()) {
      out.add("loss");
    }
    c.activations().forEach(a -> out.add("activation_" + a));
    return out;
  }
}
