package io.batchaudit.read;

/**
 * One problem a verification found and kept.
 *
 * @param kind what kind of problem it is
 * @param message what is wrong and where, for people
 */
public record Problem(ProblemKind kind, String message) {
  public Problem {
    if (kind == null || message == null) {
      throw new IllegalArgumentException(
          "A problem needs a kind and a message, got " + kind + ": " + message);
    }
  }
}
