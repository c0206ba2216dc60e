package io.batchaudit.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The run's background compactions: one driver thread beside training, running the compactions in
 * the order they were queued (epoch after epoch, in commit order), so that training does not wait
 * for them; the run waits for all of them ({@link #awaitAll}) before it reports done.
 *
 * <p>Owned by one run: {@link #close()} stops the thread from taking new work, and the run closes
 * it whatever throws (training, a commit, a compaction). Queued compactions still finish on the
 * (daemon) thread.
 */
final class Compactions implements AutoCloseable {
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "batch-audit-compactor");
            t.setDaemon(true);
            return t;
          });
  private final List<Future<?>> queued = new ArrayList<>();

  /** Queues {@code compaction} after those queued before. Called from the training thread. */
  void submit(Runnable compaction) {
    queued.add(thread.submit(compaction));
  }

  /**
   * Waits for every queued compaction, in queue order, and stops the thread.
   *
   * @throws RuntimeException the first failed compaction's exception
   */
  void awaitAll() {
    try {
      for (Future<?> f : queued) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for compaction", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("Compaction failed: " + e.getCause(), e.getCause());
    } finally {
      queued.clear();
      thread.shutdown();
    }
  }

  @Override
  public void close() {
    thread.shutdown();
  }
}
