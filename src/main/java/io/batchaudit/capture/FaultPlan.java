package io.batchaudit.capture;

import io.batchaudit.store.Phase;
import io.batchaudit.store.table.CommitProbes;
import io.batchaudit.store.table.CommitStep;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only fault injection, set through the configuration key {@code testing.fault-injection} and
 * empty (no effect) otherwise. It exists so that the fault-tolerance tests break the real code
 * paths from the outside, at chosen places, on local and standalone clusters alike. The key is
 * refused outside the project's tests ({@link io.batchaudit.internal.TestSwitches}).
 *
 * <p>Syntax: faults separated by {@code ;}, each {@code kind[:name=value,...]}; a filter not given
 * matches everything, except {@code phase}, which is {@code train} unless {@code phase=validation}
 * is given (then {@code round} is 0 and {@code batch} counts within the validation partition):
 *
 * <ul>
 *   <li>{@code throw:epoch=E,round=R,partition=P,batch=B,attempt=A}: the worker task throws before
 *       training minibatch B (a task failure in the middle of a round).
 *   <li>{@code throw-after-seal:...}: the task throws after sealing its staged file and writing the
 *       marker (a task that fails after it looked done).
 *   <li>{@code sleep:...,millis=N}: the task sleeps N ms before each matching minibatch (a
 *       straggler, for speculation, or a long epoch, for killing an executor mid-epoch).
 *   <li>{@code halt:at=STEP,epoch=E}: the driver halts (exit code 99) when the commit protocol
 *       reaches {@code STEP} for epoch E (a driver crash): {@code commit-moving}, {@code
 *       commit-assembled}, {@code commit-published}, {@code compact-written}, {@code
 *       compact-retired} or {@code compact-swapped} (see {@link CommitStep}; the driver installs
 *       the plan as its {@link CommitProbes probe}).
 * </ul>
 *
 * <p>Serializable: it travels to the executors inside the capture settings.
 */
public final class FaultPlan implements Serializable, CommitProbes.Probe {
  private static final long serialVersionUID = 1L;
  public static final FaultPlan NONE = new FaultPlan(List.of());
  public static final int HALT_EXIT_CODE = 99;

  enum Kind {
    THROW("throw"),
    THROW_AFTER_SEAL("throw-after-seal"),
    SLEEP("sleep"),
    HALT("halt");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  private record Fault(Kind kind, Map<String, Long> filters, long millis) implements Serializable {
    boolean matches(Map<String, Long> where) {
      for (Map.Entry<String, Long> f : filters.entrySet()) {
        Long actual = where.get(f.getKey());
        if (actual == null || !actual.equals(f.getValue())) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Fault> faults;

  private FaultPlan(List<Fault> faults) {
    this.faults = List.copyOf(faults);
  }

  /** Parses the value of {@code testing.fault-injection}; the empty string is {@link #NONE}. */
  public static FaultPlan parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return NONE;
    }
    List<Fault> faults = new ArrayList<>();
    for (String part : spec.split(";")) {
      String[] kv = part.trim().split(":", 2);
      Kind kind = null;
      for (Kind k : Kind.values()) {
        if (k.label.equals(kv[0].trim())) {
          kind = k;
        }
      }
      if (kind == null) {
        throw new IllegalArgumentException(
            "unknown fault '" + kv[0].trim() + "': use throw, throw-after-seal, sleep or halt");
      }
      Map<String, Long> filters = new HashMap<>();
      long millis = 0;
      if (kv.length == 2 && !kv[1].isBlank()) {
        for (String f : kv[1].split(",")) {
          String[] nv = f.trim().split("=", 2);
          String name = nv[0].trim();
          if (nv.length != 2
              || !name.matches(
                  "phase|at|epoch|round|partition|batch|attempt|stage-attempt|millis")) {
            throw new IllegalArgumentException(
                "cannot read '"
                    + f.trim()
                    + "': use phase=train|validation, at=<commit step>, or epoch=, round=,"
                    + " partition=, batch=, attempt=, stage-attempt= or millis= with a whole"
                    + " number");
          }
          long value;
          try {
            value =
                switch (name) {
                  case "phase" -> Phase.fromLabel(nv[1].trim()).ordinal();
                  case "at" -> CommitStep.fromLabel(nv[1].trim()).ordinal();
                  default -> Long.parseLong(nv[1].trim());
                };
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + f.trim() + "' needs a whole number");
          }
          if (name.equals("millis")) {
            millis = value;
          } else {
            filters.put(name, value);
          }
        }
      }
      filters.putIfAbsent("phase", (long) Phase.TRAIN.ordinal());
      if (kind == Kind.HALT && !filters.containsKey("at")) {
        throw new IllegalArgumentException(
            "halt needs the step to halt at, for example halt:at=commit-assembled,epoch=1");
      }
      faults.add(new Fault(kind, Map.copyOf(filters), millis));
    }
    return new FaultPlan(faults);
  }

