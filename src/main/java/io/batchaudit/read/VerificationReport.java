package io.batchaudit.read;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link Verifier#verify}. {@code ok} holds when no problem of any kind was found
 * and no label mismatched.
 *
 * <p>Each list keeps the first {@link ProblemKind#cap()} problems of its kind ({@link
 * #MAX_MESSAGES}, the label mismatches 20), in the order they were found; {@link #problemCounts}
 * counts all of them. The components are the fields of {@code verify --json}; {@link #problems()},
 * {@link #messages(ProblemKind)} and {@link #count(ProblemKind)} read them by {@link ProblemKind}.
 *
 * @param ok whether everything checked holds
 * @param epochs committed epochs (all phases)
 * @param batches batches read
 * @param rows rows read
 * @param incompleteEpochs planned epochs that were never committed, as messages
 * @param missingBatches gaps in batch or round indices, as messages
 * @param duplicateBatches batch keys recorded more than once, as messages
 * @param labelMismatches number of rows whose target differs from the source label
 * @param labelMismatchExamples the first mismatches, as messages
 * @param keyProblems keys inconsistent with the run configuration or each other, as messages
 * @param fileProblems committed files that are missing, altered or unreadable, as messages
 * @param tableProblems differences between the audit folder as plain readers (Spark, DuckDB,
 *     pyarrow) read it and the committed log: files no manifest names, epoch folders without a
 *     manifest, folders that are not the log's, a row count of a plain glob that differs from the
 *     manifests'
 * @param problemCounts the number of problems of each kind, by the name of its list ({@code
 *     incompleteEpochs}, {@code fileProblems}, {@code tableProblems}, {@code missingBatches},
 *     {@code duplicateBatches}, {@code keyProblems}); larger than the list's size when it was
 *     capped
 * @param labelsChecked whether targets were compared with the source labels
 * @param warnings findings that are not problems ({@code ok} does not depend on them), in epoch
 *     order: training epochs that left source examples untrained (DL4J's parameter averaging drops
 *     what does not fit a round; {@code training.coverage=all} trains them)
 */
public record VerificationReport(
    boolean ok,
    int epochs,
    long batches,
    long rows,
    List<String> incompleteEpochs,
    List<String> missingBatches,
    List<String> duplicateBatches,
    long labelMismatches,
    List<String> labelMismatchExamples,
    List<String> keyProblems,
    List<String> fileProblems,
    List<String> tableProblems,
    Map<String, Long> problemCounts,
    boolean labelsChecked,
    List<String> warnings) {

  /** Messages kept per kind of problem, but for label mismatches ({@link ProblemKind#cap()}). */
  public static final int MAX_MESSAGES = 100;

  public VerificationReport {
    incompleteEpochs = List.copyOf(incompleteEpochs);
    missingBatches = List.copyOf(missingBatches);
    duplicateBatches = List.copyOf(duplicateBatches);
    labelMismatchExamples = List.copyOf(labelMismatchExamples);
    keyProblems = List.copyOf(keyProblems);
    fileProblems = List.copyOf(fileProblems);
    tableProblems = List.copyOf(tableProblems);
    problemCounts = Collections.unmodifiableMap(new LinkedHashMap<>(problemCounts));
    warnings = List.copyOf(warnings);
  }

  /**
   * The report of a verification that found {@code found}, one list per kind; {@code ok} holds when
   * every list counted nothing.
   */
  static VerificationReport of(
      int epochs,
      long batches,
      long rows,
      Map<ProblemKind, ProblemList> found,
      boolean labelsChecked,
      List<String> warnings) {
    Map<String, Long> counts = new LinkedHashMap<>();
    boolean ok = true;
    for (ProblemKind kind : ProblemKind.values()) {
      long n = found.get(kind).count();
      ok &= n == 0;
      if (kind != ProblemKind.LABEL_MISMATCHES) {
        counts.put(kind.listName(), n);
      }
    }
    return new VerificationReport(
        ok,
        epochs,
        batches,
        rows,
        found.get(ProblemKind.INCOMPLETE_EPOCHS).messages(),
        found.get(ProblemKind.MISSING_BATCHES).messages(),
        found.get(ProblemKind.DUPLICATE_BATCHES).messages(),
        found.get(ProblemKind.LABEL_MISMATCHES).count(),
        found.get(ProblemKind.LABEL_MISMATCHES).messages(),
        found.get(ProblemKind.KEY_PROBLEMS).messages(),
        found.get(ProblemKind.FILE_PROBLEMS).messages(),
        found.get(ProblemKind.TABLE_PROBLEMS).messages(),
        counts,
        labelsChecked,
        warnings);
  }

  /** The kept messages of {@code kind}, in the order they were found. */
  public List<String> messages(ProblemKind kind) {
    return switch (kind) {
      case INCOMPLETE_EPOCHS -> incompleteEpochs;
      case FILE_PROBLEMS -> fileProblems;
      case TABLE_PROBLEMS -> tableProblems;
      case MISSING_BATCHES -> missingBatches;
      case DUPLICATE_BATCHES -> duplicateBatches;
      case KEY_PROBLEMS -> keyProblems;
      case LABEL_MISMATCHES -> labelMismatchExamples;
    };
  }

  /**
   * The number of problems of {@code kind} found, kept or not: {@code labelMismatches} for label
   * mismatches, else its entry in {@code problemCounts}.
   */
  public long count(ProblemKind kind) {
    return kind == ProblemKind.LABEL_MISMATCHES
        ? labelMismatches
        : problemCounts.getOrDefault(kind.listName(), 0L);
  }

  /** The number of problems of the kind whose list is named {@code kind} (0 if none). */
  public long count(String kind) {
    return problemCounts.getOrDefault(kind, 0L);
  }

  /**
   * Every kept problem: kind by kind in {@link ProblemKind}'s order, each kind's in the order they
   * were found.
   */
  public List<Problem> problems() {
    List<Problem> all = new ArrayList<>();
    for (ProblemKind kind : ProblemKind.values()) {
      for (String message : messages(kind)) {
        all.add(new Problem(kind, message));
      }
    }
    return all;
  }
}
