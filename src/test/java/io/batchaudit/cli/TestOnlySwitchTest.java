package io.batchaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchaudit.internal.TestSwitches;
import io.batchaudit.store.table.CommitProbes;
import io.batchaudit.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test-only switches never reach a real run: {@code testing.fault-injection} is refused, exit 2,
 * through each way a key is set, by the command line in a JVM started as a user starts it (without
 * the test harness's system property), and nothing is written.
 */
class TestOnlySwitchTest {
  private static final String FAULT = "halt:at=commit-assembled,epoch=0";
  private static final String MESSAGE =
      "error: Key testing.fault-injection (here '"
          + FAULT
          + "', from a --conf file, --set or spark.batchaudit.testing.fault-injection) is"
          + " test-only: it is honoured only in the project's tests (JVM system property"
          + " batch-audit.testing=true, set by the test harness), never in a real run; remove it"
          + " from the configuration";

  @TempDir Path tmp;

  private Processes.Result realRun(String name, List<String> jvmOptions, String... args) {
    List<String> cmd = Processes.realCli(args);
    cmd.addAll(1, jvmOptions);
    assertThat(cmd).noneMatch(a -> a.contains(TestSwitches.PROPERTY));
    return Processes.run(tmp.resolve(name + ".log"), 120, cmd);
  }

  private void assertRefusedAndNothingWritten(Processes.Result r, Path out) {
    assertThat(r.code()).as(r.output()).isEqualTo(2);
    assertThat(r.output().lines().filter(l -> l.startsWith("error: "))).containsExactly(MESSAGE);
    assertThat(out).doesNotExist();
  }

  @Test
  void aRealRunRefusesTheFaultSwitchGivenWithSet() {
    Path out = tmp.resolve("set");
    Processes.Result r =
        realRun(
            "set",
            List.of(),
            "train",
            "--out",
            out.toString(),
            "--set",
            "testing.fault-injection=" + FAULT);
    assertRefusedAndNothingWritten(r, out);
  }

  @Test
  void aRealRunRefusesTheFaultSwitchGivenInAConfigurationFile() throws Exception {
    Path out = tmp.resolve("file");
    Path conf = tmp.resolve("job.conf");
    Files.writeString(conf, "epochs = 1\ntesting.fault-injection = " + FAULT + "\n");
    Processes.Result r =
        realRun("file", List.of(), "train", "--conf", conf.toString(), "--out", out.toString());
    assertRefusedAndNothingWritten(r, out);
  }

  @Test
  void aRealRunRefusesTheFaultSwitchGivenAsASparkProperty() {
    Path out = tmp.resolve("spark");
    // spark-submit --conf spark.batchaudit.<key>=... reaches the driver as this system property
    Processes.Result r =
        realRun(
            "spark",
            new ArrayList<>(List.of("-Dspark.batchaudit.testing.fault-injection=" + FAULT)),
            "train",
            "--out",
            out.toString());
    assertRefusedAndNothingWritten(r, out);
  }

  @Test
  void commitProbesCannotBeInstalledOutsideTheTests() {
    String before = System.getProperty(TestSwitches.PROPERTY);
    System.clearProperty(TestSwitches.PROPERTY);
    try {
      assertThatThrownBy(() -> CommitProbes.install((step, phase, epoch) -> {}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("A commit probe is test-only:");
    } finally {
      System.setProperty(TestSwitches.PROPERTY, before);
    }
    // and under the tests it works
    try (CommitProbes.Installed p = CommitProbes.install((step, phase, epoch) -> {})) {
      assertThat(p).isNotNull();
    }
  }
}
