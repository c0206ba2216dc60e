package io.batchaudit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {
  @TempDir Path tmp;

  @Test
  void laterSourcesOverrideEarlierOnesFileThenSparkPropertiesThenSet() throws Exception {
    Path file = tmp.resolve("job.conf");
    Files.writeString(file, "# a job\nepochs = 4\nworkers = 3\nbatch-size = 16\n");
    JobConfig c =
        JobConfig.builder()
            .file(file)
            .sparkProperties(
                Map.of(
                    "spark.batchaudit.workers",
                    "5",
                    "spark.batchaudit.seed",
                    "9",
                    "spark.master",
                    "x"))
            .setAssignment("seed=11")
            .build();
    assertThat(c.epochs()).isEqualTo(4);
    assertThat(c.workers()).isEqualTo(5);
    assertThat(c.batchSize()).isEqualTo(16);
    assertThat(c.seed()).isEqualTo(11);
    assertThat(c.averagingFrequency()).isEqualTo(2); // default
    assertThat(c.rddApproach()).isEqualTo(RDDTrainingApproach.Direct);
    assertThat(c.values()).containsEntry("seed", "11").containsEntry("workers", "5");
  }

  @Test
  void everyInvalidValueIsRejectedWithItsKeyAndWhatIsAllowed() throws Exception {
    assertThatThrownBy(() -> JobConfig.builder().set("workers", "two").build())
        .hasMessage("Invalid workers 'two': expected a number");
    assertThatThrownBy(() -> JobConfig.builder().set("audit", "yes").build())
        .hasMessage("Invalid audit 'yes': expected true or false");
    assertThatThrownBy(() -> JobConfig.builder().set("updater", "rmsprop").build())
        .hasMessage("Invalid updater 'rmsprop': expected adam, sgd, nesterovs");
    assertThatThrownBy(() -> JobConfig.builder().set("audit.predictions", "after").build())
        .hasMessage(
            "Invalid audit.predictions 'after': Unknown prediction source 'after': use"
                + " forward-pass or post-update");
    assertThatThrownBy(() -> JobConfig.builder().set("hidden-layers", "16,x").build())
        .hasMessage("Invalid hidden-layers '16,x': expected comma-separated whole numbers >= 1");
    assertThatThrownBy(() -> JobConfig.builder().set("testing.fault-injection", "explode").build())
        .hasMessage(
            "Invalid testing.fault-injection 'explode': unknown fault 'explode': use throw,"
                + " throw-after-seal, sleep or halt");
    assertThatThrownBy(() -> JobConfig.builder().set("testing.fault-injection", "halt").build())
        .hasMessage(
            "Invalid testing.fault-injection 'halt': halt needs the step to halt at, for example"
                + " halt:at=commit-assembled,epoch=1");
    assertThatThrownBy(
            () -> JobConfig.builder().set("testing.fault-injection", "halt:at=later").build())
        .hasMessage(
            "Invalid testing.fault-injection 'halt:at=later': unknown step 'later': use one of"
                + " commit-moving, commit-assembled, commit-published, compact-written,"
                + " compact-retired, compact-swapped, read-listed");
    Path file = tmp.resolve("bad.conf");
    Files.writeString(file, "epohcs = 3\n");
    assertThatThrownBy(() -> JobConfig.builder().file(file))
        .hasMessageStartingWith(
            file + ": Unknown configuration key 'epohcs'. Known keys: master, out,");
    assertThatThrownBy(() -> JobConfig.builder().file(tmp.resolve("none.conf")))
        .hasMessage("Configuration file " + tmp.resolve("none.conf") + " does not exist");
  }

  @Test
  void theAllKeysFileListsEveryKeyWithItsDefault() throws Exception {
    String all = Files.readString(Path.of("conf/all-keys.conf"));
    for (ConfigKey k : ConfigKey.values()) {
      if (!k.key().startsWith("testing.")) {
        String line = k.key() + " =" + (k.defaultValue().isEmpty() ? "" : " " + k.defaultValue());
        assertThat(all.lines().toList())
            .as("conf/all-keys.conf lists %s with its default", k.key())
            .contains(line);
      }
    }
    // and read as a configuration file it yields exactly the defaults
    JobConfig fromFile = JobConfig.builder().file(Path.of("conf/all-keys.conf")).build();
    assertThat(fromFile.values()).isEqualTo(JobConfig.builder().build().values());
    String readme = Files.readString(Path.of("README.md"));
    for (ConfigKey k : ConfigKey.values()) {
      assertThat(readme).as("README documents %s", k.key()).contains("| `" + k.key() + "` |");
    }
  }
}
