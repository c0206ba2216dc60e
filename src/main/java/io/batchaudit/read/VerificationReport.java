package io.batchaudit.read;

import java.util.List;

/**
 * The outcome of {@link Verifier#verify}. {@code ok} holds when no list below has an entry and no
 * label mismatched.
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
    boolean labelsChecked) {

  public VerificationReport {
    incompleteEpochs = List.copyOf(incompleteEpochs);
    missingBatches = List.copyOf(missingBatches);
    duplicateBatches = List.copyOf(duplicateBatches);
    labelMismatchExamples = List.copyOf(labelMismatchExamples);
    keyProblems = List.copyOf(keyProblems);
    fileProblems = List.copyOf(fileProblems);
  }
}
