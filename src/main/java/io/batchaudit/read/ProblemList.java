package io.batchaudit.read;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The problems of one kind found by a check: every one is counted, only the first {@link
 * ProblemKind#cap()} are formatted and kept, so that a systematic problem in a log of millions of
 * batches costs a counter, not millions of strings. Used by one thread.
 */
final class ProblemList {
  private final ProblemKind kind;
  private final List<String> kept = new ArrayList<>();
  private long count;

  ProblemList(ProblemKind kind) {
    this.kind = kind;
  }

  ProblemKind kind() {
    return kind;
  }

  /** Counts a problem; {@code message} is called only if the message is kept. */
  void add(Supplier<String> message) {
    count++;
    if (kept.size() < kind.cap()) {
      kept.add(message.get());
    }
  }

  void add(String message) {
    add(() -> message);
  }

  /** The first messages, in the order they were found. */
  List<String> messages() {
    return kept;
  }

  long count() {
    return count;
  }
}
