package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.cli.CliRunner;
import io.batchaudit.read.AuditLog;
import io.batchaudit.testing.Processes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver that dies in the middle of a commit, in a JVM of its own ({@code local[2]}): what a
 * rerun into the folder does. The driver halted at every step of the protocol on the standalone
 * cluster is in {@link StandaloneClusterIT}.
 */
class DriverCrashIT {
  @TempDir Path tmp;

  private static long duckDbRows(Path audit) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT count(*), count(DISTINCT epoch) FROM read_parquet('"
                    + audit
                    + "/**/*.parquet', hive_partitioning = true)")) {
      r.next();
      assertThat(r.getLong(2)).isEqualTo(1);
      return r.getLong(1);
    }
  }

  @Test
  void aDriverKilledBeforeCommittingAnEpochLeavesTheCommittedStateAndARerunIsRefused()
      throws Exception {
    Path out = tmp.resolve("run");
    Path audit = out.resolve("audit");
    String[] train = {
      "train",
      "--out",
      out.toString(),
      "--set",
      "master=local[2]",
      "--set",
      "data=synthetic:rows=120,features=4,classes=3",
      "--set",
      "epochs=3"
    };
    // injected: the driver halts after assembling epoch 1 in staging, before the rename that
    // commits it
    String[] crashing =
        java.util.stream.Stream.concat(
                java.util.Arrays.stream(train),
                java.util.stream.Stream.of(
                    "--set", "testing.fault-injection=halt:at=commit-assembled,epoch=1"))
            .toArray(String[]::new);
    Processes.Result crashed =
        Processes.run(tmp.resolve("crash.log"), 300, Processes.cli(crashing));
    assertThat(crashed.code()).as(crashed.output()).isEqualTo(99);
    assertThat(crashed.output())
        .contains("epoch 1/3 committed")
        .contains("injected fault: driver halts at commit-assembled of train epoch 1")
        .doesNotContain("epoch 2/3 committed");

    // every reader sees the previous committed state: epoch 0 only
    AuditLog log = AuditLog.open(audit.toString(), new Configuration());
    assertThat(log.commits()).extracting(c -> c.epoch()).containsExactly(0);
    assertThat(duckDbRows(audit)).isEqualTo(log.rows());
    assertThat(out.resolve("audit-staging/commit/phase=train/epoch=1/_manifest.json")).exists();
    CliRunner.Result verify = CliRunner.run("verify", audit.toString());
    assertThat(verify.code()).isEqualTo(1);
    assertThat(verify.out())
        .contains(
            "epoch 1 (train) was never committed: incomplete (the run planned 3 epochs;"
                + " committed: [0])")
        .contains("epoch 2 (train) was never committed: incomplete");

    // a rerun into the same folder is refused, and says why and what to do
    CliRunner.Result rerun = CliRunner.run(train);
    assertThat(rerun.code()).isEqualTo(2);
    assertThat(rerun.err())
        .containsPattern(
            "error: Output folder file:"
                + java.util.regex.Pattern.quote(out.toString())
                + " holds run \\S+, which did not finish \\(committed epochs \\[0\\] of 3; did its"
                + " driver stop\\?\\)\\. A run is not resumed: its committed epochs stay readable"
                + " and 'batch-audit verify file:.*/audit' reports the others as incomplete\\."
                + " Pass --overwrite to replace it, or choose another --out");
    assertThat(AuditLog.open(audit.toString(), new Configuration()).rows()).isEqualTo(log.rows());

    // vacuum clears what the dead driver left in staging; the committed epoch stays
    CliRunner.Result vacuum = CliRunner.run("vacuum", audit.toString(), "--retention", "0s");
    assertThat(vacuum.code()).isZero();
    assertThat(vacuum.out())
        .contains("removed file:" + out.resolve("audit-staging/commit/phase=train/epoch=1"));
    assertThat(out.resolve("audit-staging/commit/phase=train/epoch=1")).doesNotExist();
    assertThat(log.check(log.commits().get(0), log.commits().get(0).files().get(0))).isNull();

    // --overwrite starts over and finishes
    String[] again =
        java.util.stream.Stream.concat(
                java.util.Arrays.stream(train), java.util.stream.Stream.of("--overwrite"))
            .toArray(String[]::new);
    Processes.Result done = Processes.run(tmp.resolve("rerun.log"), 300, Processes.cli(again));
    assertThat(done.code()).as(done.output()).isZero();
    assertThat(CliRunner.run("verify", audit.toString()).code()).isZero();
  }
}
