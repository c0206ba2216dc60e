package io.batchaudit.read;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link Verifier#verify}. {@code ok} holds when no problem of any kind was found
 * and no label mismatched.
 *
 * <p>Each list keeps the first {@link #MAX_MESSAGES} problems of its kind (the label mismatches the
 * first 20), in the order they were found; {@link #problemCounts} counts all of them.
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
    boolean labelsChecked) {

  /** Messages kept per kind of problem. */
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
  }

  /** The number of problems of the kind whose list is named {@code kind} (0 if none). */
  public long count(String kind) {
    return problemCounts.getOrDefault(kind, 0L);
  }
}
