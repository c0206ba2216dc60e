package io.batchaudit.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.batchaudit.read.AuditLog;
import io.batchaudit.read.Coverage;
import io.batchaudit.read.LabelSource;
import io.batchaudit.read.VerificationReport;
import io.batchaudit.read.Verifier;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.Json;
import io.batchaudit.store.OptionalColumns;
import io.batchaudit.store.Phase;
import io.batchaudit.store.RunInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Builds a {@link ReportData} from a committed audit log, on the driver. Reads the log three times,
 * each streamed: the report's own aggregation ({@link BatchAggregator}), {@link Coverage} and
 * {@link Verifier} (which also re-hashes every committed file). Memory: the bounded summaries, one
 * byte per source example (coverage) and what the reader holds (one averaging round, or one batch
 * of a compacted epoch).
 */
public final class ReportCollector {
  private ReportCollector() {}

  /**
   * Collects the report of {@code log}.
   *
   * @param log the committed log
   * @param conf Hadoop configuration to read the run's {@code summary.json} beside the audit folder
   * @param labels the source labels to verify targets against, or {@code null} when the source
   *     could not be loaded
   * @param whyNoLabels when {@code labels} is null: why, for the report (for example the loader's
   *     error message)
   */
  public static ReportData collect(
      AuditLog log, Configuration conf, LabelSource labels, String whyNoLabels) {
    return collect(log, conf, labels, null, whyNoLabels);
  }

  /**
   * Collects the report of {@code log}, as {@link #collect(AuditLog, Configuration, LabelSource,
   * String)}, with validation targets checked against {@code validationLabels}, the validation
   * data's labels, or not when {@code null} (no validation phase, or not loaded).
   */
  public static ReportData collect(
      AuditLog log,
      Configuration conf,
      LabelSource labels,
      LabelSource validationLabels,
      String whyNoLabels) {
    List<EpochCommit> commits = log.commits();
    BatchAggregator agg = new BatchAggregator(commits);
    try (Stream<AuditBatch> batches = log.batches()) {
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
    RunDuration duration = duration(log, conf, commits);
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
              : Coverage.compute(log, examples));
    } catch (IllegalArgumentException e) {
      return new ReportData.CoverageFacts("not computed: " + e.getMessage(), List.of());
    }
  }

  private record RunDuration(double seconds, String source) {}

  /**
   * The run's duration: the training loop's, from the run's {@code summary.json} beside the audit
   * folder when it is there and names this run; else from the run's start to the last manifest;
   * else NaN. With where the figure comes from.
   */
  private static RunDuration duration(AuditLog log, Configuration conf, List<EpochCommit> commits) {
    Path root = new Path(log.location());
    Path summary = root.getParent() == null ? null : new Path(root.getParent(), "summary.json");
    if (summary != null) {
      try {
        FileSystem fs = summary.getFileSystem(conf);
        if (fs.exists(summary)) {
          JsonNode node;
          try (InputStream in = fs.open(summary)) {
            node = Json.mapper().readTree(in);
          }
          if (node.path("runId").asText("").equals(log.run().runId())
              && node.path("seconds").isNumber()) {
            return new RunDuration(
                node.get("seconds").asDouble(), "training loop, from " + summary);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + summary + ": " + e.getMessage(), e);
      }
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
            "run start (run.json) to the last epoch manifest (no summary.json of this run)");
      }
    } catch (DateTimeParseException e) {
      // fall through: unknown
    }
    return new RunDuration(
        Double.NaN, "unknown (no summary.json, no committed epoch with a readable time)");
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
