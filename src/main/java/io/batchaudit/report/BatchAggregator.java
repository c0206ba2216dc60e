package io.batchaudit.report;

import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.Phase;
import io.batchaudit.store.RoundStart;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one streamed pass of the report: takes the committed batches in training order, one at a
 * time, and keeps only bounded summaries (per epoch, per epoch and partition, fixed-size lines,
 * histograms, samples and top-K heap). Memory does not grow with the rows of the log.
 *
 * <p>Classification or regression is decided from the first batch: targets of two or more columns,
 * each row one-hot, mean classification. Not thread-safe.
 */
final class BatchAggregator {
  /** Points per loss line at most; consecutive steps are averaged beyond. */
  static final int POINTS_PER_LINE = 400;

  /** Classes up to which a confusion matrix is kept per epoch. */
  static final int MAX_CONFUSION_CLASSES = 50;

  /** Highest-loss examples listed. */
  static final int TOP_K = 20;

  /** Sampled (target, prediction) values per scatter epoch. */
  static final int SAMPLE_SIZE = 2000;

  /** The smallest probability cross-entropy takes the log of, as DL4J's softmax clipping. */
  static final double PROBABILITY_FLOOR = 1e-10;

  /** Figures of one epoch (or epoch and partition) while streaming. */
  private static final class Tally {
    long rows;
    long batches;
    double scoreSum;
    long scoreRows;
    long classified;
    long correct;
    double squaredErrors;
    long values;
    long[][] confusion;

    void score(AuditBatch b) {
      batches++;
      rows += b.size();
      if (Double.isFinite(b.batchScore())) {
        scoreSum += b.batchScore() * b.size();
        scoreRows += b.size();
      }
    }

    double meanScore() {
      return scoreRows == 0 ? Double.NaN : scoreSum / scoreRows;
    }

    double accuracy() {
      return classified == 0 ? Double.NaN : correct / (double) classified;
    }

    double mse() {
      return values == 0 ? Double.NaN : squaredErrors / values;
    }
  }

  private final List<EpochCommit> commits;
  private final int firstTrainEpoch;
  private final int lastTrainEpoch;
  private final Map<Integer, Tally> train = new TreeMap<>();
  private final Map<Integer, Tally> validation = new TreeMap<>();
  private final Map<Long, Tally> partitions = new TreeMap<>();
  private final Map<Integer, BucketedSeries> lines = new TreeMap<>();
  private final Map<Long, Long> roundEndStep = new HashMap<>();
  private final ErrorHistogram errors = new ErrorHistogram();
  private final Reservoir firstSample = new Reservoir(SAMPLE_SIZE);
  private final Reservoir lastSample = new Reservoir(SAMPLE_SIZE);
  private final TopLosses top = new TopLosses(TOP_K);
  private ReportData.Task task;
  private int width;
  private long notOneHot;
  private long recordedLossRows;
  private long computedLossRows;
  private long maxSampleId = -1;
  private long rows;
  private long batches;

  /** An aggregation of the log whose committed epochs are {@code commits}. */
  BatchAggregator(List<EpochCommit> commits) {
    this.commits = List.copyOf(commits);
    List<Integer> trainEpochs =
        commits.stream().filter(c -> c.phase() == Phase.TRAIN).map(EpochCommit::epoch).toList();
    this.firstTrainEpoch = trainEpochs.isEmpty() ? -1 : trainEpochs.get(0);
    this.lastTrainEpoch = trainEpochs.isEmpty() ? -1 : trainEpochs.get(trainEpochs.size() - 1);
  }

