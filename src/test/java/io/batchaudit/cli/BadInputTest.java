package io.batchaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad file inputs stop 'train' before anything is written: exit code 2, one error line naming the
 * file, row or column, value and fix, no output folder, and an earlier run in the output folder
 * left as it was even with --overwrite.
 */
class BadInputTest {
  @TempDir Path tmp;

  private CliRunner.Result train(Path out, String... settings) {
    java.util.List<String> args = new java.util.ArrayList<>();
    args.addAll(java.util.List.of("train", "--out", out.toString(), "--set", "master=local[2]"));
    for (String s : settings) {
      args.add("--set");
      args.add(s);
    }
    return CliRunner.run(args.toArray(String[]::new));
  }

  private Path csv(String name, String... lines) throws IOException {
    Path file = tmp.resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  private static void assertRefused(CliRunner.Result r, Path out, String message) {
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).isEqualTo("error: " + message + System.lineSeparator());
    assertThat(out).doesNotExist();
  }

  @Test
  void missingFile() {
    Path out = tmp.resolve("out-missing");
    Path data = tmp.resolve("missing.csv");
    assertRefused(
        train(out, "data=" + data, "label-columns=label"),
        out,
        "Cannot find data '"
            + data
            + "': no such file or folder; check the path (a local path or a Hadoop URI such as"
            + " file:/data/train.csv or hdfs://namenode/data/train/)");
  }

  @Test
  void nonNumericValue() throws Exception {
    Path data = csv("nonnum.csv", "id,a,b,label", "1,0.5,1.0,0", "2,abc,2.0,1");
    Path out = tmp.resolve("out-nonnum");
    assertRefused(
        train(out, "data=" + data, "label-columns=label", "id-column=id"),
        out,
        "Non-numeric value 'abc' in column 'a' at row 1 (id 2) of "
            + data
            + ": expected a number; fix the value or leave the column out of key feature-columns");
  }

  @Test
  void labelOutOfRange() throws Exception {
    Path data = csv("range.csv", "id,a,b,label", "1,0.5,1.0,0", "2,1.5,2.0,5");
    Path out = tmp.resolve("out-range");
    assertRefused(
        train(out, "data=" + data, "label-columns=label", "id-column=id", "classes=3"),
        out,
        "Invalid class label '5' in column 'label' at row 1 (id 2) of "
            + data
            + ": expected an integer in [0, 3) (key classes = 3); fix the label or set key"
            + " classes");
  }

  @Test
  void validationDataWithoutATrainingColumnLeavesAnEarlierRunIntact() throws Exception {
    Path data = csv("train.csv", "id,a,b,label", "1,0.5,1.0,0", "2,1.5,2.0,1", "3,0.1,0.2,2");
    Path validation = csv("validation.csv", "id,a,label", "10,0.5,0");
    Path out = tmp.resolve("out-earlier");
    CliRunner.Result first =
        train(out, "data=" + data, "label-columns=label", "id-column=id", "epochs=1");
    assertThat(first.code()).as(first.err()).isZero();
    Map<Path, Long> before = listing(out);

    CliRunner.Result again =
        CliRunner.run(
            "train",
            "--out",
            out.toString(),
            "--overwrite",
            "--set",
            "master=local[2]",
            "--set",
            "data=" + data,
            "--set",
            "validation-data=" + validation,
            "--set",
            "label-columns=label",
            "--set",
            "id-column=id");
    assertThat(again.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(again.err())
        .isEqualTo(
            "error: Column 'b' of the training data "
                + data
                + " is missing in "
                + validation
                + ", which has columns id, a, label: validation data needs every feature and label"
                + " column of the training data"
                + System.lineSeparator());
    assertThat(listing(out)).isEqualTo(before);
    assertThat(CliRunner.run("verify", out.resolve("audit").toString()).code()).isZero();
  }

  /** Every file below {@code dir} with its size. */
  private static Map<Path, Long> listing(Path dir) throws IOException {
    Map<Path, Long> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p), Files.size(p));
      }
    }
    return files;
  }
}
