package io.batchaudit.read;

/**
 * The kinds of problem {@link Verifier} finds, in the order its report lists them. Each kind names
 * the {@link VerificationReport} component (and the {@code verify --json} field) that holds its
 * messages, and caps how many of them are formatted and kept; every problem is counted.
 */
public enum ProblemKind {
  /** Planned epochs that were never committed. */
  INCOMPLETE_EPOCHS("incompleteEpochs", VerificationReport.MAX_MESSAGES),
  /** Committed files that are missing, altered or unreadable. */
  FILE_PROBLEMS("fileProblems", VerificationReport.MAX_MESSAGES),
  /** Differences between the audit folder as plain readers read it and the committed log. */
  TABLE_PROBLEMS("tableProblems", VerificationReport.MAX_MESSAGES),
  /** Gaps in batch or round indices, validation examples an epoch does not hold. */
  MISSING_BATCHES("missingBatches", VerificationReport.MAX_MESSAGES),
  /** Batch keys recorded more than once, sample ids seen twice in an epoch. */
  DUPLICATE_BATCHES("duplicateBatches", VerificationReport.MAX_MESSAGES),
  /** Keys inconsistent with the run's configuration or with each other. */
  KEY_PROBLEMS("keyProblems", VerificationReport.MAX_MESSAGES),
  /**
   * Rows whose target differs from the source label (or whose sample id the source lacks). The
   * report counts them in {@code labelMismatches}, not in {@code problemCounts}.
   */
  LABEL_MISMATCHES("labelMismatchExamples", 20);

  private final String listName;
  private final int cap;

  ProblemKind(String listName, int cap) {
    this.listName = listName;
    this.cap = cap;
  }

  /** The name of the report component, and JSON field, that lists this kind's messages. */
  public String listName() {
    return listName;
  }

  /** How many messages of this kind a report keeps, the first ones found. */
  public int cap() {
    return cap;
  }
}
