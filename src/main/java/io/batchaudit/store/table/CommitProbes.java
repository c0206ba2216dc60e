package io.batchaudit.store.table;

import io.batchaudit.internal.TestSwitches;
import io.batchaudit.store.Phase;

/**
 * The test-only hook into the commit protocol: a probe called at every {@link CommitStep}.
 *
 * <p>No production caller passes or sees anything: {@link AuditTable} and {@link Compactor} call
 * {@link #reached} at each step, which does nothing unless a test installed a probe. Installing one
 * is refused outside the project's tests ({@link TestSwitches}). Runs on the driver; one probe per
 * JVM at a time, called from whichever driver thread reaches the step (training's compaction runs
 * on a thread of its own).
 */
public final class CommitProbes {
  /** What a test does at a step: halt the JVM, rename a folder, record the state it sees. */
  @FunctionalInterface
  public interface Probe {
    /**
     * @param phase the epoch's phase ({@code null} for {@link CommitStep#EPOCHS_LISTED})
     * @param epoch the epoch (-1 for {@link CommitStep#EPOCHS_LISTED})
     */
    void reached(CommitStep step, Phase phase, int epoch);
  }

  /** Uninstalls the probe it was returned for. */
  public interface Installed extends AutoCloseable {
    @Override
    void close();
  }

  private static volatile Probe probe;

  private CommitProbes() {}

  /**
   * Installs {@code p} until the returned handle is closed.
   *
   * @throws IllegalArgumentException outside the project's tests
   * @throws IllegalStateException if another probe is installed
   */
  public static synchronized Installed install(Probe p) {
    TestSwitches.requireEnabled("A commit probe");
    if (probe != null) {
      throw new IllegalStateException("A commit probe is installed already");
    }
    probe = p;
    return () -> {
      synchronized (CommitProbes.class) {
        if (probe == p) {
          probe = null;
        }
      }
    };
  }

  static void reached(CommitStep step, Phase phase, int epoch) {
    Probe p = probe;
    if (p != null) {
      p.reached(step, phase, epoch);
    }
  }
}
