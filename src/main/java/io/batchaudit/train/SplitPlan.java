package io.batchaudit.train;

import java.util.Locale;

/**
 * How many examples of an epoch DL4J's parameter averaging trains with given settings, computed on
 * the driver from the counts alone, before training.
 *
 * <p>DL4J 1.0.0-M2, {@code RDDTrainingApproach.Direct} ({@code
 * ParameterAveragingTrainingMaster.executeTrainingDirect}, {@code SparkUtils.balancedRandomSplit},
 * {@code ExecuteWorkerFlatMap}): a round trains {@code workers x batch-size x averaging-frequency}
 * examples at most; an epoch is cut into {@code examples / thatMany} splits (integer division; one
 * split when the data is no larger), every example going to one split at random; each split is
 * repartitioned over the workers, each worker getting at least {@code batch-size x
 * averaging-frequency} of a split larger than a round, and a worker trains at most {@code
 * averaging-frequency} minibatches of its part. What is left of a split is not trained in that
 * epoch, and DL4J says nothing about it. So at most {@code splits x workers x batch-size x
 * averaging-frequency} examples are trained per epoch (exactly that many when every random split
 * holds at least a round's worth, which is the usual case; fewer otherwise).
 *
 * <p>{@code RDDTrainingApproach.Export} ({@code executeTrainingPathsHelper}, {@code
 * getNumDataSetObjectsPerSplit(batch-size)}, {@code doIterationPaths}): what DL4J splits are the
 * exported minibatch files, each partition of the training RDD making {@code ceil(its examples /
 * batch-size)} of them; a round takes {@code workers x averaging-frequency} files, so an epoch is
 * cut into {@code files / thatMany} splits (one when there are no more), and a worker again trains
 * at most {@code averaging-frequency} minibatches of {@code batch-size} from its files. The bound
 * is the same product, with the split count of the files.
 *
 * <p>With {@code training.coverage=all} ({@link
 * io.batchaudit.capture.AuditingTrainingMaster#trainEveryExampleOnce}) every example is trained
 * once per epoch.
 *
 * @param examples examples of the training data
 * @param objects what DL4J splits: the examples (Direct) or the exported files (Export)
 * @param objectsPerRound how many of {@code objects} one round takes
 * @param workers DL4J's number of workers
 * @param batchSize examples per minibatch
 * @param averagingFrequency minibatches per worker and round
 * @param everyExample whether {@code training.coverage=all}
 */
record SplitPlan(
    long examples,
    long objects,
    long objectsPerRound,
    int workers,
    int batchSize,
    int averagingFrequency,
    boolean everyExample) {

  /** The Direct approach's plan. */
  SplitPlan(
      long examples, int workers, int batchSize, int averagingFrequency, boolean everyExample) {
    this(
        examples,
        examples,
        (long) workers * batchSize * averagingFrequency,
        workers,
        batchSize,
        averagingFrequency,
        everyExample);
  }

  static SplitPlan direct(
      long examples, int workers, int batchSize, int averagingFrequency, boolean everyExample) {
    return new SplitPlan(examples, workers, batchSize, averagingFrequency, everyExample);
  }

  /** The Export approach's plan, for {@code files} exported minibatch files. */
  static SplitPlan export(
      long examples,
      long files,
      int workers,
      int batchSize,
      int averagingFrequency,
      boolean everyExample) {
    return new SplitPlan(
        examples,
        files,
        (long) workers * averagingFrequency,
        workers,
        batchSize,
        averagingFrequency,
        everyExample);
  }

  /** Examples one averaging round trains at most. */
  long perRound() {
    return (long) workers * batchSize * averagingFrequency;
  }

  /** Rounds (splits) per epoch. */
  long rounds() {
    if (everyExample) {
      return Math.max(1, (objects + objectsPerRound - 1) / objectsPerRound);
    }
    return objects <= objectsPerRound ? 1 : objects / objectsPerRound;
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
    // the averaging frequency at which one round takes every object
    long perMinibatch = objectsPerRound / ((long) workers * averagingFrequency);
    long oneRound = (objects + workers * perMinibatch - 1) / (workers * perMinibatch);
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
