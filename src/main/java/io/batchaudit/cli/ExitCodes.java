package io.batchaudit.cli;

/** Exit codes of every command. */
public final class ExitCodes {
  /** Success; for verify: every check holds. */
  public static final int OK = 0;

  /** The command ran and found problems (verify). */
  public static final int PROBLEMS = 1;

  /** Bad input or usage: unknown option, invalid configuration value, missing folder. */
  public static final int BAD_INPUT = 2;

  /** Unexpected state: stored data contradicts itself (show on a damaged log). */
  public static final int UNEXPECTED_STATE = 3;

  /** Internal error: a bug or an environment failure; the stack trace is printed. */
  public static final int INTERNAL = 4;

  private ExitCodes() {}
}