  void accept(AuditBatch b) {
    BatchKey k = b.key();
    if (task == null) {
      decideTask(b.targets());
    }
    boolean training = k.phase() == Phase.TRAIN;
    rows += b.size();
    batches++;
    Tally epoch = (training ? train : validation).computeIfAbsent(k.epoch(), e -> newTally());
    epoch.score(b);
    Tally partition = null;
    if (training) {
      partition =
          partitions.computeIfAbsent(((long) k.epoch() << 32) | k.partition(), p -> new Tally());
      partition.score(b);
      lines
          .computeIfAbsent(k.partition(), p -> new BucketedSeries(POINTS_PER_LINE))
          .add(b.step(), b.batchScore());
      roundEndStep.merge(((long) k.epoch() << 32) | k.round(), b.step() + 1, Math::max);
    }
    boolean topCandidates = training && k.epoch() == lastTrainEpoch;
    FloatMatrix targets = b.targets();
    FloatMatrix predictions = b.predictions();
    for (int r = 0; r < b.size(); r++) {
      maxSampleId = Math.max(maxSampleId, b.sampleIds()[r]);
      double squaredError = 0;
      if (task == ReportData.Task.CLASSIFICATION) {
        classify(targets, predictions, r, epoch, partition);
      } else {
        squaredError = regress(targets, predictions, r, k, epoch, partition);
      }
      if (!topCandidates) {
        continue;
      }
      double loss;
      if (b.loss() != null) {
        loss = b.loss()[r];
        recordedLossRows++;
      } else if (task == ReportData.Task.CLASSIFICATION) {
        int t = targets.cols() == width ? oneHotClass(targets, r) : -1;
        if (t < 0) {
          continue; // no class to take the cross-entropy of
        }
        loss = crossEntropy(predictions, r, t);
        computedLossRows++;
      } else {
        loss = squaredError;
        computedLossRows++;
      }
      long id = b.sampleIds()[r];
      if (top.wouldKeep(loss, id, k)) {
        top.offer(new ReportData.Example(id, k, loss, targets.row(r), predictions.row(r)));
      }
    }
  }

  private Tally newTally() {
    Tally t = new Tally();
    if (task == ReportData.Task.CLASSIFICATION && width <= MAX_CONFUSION_CLASSES) {
      t.confusion = new long[width][width];
    }
    return t;
  }

  private void decideTask(FloatMatrix targets) {
    width = targets.cols();
    boolean oneHot = width >= 2 && targets.rows() > 0;
    for (int r = 0; r < targets.rows() && oneHot; r++) {
      oneHot = oneHotClass(targets, r) >= 0;
    }
    task = oneHot ? ReportData.Task.CLASSIFICATION : ReportData.Task.REGRESSION;
  }

  /** Counts one classification row (a row whose target is not one-hot only as such). */
  private void classify(
      FloatMatrix targets, FloatMatrix predictions, int r, Tally epoch, Tally partition) {
    int t = targets.cols() == width ? oneHotClass(targets, r) : -1;
    if (t < 0) {
      notOneHot++;
      return;
    }
    int p = argMax(predictions, r);
    boolean hit = p == t;
    for (Tally tally : new Tally[] {epoch, partition}) {
      if (tally != null) {
        tally.classified++;
        tally.correct += hit ? 1 : 0;
        if (tally.confusion != null && p < width) {
          tally.confusion[t][p]++;
        }
      }
    }
  }

  /** {@code -ln p[t]}, with p floored at {@link #PROBABILITY_FLOOR} (NaN stays NaN). */
  static double crossEntropy(FloatMatrix predictions, int r, int t) {
    double p = t < predictions.cols() ? predictions.get(r, t) : 0;
    return Double.isNaN(p) ? Double.NaN : -Math.log(Math.max(p, PROBABILITY_FLOOR));
  }

  /** Counts one regression row; returns its squared error summed over the outputs. */
  private double regress(
      FloatMatrix targets,
      FloatMatrix predictions,
      int r,
      BatchKey k,
      Tally epoch,
      Tally partition) {
    int cols = Math.min(targets.cols(), predictions.cols());
    boolean training = k.phase() == Phase.TRAIN;
    double sum = 0;
    for (int c = 0; c < cols; c++) {
      float target = targets.get(r, c);
      float prediction = predictions.get(r, c);
      double e = (double) prediction - target;
      sum += e * e;
      if (training) {
        errors.add(k.epoch(), e);
        if (k.epoch() == firstTrainEpoch) {
          firstSample.add(c, target, prediction);
        }
        if (k.epoch() == lastTrainEpoch && lastTrainEpoch != firstTrainEpoch) {
          lastSample.add(c, target, prediction);
        }
      }
    }
    for (Tally tally : new Tally[] {epoch, partition}) {
      if (tally != null) {
        tally.squaredErrors += sum;
        tally.values += cols;
      }
    }
    return sum;
  }

  /** The column holding the single 1 of a one-hot row, or -1. */
  static int oneHotClass(FloatMatrix m, int r) {
    int hot = -1;
    for (int c = 0; c < m.cols(); c++) {
      float v = m.get(r, c);
      if (v == 1f) {
        if (hot >= 0) {
          return -1;
        }
        hot = c;
      } else if (v != 0f) {
        return -1;
      }
    }
    return hot;
  }

