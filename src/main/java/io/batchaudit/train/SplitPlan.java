package io.batchaudit.train;

import java.util.Locale;

/**
 * How many examples of an epoch DL4J's parameter averaging ({@code RDDTrainingApproach.Direct})
 * trains with given settings, computed on the driver from the counts alone, before training.
 *
 * <p>DL4J 1.0.0-M2 ({@code ParameterAveragingTrainingMaster.executeTrainingDirect}, {@code
 * SparkUtils.balancedRandomSplit}, {@code ExecuteWorkerFlatMap}): a round trains {@code workers x
 * batch-size x averaging-frequency} examples at most; an epoch is cut into {@code examples /
 * thatMany} splits (integer division; one split when the data is no larger), every example going to
 * one split at random; each split is repartitioned over the workers, each worker getting at least
 * {@code batch-size x averaging-frequency} of a split larger than a round, and a worker trains at
 * most {@code averaging-frequency} minibatches of its part. What is left of a split is not trained
 * in that epoch, and DL4J says nothing about it. So at most {@code splits x workers x batch-size x
 * averaging-frequency} examples are trained per epoch (exactly that many when every random split
 * holds at least a round's worth, which is the usual case; fewer otherwise). With {@code
 * training.coverage=all} ({@link
 * io.batchaudit.capture.AuditingTrainingMaster#trainEveryExampleOnce}) every example is trained
 * once per epoch.
 *
 * @param examples examples of the training data
 * @param workers DL4J's number of workers
 * @param batchSize examples per minibatch
 * @param averagingFrequency minibatches per worker and round
 * @param everyExample whether {@code training.coverage=all}
 */
record SplitPlan(
    long examples, int workers, int batchSize, int averagingFrequency, boolean everyExample) {

  /** Examples one averaging round trains at most. */
  long perRound() {
    return (long) workers * batchSize * averagingFrequency;
  }

  /** Rounds (splits) per epoch. */
  long rounds() {
    if (everyExample) {
      return Math.max(1, (examples + perRound() - 1) / perRound());
    }
    return examples <= perRound() ? 1 : examples / perRound();
  }

  /** Examples an epoch trains at most. */
  long trainedAtMost() {
    return everyExample ? examples : Math.min(examples, rounds() * perRound());
  }

  /** Examples of the data that no epoch trains, at least (0 when every example fits). */
  long neverTrained() {
    return examples - trainedAtMost();
  }

  /**
   * The one line that says examples will not be trained and which settings would train them all, or
   * {@code null} when every example is trained.
   */
  String warning() {
    if (neverTrained() == 0) {
      return null;
    }
    long oneRound = (examples + (long) workers * batchSize - 1) / ((long) workers * batchSize);
    return String.format(
        Locale.ROOT,
        "warning: DL4J will train at most %d of the %d examples per epoch (%d rounds x %d workers x"
            + " %d batches x %d examples): at least %d examples (%.1f %%) are left untrained every"
            + " epoch."
            + " To train every example every epoch: set training.coverage=all, or"
            + " averaging-frequency=%d (one round per epoch)",
        trainedAtMost(),
        examples,
        rounds(),
        workers,
        averagingFrequency,
        batchSize,
        neverTrained(),
        100.0 * neverTrained() / examples,
        oneRound);
  }
}
