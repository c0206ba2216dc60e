package io.batchaudit.read;

import io.batchaudit.internal.AuditLogException;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.BatchKey;
import io.batchaudit.store.CommittedFile;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.FloatMatrix;
import io.batchaudit.store.Phase;
import io.batchaudit.store.ValueColumn;
import io.batchaudit.store.table.RunInfo;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Checks a committed audit log: every planned epoch committed, every batch present exactly once,
 * keys consistent with the run's configuration and with each other, every target equal to the
 * source label of its sample id, and the audit folder, as plain readers see it, holding exactly the
 * committed log.
 *
 * <p>Every committed file is checked against its manifest entry (exists, length, SHA-256, footer,
 * rows); damaged files are reported as file problems and left out of the rest, whose batches then
 * show up as missing. An epoch as training committed it is checked by the reader's workers from the
 * same read of each file that decodes it ({@code AuditLog.checkedBatches}: one read and one footer
 * per file); a compacted epoch's files are checked ahead of the stream on worker threads of the
 * caller's JVM (one per core, at most 4, ended when the call returns). The log is streamed an
 * (epoch, phase) at a time: memory holds one averaging round of batches (and the bytes of the files
 * being decoded) plus one bit per source example and per-partition counters of the current epoch.
 * Then the audit folder is listed and compared with the manifests ({@link TableScan}). The report
 * is the one of a sequential run in that order (checks, folder, stream): the same problems and
 * warnings in the same order. Problems are collected, never thrown; of each {@link ProblemKind}
 * only the first {@link ProblemKind#cap()} are formatted and kept, all are counted.
 */
public final class Verifier {
  /**
   * Threads that check the files of compacted epochs, and those a failed stream did not reach (one
   * per core, at most 4), as many as the reader's.
   */
  private static final int CHECK_THREADS =
      Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  /** Daemon threads: a caller that abandons a verification does not keep the JVM alive. */
  private static final ThreadFactory CHECK_THREAD_FACTORY =
      new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
          Thread t = new Thread(r, "audit-verify-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        }
      };

  /** Absent sample ids named in the message of a validation epoch that lacks examples. */
  private static final int MAX_ABSENT_IDS = 20;

  private Verifier() {}

  /**
   * Verifies {@code log}; {@code labels} may be {@code null} to skip the comparison with the
   * source. Validation batches, if any, are checked without labels.
   */
  public static VerificationReport verify(AuditLog log, LabelSource labels) {
    return verify(log, labels, null);
  }

  /**
   * Verifies {@code log}: training batches against {@code train}, validation batches against {@code
   * validation}; either may be {@code null} to skip that comparison. With validation labels, every
   * validation epoch must hold every validation example exactly once.
   */
  public static VerificationReport verify(AuditLog log, LabelSource train, LabelSource validation) {
    return new Run(log, train, validation).run();
  }

  /**
   * Where a batch sits within its (epoch, phase): the gap checks look for missing batch indices per
   * (round, partition). Ordered by round, then partition, as the messages list them.
   */
  private record RoundPartition(int round, int partition) implements Comparable<RoundPartition> {
    private static final Comparator<RoundPartition> ORDER =
        Comparator.comparingInt(RoundPartition::round).thenComparingInt(RoundPartition::partition);

    @Override
    public int compareTo(RoundPartition other) {
      return ORDER.compare(this, other);
    }
  }

  /** A file check's result; its unchecked exceptions and errors propagate as they are. */
  private static String result(Future<String> check) {
    try {
      return check.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking committed files", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static final class Run {
    private final AuditLog log;
    private final LabelSource trainLabels;
    private final LabelSource validationLabels;
    private LabelSource labels; // of the current phase
    private final RunInfo info;
    private final Map<ProblemKind, ProblemList> found = new EnumMap<>(ProblemKind.class);
    private long batches;
    private long rows;
    private float[] label;

    // state of the current (epoch, phase)
    private int epoch = -1;
    private Phase phase;
    private BitSet seenSamples = new BitSet();
    private final Map<RoundPartition, TreeSet<Integer>> batchesByRoundPartition = new TreeMap<>();
    private final Map<Integer, Long> firstStepOfRound = new HashMap<>();
    private int firstRound; // of the current training epoch: the base of the step counter
    private long firstRoundStep;
    private BatchKey previous;
    private final List<String> warnings = new ArrayList<>();

    Run(AuditLog log, LabelSource train, LabelSource validation) {
      this.log = log;
      this.trainLabels = train;
      this.validationLabels = validation;
      this.info = log.run();
      for (ProblemKind kind : ProblemKind.values()) {
        found.put(kind, new ProblemList(kind));
      }
    }

    /** Counts a problem of {@code kind}; {@code message} is called only if it is kept. */
    private void problem(ProblemKind kind, Supplier<String> message) {
      found.get(kind).add(message);
    }

    /** Counts a problem of {@code kind} whose message is already formatted. */
    private void problem(ProblemKind kind, String message) {
      found.get(kind).add(message);
    }

    VerificationReport run() {
      List<Integer> committed = log.committedEpochs(Phase.TRAIN);
      for (int e = 0; e < info.plannedEpochs(); e++) {
        if (!committed.contains(e)) {
          problem(
              ProblemKind.INCOMPLETE_EPOCHS,
              String.format(
                  "epoch %d (train) was never committed: incomplete (the run planned %d epochs;"
                      + " committed: %s)",
                  e, info.plannedEpochs(), committed));
        }
      }
      if (info.validationSource() != null) {
        List<Integer> validated = log.committedEpochs(Phase.VALIDATION);
        for (int e = 0; e < info.plannedEpochs(); e++) {
          if (!validated.contains(e)) {
            problem(
                ProblemKind.INCOMPLETE_EPOCHS,
                String.format(
                    "epoch %d (validation) was never committed: incomplete (the run validates"
                        + " every epoch on %s; committed: %s)",
                    e, info.validationSource(), validated));
          }
        }
      }
      // Every file is checked (length, SHA-256 of every byte, footer rows) and damaged files are
      // left out of the stream. An epoch as training committed it is read once: the reader's
      // workers hash each file's bytes and decode them from the same read (one footer each). A
      // compacted epoch's files are checked on this class's workers ahead of the stream, which
      // then reads them. Problems are recorded in the order of a sequential run: file problems in
      // manifest order, epoch after epoch, then the stream's failure, if any (after which no batch
      // is read, but every file is still checked); the folder's scan, which needs every check,
      // after the stream, its warnings first.
      java.util.Set<String> damaged = new java.util.HashSet<>();
      List<String> scanWarnings = new ArrayList<>();
      String streamFailure = null;
      ExecutorService pool = Executors.newFixedThreadPool(CHECK_THREADS, CHECK_THREAD_FACTORY);
      try {
        Map<EpochCommit, List<Future<String>>> checks = new java.util.LinkedHashMap<>();
        for (EpochCommit c : log.commits()) {
          if (c.sorted()) {
            checks.put(c, submitChecks(pool, c, c.files()));
          }
        }
        for (EpochCommit c : log.commits()) {
          if (!c.sorted() && streamFailure == null) {
            // one read per file: checked and decoded together; told in the read's order
            Map<String, String> told = new HashMap<>();
            try (Stream<AuditBatch> stream =
                log.checkedBatches(
                    c, EnumSet.of(ValueColumn.TARGETS), (f, p) -> told.put(f.path(), p))) {
              Iterator<AuditBatch> it = stream.iterator();
              while (it.hasNext()) {
                check(it.next());
              }
            } catch (AuditLogException x) {
              streamFailure = x.getMessage();
            }
            // the files the read did not reach (it failed first) are checked alone
            List<CommittedFile> rest =
                c.files().stream().filter(f -> !told.containsKey(f.path())).toList();
            Iterator<Future<String>> restChecks = submitChecks(pool, c, rest).iterator();
            for (CommittedFile f : c.files()) {
              String problem =
                  told.containsKey(f.path()) ? told.get(f.path()) : result(restChecks.next());
              fileProblem(f, problem, damaged);
            }
            continue;
          }
          List<Future<String>> fileChecks =
              c.sorted() ? checks.get(c) : submitChecks(pool, c, c.files());
          for (int i = 0; i < c.files().size(); i++) {
            fileProblem(c.files().get(i), result(fileChecks.get(i)), damaged);
          }
          if (streamFailure != null) {
            continue; // as a single stream would: nothing after its failure is read
          }
          // keys, sample ids and targets: the predictions and optional columns are not read
          try (Stream<AuditBatch> stream =
              log.batches(c, f -> !damaged.contains(f.path()), EnumSet.of(ValueColumn.TARGETS))) {
            Iterator<AuditBatch> it = stream.iterator();
            while (it.hasNext()) {
              check(it.next());
            }
          } catch (AuditLogException x) {
            streamFailure = x.getMessage();
          }
        }
      } finally {
        pool.shutdownNow();
      }
      if (streamFailure != null) {
        problem(ProblemKind.FILE_PROBLEMS, streamFailure);
      }
      TableScan.scan(log, damaged, found.get(ProblemKind.TABLE_PROBLEMS), scanWarnings);
      warnings.addAll(0, scanWarnings);
      finishEpoch();
      return VerificationReport.of(
          log.commits().size(), batches, rows, found, trainLabels != null, warnings);
    }

    /** The checks of {@code files} of {@code c}, started on {@code pool}, in their order. */
    private List<Future<String>> submitChecks(
        ExecutorService pool, EpochCommit c, List<CommittedFile> files) {
      List<Future<String>> out = new ArrayList<>();
      for (CommittedFile f : files) {
        out.add(pool.submit(() -> log.check(c, f)));
      }
      return out;
    }

    /** Records a file check's problem, if any, and the file as damaged. */
    private void fileProblem(CommittedFile f, String problem, java.util.Set<String> damaged) {
      if (problem != null) {
        problem(ProblemKind.FILE_PROBLEMS, problem);
        damaged.add(f.path());
      }
    }

    private void check(AuditBatch b) {
      BatchKey k = b.key();
      if (k.epoch() != epoch || k.phase() != phase) {
        finishEpoch();
        epoch = k.epoch();
        phase = k.phase();
        seenSamples = new BitSet();
        labels = phase == Phase.TRAIN ? trainLabels : validationLabels;
        label = labels == null ? null : new float[labels.width()];
      }
      batches++;
      rows += b.size();
      BatchKey before = previous;
      if (before != null && before.equals(k)) {
        problem(
            ProblemKind.DUPLICATE_BATCHES,
            () ->
                String.format(
                    "batch %s is recorded twice (task attempts %d and another)",
                    k, b.taskAttemptId()));
      } else if (before != null && before.compareTo(k) > 0) {
        problem(
            ProblemKind.KEY_PROBLEMS,
            () -> "batch " + k + " comes after " + before + ": not in training order");
      }
      previous = k;
      batchesByRoundPartition
          .computeIfAbsent(new RoundPartition(k.round(), k.partition()), x -> new TreeSet<>())
          .add(k.batch());
      checkKeys(b);
      checkRows(b);
    }

    private void checkKeys(AuditBatch b) {
      BatchKey k = b.key();
      if (!b.runId().equals(info.runId())) {
        problem(
            ProblemKind.KEY_PROBLEMS,
            () ->
                String.format(
                    "batch %s has run id %s, the log's run is %s", k, b.runId(), info.runId()));
      }
      if (b.size() < 1 || b.size() > info.batchSize()) {
        problem(
            ProblemKind.KEY_PROBLEMS,
            () ->
                String.format(
                    "batch %s has %d rows; batch-size is %d", k, b.size(), info.batchSize()));
      }
      if (k.phase() == Phase.VALIDATION && k.round() != 0) {
        problem(
            ProblemKind.KEY_PROBLEMS,
            () -> String.format("validation batch %s has round %d; expected 0", k, k.round()));
      }
      if (k.phase() == Phase.TRAIN) {
        int frequency = info.averagingFrequency();
        if (k.batch() >= frequency) {
          problem(
              ProblemKind.KEY_PROBLEMS,
              () ->
                  String.format(
                      "batch %s has batch index %d; averaging-frequency is %d",
                      k, k.batch(), frequency));
        }
        if (k.partition() >= info.workers()) {
          problem(
              ProblemKind.KEY_PROBLEMS,
              () ->
                  String.format(
                      "batch %s has partition %d; the run had %d workers",
                      k, k.partition(), info.workers()));
        }
        checkStep(b, frequency);
      }
    }

    /**
     * DL4J's step counter: every worker of a round starts from the master's iteration count, takes
     * one step per minibatch, and the master advances its count by averaging-frequency after each
     * round (for both network kinds, see AuditingTrainingMaster.processResults). So within one
     * training epoch the step of batch b of round r is the first round's start plus (r - first) x
     * averaging-frequency plus b. Across epochs no rule is checked (a rerun may resume a model).
     */
    private void checkStep(AuditBatch b, int frequency) {
      BatchKey k = b.key();
      long start = b.step() - k.batch();
      if (firstStepOfRound.isEmpty()) {
        firstRound = k.round();
        firstRoundStep = start;
      }
      Long first = firstStepOfRound.get(k.round());
      if (first != null) {
        if (first != start) {
          long expected = first + k.batch();
          problem(
              ProblemKind.KEY_PROBLEMS,
              () ->
                  String.format(
                      "batch %s has step %d; other batches of round %d imply step %d",
                      k, b.step(), k.round(), expected));
        }
        return;
      }
      firstStepOfRound.put(k.round(), start);
      long expectedStart = firstRoundStep + (long) (k.round() - firstRound) * frequency;
      if (start != expectedStart) {
        int base = firstRound;
        long baseStep = firstRoundStep;
        problem(
            ProblemKind.KEY_PROBLEMS,
            () ->
                String.format(
                    "batch %s has step %d; round %d started at step %d, so with"
                        + " averaging-frequency %d round %d starts at step %d and this batch is"
                        + " step %d",
                    k,
                    b.step(),
                    base,
                    baseStep,
                    frequency,
                    k.round(),
                    expectedStart,
                    expectedStart + k.batch()));
      }
    }

    private void checkRows(AuditBatch b) {
      FloatMatrix targets = b.targets();
      long[] ids = b.sampleIds();
      for (int r = 0; r < ids.length; r++) {
        long id = ids[r];
        long index = labels == null ? id : labels.indexOf(id);
        if (index >= 0 && index <= Integer.MAX_VALUE) {
          if (seenSamples.get((int) index)) {
            int row = r;
            problem(
                ProblemKind.DUPLICATE_BATCHES,
                () ->
                    String.format(
                        "sample id %d is %s twice in epoch %d (again in batch %s row %d)",
                        id,
                        b.key().phase() == Phase.TRAIN ? "trained" : "validated",
                        b.key().epoch(),
                        b.key(),
                        row));
          }
          seenSamples.set((int) index);
        }
        if (labels == null) {
          continue;
        }
        if (index < 0) {
          int row = r;
          problem(
              ProblemKind.LABEL_MISMATCHES,
              () ->
                  String.format(
                      "batch %s row %d: sample id %d is not in the source %s (%d examples)",
                      b.key(), row, id, labels.description(), labels.size()));
          continue;
        }
        if (targets.cols() != label.length) {
          int row = r;
          problem(
              ProblemKind.LABEL_MISMATCHES,
              () ->
                  String.format(
                      "batch %s row %d: target has %d values, source labels have %d",
                      b.key(), row, targets.cols(), label.length));
          continue;
        }
        labels.label(id, label);
        for (int j = 0; j < label.length; j++) {
          if (Float.compare(targets.get(r, j), label[j]) != 0) {
            int row = r;
            float[] source = label.clone(); // label is reused for the next row
            problem(
                ProblemKind.LABEL_MISMATCHES,
                () ->
                    String.format(
                        Locale.ROOT,
                        "batch %s row %d: sample id %d has target %s, source label %s",
                        b.key(),
                        row,
                        id,
                        java.util.Arrays.toString(targets.row(row)),
                        java.util.Arrays.toString(source)));
            break;
          }
        }
      }
    }

    /** Gap checks of the finished (epoch, phase): rounds and batch indices must be contiguous. */
    private void finishEpoch() {
      if (epoch < 0) {
        return;
      }
      if (phase == Phase.TRAIN && labels != null && seenSamples.cardinality() < labels.size()) {
        // not a problem: DL4J's own splitting drops these (see read.Coverage, training.coverage)
        warnings.add(
            Coverage.untrainedWarning(
                epoch, labels.size() - seenSamples.cardinality(), labels.size()));
      }
      if (phase == Phase.VALIDATION
          && labels != null
          && seenSamples.cardinality() < labels.size()) {
        List<Long> absent = new ArrayList<>();
        for (int i = seenSamples.nextClearBit(0);
            i < labels.size() && absent.size() < MAX_ABSENT_IDS;
            i = seenSamples.nextClearBit(i + 1)) {
          absent.add(labels.idAt(i));
        }
        problem(
            ProblemKind.MISSING_BATCHES,
            String.format(
                "validation epoch %d holds %d of the %d examples of %s; absent sample ids: %s%s",
                epoch,
                seenSamples.cardinality(),
                labels.size(),
                labels.description(),
                absent,
                labels.size() - seenSamples.cardinality() > absent.size() ? " ..." : ""));
      }
      int rounds =
          log.commits().stream()
              .filter(c -> c.epoch() == epoch && c.phase() == phase)
              .mapToInt(EpochCommit::roundCount)
              .findFirst()
              .orElse(0);
      TreeSet<Integer> roundsSeen = new TreeSet<>();
      for (Map.Entry<RoundPartition, TreeSet<Integer>> e : batchesByRoundPartition.entrySet()) {
        int round = e.getKey().round();
        int partition = e.getKey().partition();
        roundsSeen.add(round);
        TreeSet<Integer> got = e.getValue();
        for (int i = 0; i <= got.last(); i++) {
          if (!got.contains(i)) {
            int batch = i;
            problem(
                ProblemKind.MISSING_BATCHES,
                () ->
                    String.format(
                        "missing batch (%s epoch %d, round %d, batch %d, partition %d): batches %s"
                            + " present",
                        phase.label(), epoch, round, batch, partition, got));
          }
        }
      }
      for (int r = 0; r < rounds; r++) {
        if (!roundsSeen.contains(r)) {
          int round = r;
          problem(
              ProblemKind.MISSING_BATCHES,
              () ->
                  String.format(
                      "missing round (%s epoch %d, round %d): the manifest lists %d rounds, rounds"
                          + " %s have batches",
                      phase.label(), epoch, round, rounds, roundsSeen));
        }
      }
      batchesByRoundPartition.clear();
      firstStepOfRound.clear();
    }
  }
}
