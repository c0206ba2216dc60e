package io.batchaudit.store.table;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Independent calls to the store made side by side (the markers an epoch's commit reads, the files
 * it deletes after its commit point): on an object store each is a request of its own, whose
 * latency, not its work, is what a commit of many files waits for. Runs on the driver, in a pool of
 * {@value #THREADS} daemon threads shared by the JVM.
 */
final class StoreCalls {
  static final int THREADS = 8;

  private static final ExecutorService POOL =
      Executors.newFixedThreadPool(
          THREADS,
          r -> {
            Thread t = new Thread(r, "batch-audit-store-call");
            t.setDaemon(true);
            return t;
          });

  private StoreCalls() {}

  /** One call to the store. */
  interface Call<T, R> {
    R apply(T input) throws IOException;
  }

  /**
   * {@code call} of every input, in parallel; the results in the order of the inputs. Returns once
   * every call has finished; the first failure (in input order) is thrown then, as the call threw
   * it.
   */
  static <T, R> List<R> map(List<T> inputs, Call<T, R> call) throws IOException {
    if (inputs.size() <= 1) {
      List<R> results = new ArrayList<>(inputs.size());
      for (T input : inputs) {
        results.add(call.apply(input));
      }
      return results;
    }
    List<Future<R>> futures = new ArrayList<>(inputs.size());
    for (T input : inputs) {
      futures.add(POOL.submit(() -> call.apply(input)));
    }
    List<R> results = new ArrayList<>(inputs.size());
    Throwable failure = null;
    for (Future<R> f : futures) {
      try {
        results.add(f.get());
      } catch (ExecutionException e) {
        failure = failure == null ? e.getCause() : failure;
      } catch (InterruptedException e) {
        futures.forEach(other -> other.cancel(true));
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("Interrupted while waiting for the store");
      }
    }
    if (failure instanceof IOException io) {
      throw io;
    }
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error err) {
      throw err;
    }
    return results;
  }
}
