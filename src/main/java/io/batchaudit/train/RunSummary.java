package io.batchaudit.train;

import java.util.List;
import java.util.Map;

/**
 * What a finished training run wrote; also stored as JSON in the output folder, through {@link
 * io.batchaudit.store.table.RunSummaryFile}.
 *
 * @param runId the run id (also in every audit row)
 * @param output the output folder
 * @param model the saved model ({@code ModelSerializer} zip)
 * @param audit the audit folder, or {@code null} when the run was not audited
 * @param dataSource the data specification
 * @param epochs epochs trained
 * @param roundsPerEpoch averaging rounds of each epoch
 * @param examplesPerEpoch examples trained in each epoch (what DL4J's workers trained)
 * @param untrainedPerEpoch examples of the training data not trained in each epoch (data examples
 *     minus trained examples; DL4J trains an example at most once per epoch)
 * @param rowsPerEpoch audit rows (trained examples) of each epoch; empty when not audited
 * @param finalScore DL4J's averaged score after the last round
 * @param seconds wall-clock duration of the training loop
 * @param config every configuration key with its effective value
 */
public record RunSummary(
    String runId,
    String output,
    String model,
    String audit,
    String dataSource,
    int epochs,
    List<Integer> roundsPerEpoch,
    List<Long> examplesPerEpoch,
    List<Long> untrainedPerEpoch,
    List<Long> rowsPerEpoch,
    double finalScore,
    double seconds,
    Map<String, String> config) {}
