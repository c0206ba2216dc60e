package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.cli.CliRunner;
import io.batchaudit.testing.Processes;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ready job files run under spark-submit ({@code jobs/submit}, Spark's own SparkSubmit, a
 * driver JVM of its own) as they run locally; StandaloneClusterIT submits the graph job to a
 * standalone cluster.
 */
class JobSubmitIT {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"iris", "csv-classification", "regression"})
  void jobFileRunsUnderSparkSubmit(String job) throws Exception {
    Path out = tmp.resolve(job);
    Processes.Result r =
        Processes.run(
            tmp.resolve(job + ".log"),
            300,
            List.of(
                "bash",
                "jobs/submit",
                "--master",
                "local[2]",
                "--app-jar",
                Processes.projectJar(),
                "--train-conf",
                "jobs/" + job + ".conf",
                "--out",
                out.toString(),
                "--set",
                "epochs=2"));
    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.output()).contains("epoch 2/2 committed");
    CliRunner.Result verify = CliRunner.run("verify", out.resolve("audit").toString());
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
  }
}
