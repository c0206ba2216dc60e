package io.batchaudit.capture;

import io.batchaudit.store.Phase;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only fault injection, set through the configuration key {@code testing.fault-injection} and
 * empty (no effect) otherwise. It exists so that the fault-tolerance tests break the real code
 * paths from the outside, at chosen places, on local and standalone clusters alike.
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
 *   <li>{@code halt-before-commit:epoch=E}: the driver halts (exit code 99) after assembling epoch
 *       E in staging and before the rename that commits it (a driver crash).
 * </ul>
 *
 * <p>Serializable: it travels to the executors inside the capture settings.
 */
public final class FaultPlan implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final FaultPlan NONE = new FaultPlan(List.of());
  public static final int HALT_EXIT_CODE = 99;

  enum Kind {
    THROW("throw"),
    THROW_AFTER_SEAL("throw-after-seal"),
    SLEEP("sleep"),
    HALT_BEFORE_COMMIT("halt-before-commit");

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
            "unknown fault '"
                + kv[0].trim()
                + "': use throw, throw-after-seal, sleep or halt-before-commit");
      }
      Map<String, Long> filters = new HashMap<>();
      long millis = 0;
      if (kv.length == 2 && !kv[1].isBlank()) {
        for (String f : kv[1].split(",")) {
          String[] nv = f.trim().split("=", 2);
          String name = nv[0].trim();
          if (nv.length != 2 || !name.matches("phase|epoch|round|partition|batch|attempt|millis")) {
            throw new IllegalArgumentException(
                "cannot read '"
                    + f.trim()
                    + "': use phase=train|validation, or epoch=, round=, partition=, batch=,"
                    + " attempt= or millis= with a whole number");
          }
          long value;
          try {
            value =
                name.equals("phase")
                    ? Phase.fromLabel(nv[1].trim()).ordinal()
                    : Long.parseLong(nv[1].trim());
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
      if (kind != Kind.HALT_BEFORE_COMMIT) {
        filters.putIfAbsent("phase", (long) Phase.TRAIN.ordinal());
      }
      faults.add(new Fault(kind, Map.copyOf(filters), millis));
    }
    return new FaultPlan(faults);
  }

  public boolean isEmpty() {
    return faults.isEmpty();
  }

  private static Map<String, Long> where(
      Phase phase, int epoch, int round, int partition, int batch, int attempt) {
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
        (long) attempt);
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

  /** On the driver, after epoch {@code epoch} is assembled and before it is committed. */
  public void beforeCommit(int epoch) {
    for (Fault f : faults) {
      if (f.kind == Kind.HALT_BEFORE_COMMIT && f.matches(Map.of("epoch", (long) epoch))) {
        System.err.println("injected fault: driver halts before committing epoch " + epoch);
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
