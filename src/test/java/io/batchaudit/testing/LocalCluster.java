package io.batchaudit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

/**
 * The project's standalone cluster ({@code jobs/local-cluster}: a master and two workers of one
 * core and 2 GiB each, executors in JVMs of their own), started and stopped with its script as a
 * user does. One per test class; the script's state folder is the project's, so classes that use it
 * run one after the other (failsafe runs them so).
 */
public final class LocalCluster {
  private LocalCluster() {}

  /** Stops a leftover cluster, starts one, and returns its master URL ({@code spark://...}). */
  public static String start(Path logDir) {
    Processes.run(logDir.resolve("stop0.log"), 60, List.of("bash", "jobs/local-cluster", "stop"));
    Processes.Result r =
        Processes.run(
            logDir.resolve("start.log"),
            180,
            List.of(
                "bash",
                "jobs/local-cluster",
                "start",
                "--workers",
                "2",
                "--cores",
                "1",
                "--memory",
                "2g"));
    assertThat(r.code()).as(r.output()).isZero();
    String master =
        Processes.run(
                logDir.resolve("status.log"), 30, List.of("bash", "jobs/local-cluster", "status"))
            .output()
            .lines()
            .findFirst()
            .orElseThrow();
    assertThat(master).matches("spark://127\\.0\\.0\\.1:\\d+");
    return master;
  }

  /** Stops the cluster with its script. */
  public static void stop(Path logDir) {
    Processes.run(logDir.resolve("stop.log"), 120, List.of("bash", "jobs/local-cluster", "stop"));
  }
}
