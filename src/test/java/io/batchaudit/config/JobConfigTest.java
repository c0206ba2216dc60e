package io.batchaudit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    assertThat(c.get(Keys.EPOCHS)).isEqualTo(4);
    assertThat(c.get(Keys.WORKERS)).isEqualTo(5);
    assertThat(c.get(Keys.BATCH_SIZE)).isEqualTo(16);
    assertThat(c.get(Keys.SEED)).isEqualTo(11);
    assertThat(c.get(Keys.AVERAGING_FREQUENCY)).isEqualTo(2); // default
    // DL4J's own default (its RDDTrainingApproach, Export, is asserted by train's
    // TrainingSettingsTest)
    assertThat(c.get(Keys.RDD_APPROACH)).isEqualTo("export");
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
    // (the fault plan's own messages are asserted by train's TrainingSettingsTest)
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
    for (ConfigEntry<?> k : Keys.all()) {
      if (!k.name().startsWith("testing.")) {
        String line = k.name() + " =" + (k.defaultText().isEmpty() ? "" : " " + k.defaultText());
        assertThat(all.lines().toList())
            .as("conf/all-keys.conf lists %s with its default", k.name())
            .contains(line);
      }
    }
    // and read as a configuration file it yields exactly the defaults
    JobConfig fromFile = JobConfig.builder().file(Path.of("conf/all-keys.conf")).build();
    assertThat(fromFile.values()).isEqualTo(JobConfig.builder().build().values());
    String readme = Files.readString(Path.of("README.md"));
    for (ConfigEntry<?> k : Keys.all()) {
      assertThat(readme).as("README documents %s", k.name()).contains("| `" + k.name() + "` |");
    }
  }

  @Test
  void theAllKeysFileIsTheDeclarationsInTheirOrderEachUnderItsDoc() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("conf/all-keys.conf"));
    List<String> body = lines.subList(lines.indexOf("") + 1, lines.size());
    StringBuilder expected = new StringBuilder();
    for (ConfigEntry<?> k : Keys.all()) {
      if (!k.testOnly()) {
        expected.append(expected.length() == 0 ? "" : "\n");
        expected
            .append("# ")
            .append(k.doc())
            .append('\n')
            .append(k.name())
            .append(" =")
            .append(k.defaultText().isEmpty() ? "" : " " + k.defaultText())
            .append('\n');
      }
    }
    assertThat(String.join("\n", body) + "\n").isEqualTo(expected.toString());
  }

  @Test
  void fileOptionsReadEmptyTextAsTheirDefaultAndOtherKeysRefuseIt() {
    JobConfig c =
        JobConfig.builder()
            .set(Keys.FORMAT, "")
            .set(Keys.CSV_HEADER, " ")
            .set(Keys.CSV_DELIMITER, "")
            .set(Keys.CLASSES, "")
            .build();
    assertThat(c.get(Keys.FORMAT)).isEqualTo("auto");
    assertThat(c.get(Keys.CSV_HEADER)).isTrue();
    assertThat(c.get(Keys.CSV_DELIMITER)).isEqualTo(",");
    assertThat(c.get(Keys.CLASSES)).isZero();
    assertThat(c.text(Keys.CSV_HEADER)).isEmpty(); // recorded as given
    assertThatThrownBy(() -> JobConfig.builder().set(Keys.EPOCHS, "").build())
        .hasMessage("Invalid epochs '': expected a number");
    assertThatThrownBy(() -> JobConfig.builder().set(Keys.OUT, " ").build())
        .hasMessage("Invalid out '': expected a non-empty value");
  }

  @Test
  void typedValuesComeFromTheDeclarations() {
    JobConfig c =
        JobConfig.builder()
            .setAssignment("hidden-layers=32, 8")
            .setAssignment("audit.compaction.file-size=64k")
            .setAssignment("audit.compaction.grace=2h")
            .setAssignment("csv.delimiter=\\t")
            .setAssignment("label-columns= y1 ,y2")
            .setAssignment("updater=SGD")
            .build();
    assertThat(c.get(Keys.HIDDEN_LAYERS)).containsExactly(32, 8);
    assertThat(c.get(Keys.AUDIT_COMPACTION_FILE_SIZE)).isEqualTo(64L * 1024);
    assertThat(c.get(Keys.AUDIT_COMPACTION_GRACE)).hasHours(2);
    assertThat(c.get(Keys.CSV_DELIMITER)).isEqualTo("\t");
    assertThat(c.get(Keys.LABEL_COLUMNS)).containsExactly("y1", "y2");
    assertThat(c.get(Keys.UPDATER)).isEqualTo("sgd");
    assertThat(c.text(Keys.UPDATER)).isEqualTo("SGD");
    assertThat(c.get(Keys.FEATURE_COLUMNS)).isEmpty();
    assertThat(c.get(Keys.LEARNING_RATE)).isEqualTo(0.01);
  }
}
