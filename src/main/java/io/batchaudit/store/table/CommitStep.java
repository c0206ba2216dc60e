package io.batchaudit.store.table;

/**
 * The steps of the driver's side of the commit protocol, in the order they happen, and the one step
 * of its reader side that a test may race against. A {@link CommitProbes probe} installed by a test
 * is called when each is reached; that is how the fault tests halt a real driver at every step (and
 * how a test makes a compaction's rename fall between a reader's two listings).
 */
public enum CommitStep {
  /**
   * Epoch commit: the first staged file was moved into {@code <staging>/commit/...} (manifest form:
   * the accepted files are checked; nothing moves).
   */
  EPOCH_FILE_MOVED("commit-moving"),
  /**
   * Epoch commit: the folder holds every file and the manifest; the rename is next (manifest form:
   * the manifest is next).
   */
  EPOCH_ASSEMBLED("commit-assembled"),
  /**
   * Epoch commit: the commit point (the rename; manifest form: the manifest) is done; leftovers are
   * not deleted.
   */
  EPOCH_PUBLISHED("commit-published"),
  /**
   * Compaction: the next generation is written with its manifest in {@code <staging>/compact}
   * (manifest form: its files are in the epoch folder, its manifest is next).
   */
  GENERATION_WRITTEN("compact-written"),
  /**
   * Compaction: the old generation was renamed to {@code retired/}; the new one is not in place.
   * Never reached under the manifest form, which renames nothing.
   */
  GENERATION_RETIRED("compact-retired"),
  /**
   * Compaction: the new generation is in place (manifest form: its manifest is written); replaced
   * generations are not purged yet.
   */
  GENERATION_SWAPPED("compact-swapped"),
  /**
   * Reader: the epoch folders are listed and their manifests read; the retired generations are not
   * listed yet. Reached with epoch -1 and phase {@code null}.
   */
  EPOCHS_LISTED("read-listed");

  private final String label;

  CommitStep(String label) {
    this.label = label;
  }

  /** The name used in {@code testing.fault-injection} ({@code halt:at=<label>}). */
  public String label() {
    return label;
  }

  /** The step with this label; the error lists the labels. */
  public static CommitStep fromLabel(String label) {
    for (CommitStep s : values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    StringBuilder all = new StringBuilder();
    for (CommitStep s : values()) {
      all.append(all.length() == 0 ? "" : ", ").append(s.label);
    }
    throw new IllegalArgumentException("unknown step '" + label + "': use one of " + all);
  }
}
