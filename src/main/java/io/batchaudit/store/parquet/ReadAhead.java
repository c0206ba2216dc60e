package io.batchaudit.store.parquet;

import io.batchaudit.internal.AuditLogException;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs decoding tasks on a few worker threads ahead of one consumer, which takes their results in
 * the order the tasks were submitted: the order of the read never depends on which worker finishes
 * first. Bounded: at most {@link #MAX_TASKS} tasks and {@link #maxWeight} rows in flight (taken
 * results are the consumer's), but always one task, however heavy.
 *
 * <p>A task's failure is thrown to the consumer when it takes that task's result, not before: what
 * a sequential read would have delivered before the failure is delivered first. Not thread-safe:
 * one consumer thread submits and takes. Workers are daemon threads that end when idle, so a read
 * left unclosed holds no thread for long; {@link #close} cancels what is in flight.
 */
final class ReadAhead implements AutoCloseable {
  /** Tasks in flight at most. */
  static final int MAX_TASKS = 16;

  /** Worker threads: the cores, at most 4 (decoding is CPU-bound; the consumer needs one too). */
  static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private static final AtomicInteger POOLS = new AtomicInteger();

  private record Slot(Future<Object> result, long weight) {}

  private final long maxWeight;
  private final ArrayDeque<Slot> inFlight = new ArrayDeque<>();
  private ThreadPoolExecutor pool;
  private long weight;

  /**
   * @param maxWeight the rows in flight at most (beyond one task)
   */
  ReadAhead(long maxWeight) {
    this.maxWeight = maxWeight;
  }

  /** Whether a task of {@code taskWeight} rows may be submitted now. */
  boolean hasRoom(long taskWeight) {
    return inFlight.isEmpty() || (inFlight.size() < MAX_TASKS && weight + taskWeight <= maxWeight);
  }

  /** Starts {@code task}; its result is taken after those of every task submitted before it. */
  void submit(Callable<?> task, long taskWeight) {
    if (pool == null) {
      int id = POOLS.incrementAndGet();
      AtomicInteger threads = new AtomicInteger();
      ThreadFactory factory =
          r -> {
            Thread t = new Thread(r, "audit-read-" + id + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
          };
      pool =
          new ThreadPoolExecutor(
              THREADS, THREADS, 2, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
      pool.allowCoreThreadTimeOut(true);
    }
    @SuppressWarnings("unchecked")
    Callable<Object> t = (Callable<Object>) task;
    inFlight.add(new Slot(pool.submit(t), taskWeight));
    weight += taskWeight;
  }

  /**
   * The result of the oldest task in flight, waiting for it; its failure rethrown as it was thrown
   * (unchecked), or wrapped in an {@link AuditLogException}.
   */
  Object take() {
    Slot s = inFlight.remove();
    weight -= s.weight();
    try {
      return s.result().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new AuditLogException("Reading failed: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuditLogException("Interrupted while reading the audit log", e);
    } catch (CancellationException e) {
      throw new AuditLogException("The read was closed", e);
    }
  }

  /** Cancels the tasks in flight and lets the workers end. */
  @Override
  public void close() {
    for (Slot s : inFlight) {
      s.result().cancel(false);
    }
    inFlight.clear();
    weight = 0;
    if (pool != null) {
      pool.shutdown();
      pool = null;
    }
  }
}