  public boolean isEmpty() {
    return faults.isEmpty();
  }

  /**
   * Where a task is, as the filters name it. {@code attempt} is Spark's attempt number of the task
   * within its stage attempt; {@code stage-attempt} that stage attempt (a stage Spark runs again
   * after lost shuffle output starts its tasks' attempt numbers at 0 again, so a fault meant to
   * hold one attempt once says {@code stage-attempt=0}).
   */
  private static Map<String, Long> where(
      Phase phase, int epoch, int round, int partition, int batch, int attempt) {
    org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
    return Map.of(
        "phase",
        (long) phase.ordinal(),
        "epoch",
        (long) epoch,
        "round",
        (long) round,
        "partition",
        (long) partition,
        "batch",
        (long) batch,
        "attempt",
        (long) attempt,
        "stage-attempt",
        task == null ? 0L : (long) task.stageAttemptNumber());
  }

  /** On the executor, before a minibatch: throws or sleeps as planned. */
  void beforeBatch(Phase phase, int epoch, int round, int partition, int batch, int attempt) {
    if (faults.isEmpty()) {
      return; // every real run: nothing to build on the per-minibatch path
    }
    Map<String, Long> where = where(phase, epoch, round, partition, batch, attempt);
    for (Fault f : faults) {
      if (!f.matches(where)) {
        continue;
      }
      if (f.kind == Kind.SLEEP) {
        try {
          Thread.sleep(f.millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while sleeping for fault injection", e);
        }
      } else if (f.kind == Kind.THROW) {
        throw new InjectedFault(
            "injected fault: throw before minibatch "
                + where(phase, epoch, round, partition, batch, attempt));
      }
    }
  }

  /** On the executor, after the staged file is sealed and its marker written. */
  void afterSeal(Phase phase, int epoch, int round, int partition, int attempt) {
    if (faults.isEmpty()) {
      return;
    }
    Map<String, Long> where = new HashMap<>(where(phase, epoch, round, partition, 0, attempt));
    where.remove("batch");
    for (Fault f : faults) {
      if (f.kind == Kind.THROW_AFTER_SEAL && f.matches(where)) {
        throw new InjectedFault("injected fault: throw after seal " + where);
      }
    }
  }

  /** Whether the plan halts the driver somewhere, so that the job installs it as its probe. */
  public boolean haltsTheDriver() {
    return faults.stream().anyMatch(f -> f.kind == Kind.HALT);
  }

  /** On the driver, at every step of the commit protocol: halts there if planned. */
  @Override
  public void reached(CommitStep step, Phase phase, int epoch) {
    if (phase == null) {
      return; // reader-side steps are not driver crashes
    }
    Map<String, Long> where =
        Map.of("at", (long) step.ordinal(), "phase", (long) phase.ordinal(), "epoch", (long) epoch);
    for (Fault f : faults) {
      if (f.kind == Kind.HALT && f.matches(where)) {
        System.err.printf(
            "injected fault: driver halts at %s of %s epoch %d%n",
            step.label(), phase.label(), epoch);
        System.err.flush();
        Runtime.getRuntime().halt(HALT_EXIT_CODE);
      }
    }
  }

  /** The exception of an injected fault, so that logs tell it from a real one. */
  public static final class InjectedFault extends RuntimeException {
    InjectedFault(String message) {
      super(message);
    }
  }
}
