package io.batchaudit.read;

import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.Phase;
import io.batchaudit.store.ValueColumn;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which source examples training saw how often, per epoch. DL4J's parameter averaging can skip
 * examples silently (a worker trains at most {@code averaging-frequency} minibatches per round and
 * drops the rest of its split); coverage makes that visible.
 *
 * <p>Streams the log, reading the keys and sample ids only (no value column); memory holds one byte
 * per source example.
 */
public final class Coverage {
  /** How many never-trained ids an epoch lists at most. */
  public static final int SAMPLE_LIMIT = 20;

  /**
   * Coverage of one epoch's phase.
   *
   * @param epoch 0-based epoch
   * @param sourceExamples examples in the source data
   * @param trainedOnce examples trained exactly once
   * @param neverTrained examples not trained at all
   * @param trainedMoreThanOnce examples trained two or more times
   * @param outsideSource rows whose sample id is not a source example
   * @param neverTrainedSample the smallest never-trained ids, at most {@link #SAMPLE_LIMIT}
   */
  public record EpochCoverage(
      int epoch,
      long sourceExamples,
      long trainedOnce,
      long neverTrained,
      long trainedMoreThanOnce,
      long outsideSource,
      List<Long> neverTrainedSample) {}

  private Coverage() {}

  /**
   * The finding that training epoch {@code epoch} left {@code untrained} of {@code examples} source
   * examples untrained, with the fix; the same text in {@code verify}, {@code coverage} and the
   * report. A warning, not a problem: DL4J's splitting does this by design.
   */
  public static String untrainedWarning(int epoch, long untrained, long examples) {
    return String.format(
        java.util.Locale.ROOT,
        "warning: training epoch %d never trained %d of the %d source examples (DL4J's parameter"
            + " averaging trains at most workers x batch-size x averaging-frequency examples per"
            + " round; training.coverage=all trains every example every epoch)",
        epoch,
        untrained,
        examples);
  }

  /** {@link #untrainedWarning} of every epoch of {@code epochs} that left examples untrained. */
  public static List<String> untrainedWarnings(List<EpochCoverage> epochs) {
    return epochs.stream()
        .filter(c -> c.neverTrained() > 0)
        .map(c -> untrainedWarning(c.epoch(), c.neverTrained(), c.sourceExamples()))
        .toList();
  }

  /**
   * Coverage of every committed training epoch of {@code log} over source examples with sample ids
   * {@code 0 .. sourceExamples-1}.
   */
  public static List<EpochCoverage> compute(AuditLog log, long sourceExamples) {
    return compute(
        log,
        Phase.TRAIN,
        new LabelSource() {
          @Override
          public long size() {
            return sourceExamples;
          }

          @Override
          public int width() {
            return 0;
          }

          @Override
          public void label(long sampleId, float[] out) {}

          @Override
          public String description() {
            return sourceExamples + " examples";
          }
        });
  }

  /**
   * Coverage of every committed epoch of one phase of {@code log} over the examples of {@code
   * source} (for the validation phase: how often each validation example was evaluated).
   */
  public static List<EpochCoverage> compute(AuditLog log, Phase phase, LabelSource source) {
    long sourceExamples = source.size();
    if (sourceExamples > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "Coverage counts up to "
              + (Integer.MAX_VALUE - 8)
              + " source examples, got "
              + sourceExamples);
    }
    List<EpochCoverage> out = new ArrayList<>();
    for (int epoch : log.committedEpochs(phase)) {
      byte[] counts = new byte[(int) sourceExamples];
      long outside = 0;
      try (Stream<AuditBatch> batches = log.batches(epoch, ValueColumn.NONE)) { // sample ids only
        Iterator<AuditBatch> it = batches.iterator();
        while (it.hasNext()) {
          AuditBatch b = it.next();
          if (b.key().phase() != phase) {
            continue;
          }
          for (long id : b.sampleIds()) {
            long index = source.indexOf(id);
            if (index < 0) {
              outside++;
            } else if (counts[(int) index] < 2) {
              counts[(int) index]++;
            }
          }
        }
      }
      long once = 0;
      long never = 0;
      long more = 0;
      List<Long> sample = new ArrayList<>();
      for (int i = 0; i < counts.length; i++) {
        switch (counts[i]) {
          case 0:
            never++;
            if (sample.size() < SAMPLE_LIMIT) {
              sample.add(source.idAt(i));
            }
            break;
          case 1:
            once++;
            break;
          default:
            more++;
        }
      }
      out.add(new EpochCoverage(epoch, sourceExamples, once, never, more, outside, sample));
    }
    return out;
  }
}
