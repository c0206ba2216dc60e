package io.batchaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The collector {@code jobs/batch-audit} picks per command ({@code gc_flags} in {@code
 * jobs/lib.sh}): the serial collector for the commands that stream the log on the driver, the JVM's
 * own choice for the commands that run Spark, and nothing of its own once the user names a
 * collector in {@code BATCH_AUDIT_JAVA_OPTS}.
 */
class LauncherFlagsTest {
  private static String gcFlags(String command, String userOpts) throws Exception {
    Process p =
        new ProcessBuilder(
                "bash",
                "-c",
                "source jobs/lib.sh && gc_flags \"$1\" \"$2\"",
                "gc",
                command,
                userOpts)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"verify", "coverage", "show", "files"})
  void theCommandsThatStreamTheLogOnTheDriverGetTheSerialCollector(String command)
      throws Exception {
    assertThat(gcFlags(command, "-Xmx256m")).isEqualTo("-XX:+UseSerialGC");
  }

  @ParameterizedTest
  @ValueSource(strings = {"train", "report", "dynamics", "query", "compact", "vacuum", "bench", ""})
  void theOtherCommandsKeepTheJvmsChoice(String command) throws Exception {
    assertThat(gcFlags(command, "-Xmx256m")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"-XX:+UseG1GC", "-Xmx1g -XX:+UseParallelGC", "-XX:+UseZGC -Xmx2g"})
  void aCollectorTheUserNamesWins(String userOpts) throws Exception {
    assertThat(gcFlags("verify", userOpts)).isEmpty();
  }

  @Test
  void theLauncherPassesThePickBeforeTheUsersOptions() throws Exception {
    String launcher = Files.readString(Path.of("jobs/batch-audit"));
    assertThat(launcher)
        .contains("gc=\"$(gc_flags \"${1:-}\" \"${BATCH_AUDIT_JAVA_OPTS:-}\")\"")
        .contains("exec java $gc ${BATCH_AUDIT_JAVA_OPTS:-} ");
  }
}