  /** The column of the largest value of a row (the first one on ties; NaN never wins). */
  static int argMax(FloatMatrix m, int r) {
    int best = 0;
    for (int c = 1; c < m.cols(); c++) {
      if (m.get(r, c) > m.get(r, best)) {
        best = c;
      }
    }
    return best;
  }

  ReportData.Task task() {
    return task == null ? ReportData.Task.UNKNOWN : task;
  }

  int width() {
    return width;
  }

  long notOneHotRows() {
    return notOneHot;
  }

  long rows() {
    return rows;
  }

  long batches() {
    return batches;
  }

  /** The largest sample id seen, or -1. */
  long maxSampleId() {
    return maxSampleId;
  }

  List<ReportData.Line> lossPerStep() {
    List<ReportData.Line> out = new ArrayList<>();
    lines.forEach((p, s) -> out.add(new ReportData.Line("partition " + p, s.points())));
    return out;
  }

  long stepsPerPoint() {
    return lines.values().stream().mapToLong(BucketedSeries::bucketWidth).max().orElse(1);
  }

  /**
   * The averaged score of every training round, at the step after the round's last minibatch (a
   * round without recorded batches is placed one step after the previous round).
   */
  ReportData.Line roundScores() {
    BucketedSeries line = new BucketedSeries(POINTS_PER_LINE);
    long previous = 0;
    for (EpochCommit c : commits) {
      if (c.phase() != Phase.TRAIN) {
        continue;
      }
      for (RoundStart r : c.rounds()) {
        long step = roundEndStep.getOrDefault(((long) c.epoch() << 32) | r.round(), previous + 1);
        line.add(step, r.score());
        previous = step;
      }
    }
    return new ReportData.Line("averaged score after each round", line.points());
  }

  List<ReportData.EpochStats> epochs() {
    List<ReportData.EpochStats> out = new ArrayList<>();
    for (EpochCommit c : commits) {
      if (c.phase() == Phase.TRAIN) {
        Tally t = train.getOrDefault(c.epoch(), new Tally());
        double averaged =
            c.rounds().isEmpty() ? Double.NaN : c.rounds().get(c.rounds().size() - 1).score();
        out.add(stats(c.epoch(), t, averaged));
      }
    }
    return out;
  }

  List<ReportData.EpochStats> validation() {
    List<ReportData.EpochStats> out = new ArrayList<>();
    validation.forEach((epoch, t) -> out.add(stats(epoch, t, Double.NaN)));
    return out;
  }

  private ReportData.EpochStats stats(int epoch, Tally t, double averaged) {
    boolean classification = task == ReportData.Task.CLASSIFICATION;
    return new ReportData.EpochStats(
        epoch,
        t.rows,
        t.batches,
        t.meanScore(),
        averaged,
        t.classified,
        t.correct,
        classification ? t.accuracy() : Double.NaN,
        classification ? Double.NaN : t.mse(),
        t.confusion);
  }

  List<ReportData.PartitionStats> partitions() {
    boolean classification = task == ReportData.Task.CLASSIFICATION;
    List<ReportData.PartitionStats> out = new ArrayList<>();
    partitions.forEach(
        (key, t) ->
            out.add(
                new ReportData.PartitionStats(
                    (int) (key >> 32),
                    (int) (key & 0xffffffffL),
                    t.rows,
                    t.meanScore(),
                    classification ? t.accuracy() : Double.NaN,
                    classification ? Double.NaN : t.mse())));
    return out;
  }

  ReportData.ErrorHistograms errors() {
    return errors.result();
  }

  List<ReportData.Sample> samples() {
    List<ReportData.Sample> out = new ArrayList<>();
    if (firstSample.seen() > 0) {
      out.add(firstSample.result(firstTrainEpoch));
    }
    if (lastSample.seen() > 0) {
      out.add(lastSample.result(lastTrainEpoch));
    }
    return out;
  }

  ReportData.TopExamples top() {
    String kind;
    if (computedLossRows == 0 && recordedLossRows > 0) {
      kind = "loss column (recorded per example by the output layer's loss function)";
    } else if (task == ReportData.Task.CLASSIFICATION) {
      kind =
          "cross-entropy -ln p[target class], computed from target and prediction"
              + " (p floored at 1e-10)";
    } else {
      kind = "squared error summed over the outputs, computed from target and prediction";
    }
    if (computedLossRows > 0 && recordedLossRows > 0) {
      kind = "mixed: loss column where recorded, else " + kind;
    }
    return new ReportData.TopExamples(lastTrainEpoch, kind, top.result());
  }
}
