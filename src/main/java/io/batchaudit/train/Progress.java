package io.batchaudit.train;

import io.batchaudit.capture.RoundResult;
import io.batchaudit.capture.ValidationPass;
import io.batchaudit.config.JobConfig;
import io.batchaudit.config.Keys;
import io.batchaudit.source.InputSpec;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.Phase;
import io.batchaudit.store.table.Compactor;
import java.io.PrintWriter;
import java.util.Locale;
import org.apache.hadoop.fs.Path;

/**
 * The progress lines of a training run, one method per line. Called from the driver's training
 * thread, and from the compaction thread for {@link #compacted}: {@code PrintWriter} writes each
 * line under its lock, so lines do not interleave.
 */
final class Progress {
  private final PrintWriter out;
  private final JobConfig config;
  private final InputSpec data;

  Progress(PrintWriter out, TrainingSettings settings) {
    this.out = out;
    this.config = settings.config();
    this.data = settings.data();
  }

  void runStarted(String runId, long examples, Path auditDir) {
    out.printf(
        Locale.ROOT,
        "batch-audit run %s: data %s (%d examples), %d workers, batch size %d, averaging every %d,"
            + " %d epochs, audit %s%n",
        runId,
        data,
        examples,
        config.get(Keys.WORKERS),
        config.get(Keys.BATCH_SIZE),
        config.get(Keys.AVERAGING_FREQUENCY),
        config.get(Keys.EPOCHS),
        config.get(Keys.AUDIT) ? "on -> " + auditDir : "off");
  }

  /** Before training: DL4J's splits will leave examples untrained (see {@link SplitPlan}). */
  void untrainedAhead(String warning) {
    out.println(warning);
  }

  void round(RoundResult r) {
    out.printf(
        Locale.ROOT,
        "epoch %d/%d round %d/%d: score %.4f, examples %d%s%n",
        r.epoch() + 1,
        config.get(Keys.EPOCHS),
        r.round() + 1,
        r.rounds(),
        r.score(),
        r.examples(),
        config.get(Keys.AUDIT) ? ", audit rows " + r.examples() + " (staged)" : "");
  }

  /** An audited epoch's training phase was committed. */
  void epochCommitted(
      int epoch, EpochCommit commit, long examples, long dataExamples, double score) {
    out.printf(
        Locale.ROOT,
        "epoch %d/%d committed: %d rounds, %d audit rows (%d of %d examples trained, %d never"
            + " trained), %d files, score %.4f%n",
        epoch + 1,
        config.get(Keys.EPOCHS),
        commit.roundCount(),
        commit.rows(),
        examples,
        dataExamples,
        dataExamples - examples,
        commit.files().size(),
        score);
  }

  /** An epoch of a run without audit log was trained. */
  void epochDone(int epoch, int rounds, long examples, long dataExamples, double score) {
    out.printf(
        Locale.ROOT,
        "epoch %d/%d done: %d rounds, %d of %d examples trained, %d never trained, score %.4f%n",
        epoch + 1,
        config.get(Keys.EPOCHS),
        rounds,
        examples,
        dataExamples,
        dataExamples - examples,
        score);
  }

  /** An epoch of a run without audit log was validated. */
  void validated(ValidationPass.Result v, boolean classification) {
    out.printf(
        Locale.ROOT,
        "epoch %d/%d validation: %d examples, score %.4f, %s%n",
        v.epoch() + 1,
        config.get(Keys.EPOCHS),
        v.examples(),
        v.meanLoss(),
        quality(v, classification));
  }

  /** An audited epoch's validation phase was committed. */
  void validationCommitted(ValidationPass.Result v, boolean classification, EpochCommit commit) {
    out.printf(
        Locale.ROOT,
        "epoch %d/%d validation committed: %d examples, score %.4f, %s, %d audit rows, %d files%n",
        v.epoch() + 1,
        config.get(Keys.EPOCHS),
        v.examples(),
        v.meanLoss(),
        quality(v, classification),
        commit.rows(),
        commit.files().size());
  }

  private static String quality(ValidationPass.Result v, boolean classification) {
    return classification
        ? String.format(Locale.ROOT, "accuracy %.4f", v.accuracy())
        : String.format(Locale.ROOT, "mse %.6f", v.mse());
  }

  /** Called from the compaction thread. */
  void compacted(Phase phase, int epoch, Compactor.Result c) {
    out.printf(
        Locale.ROOT,
        "epoch %d/%d %s compacted: %d files -> %d (%d bytes)%n",
        epoch + 1,
        config.get(Keys.EPOCHS),
        phase.label(),
        c.before().files().size(),
        c.after().files().size(),
        c.after().files().stream().mapToLong(f -> f.bytes()).sum());
  }

  void done(double seconds, double score, long rows, Path model, Path summary, Path auditDir) {
    out.printf(
        Locale.ROOT,
        "done in %.1f s: final score %.4f, %d audit rows; model %s, summary %s%s%n",
        seconds,
        score,
        rows,
        model,
        summary,
        config.get(Keys.AUDIT) ? ", audit log " + auditDir : "");
  }
}
