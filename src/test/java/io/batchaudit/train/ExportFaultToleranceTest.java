package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Every fault of {@link FaultToleranceTest} injected into training with DL4J's Export approach: the
 * workers train minibatch files exported before the first round, a retried attempt reloads the same
 * files, and the log equals the fault-free Export run's.
 */
class ExportFaultToleranceTest extends FaultToleranceTest {
  @Override
  String approach() {
    return "export";
  }

  @Test
  void theseRunsTrainTheExportedFilesNotTheExamples() {
    // 2 partitions of 75 rows make 10 files of at most 8 each: 20 files, 2 workers x 2 files a
    // round, 5 rounds an epoch (Direct splits the 150 examples into 150 / 32 = 4)
    assertThat(clean.config()).containsEntry("rdd-approach", "export");
    assertThat(clean.roundsPerEpoch()).containsExactly(5, 5);
  }
}
