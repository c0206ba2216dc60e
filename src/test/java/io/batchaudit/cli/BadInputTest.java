package io.batchaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input that README's "Inputs" lists as checked, for each format it applies to, stops
 * {@code train} before anything is written: exit code 2, stderr exactly one {@code error: ...} line
 * naming the file, row or column, value and fix, and an earlier completed run in the output folder
 * left byte for byte and timestamp for timestamp as it was, although {@code --overwrite} is passed.
 *
 * <p>One earlier run is trained per class; each case gets a copy of it with every modification time
 * set to a fixed instant in the past, so a file rewritten with the same bytes is seen too. Input
 * files are written by the test (Parquet with parquet-java, so no Spark runs outside the command).
 */
class BadInputTest {
  /** README's two example error lines, for data at /data/train.csv. */
  static final String README_NON_NUMERIC =
      "error: Non-numeric value 'abc' in column 'a' at row 1 (id 2) of /data/train.csv: expected a"
          + " number; fix the value or leave the column out of key feature-columns";

  static final String README_LABEL_OUT_OF_RANGE =
      "error: Invalid class label '5' in column 'label' at row 1 (id 2) of /data/train.csv:"
          + " expected an integer in [0, 3) (key classes = 3); fix the label or set key classes";

  private static final String README_PATH = "/data/train.csv";
  private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));
  private static final String HEADER = "id,a,b,label";
  private static final String FINITE =
      "features and labels must be finite numbers; fix the value or remove the row";
  private static final String MISSING =
      "every feature, label and id needs a value; fill it in or remove the row";
  private static final String ROWS =
      "message row { required int64 id; optional double a; optional double b; optional double"
          + " label; }";

  @TempDir static Path tmp;

  /** A completed run (exit 0), copied into the output folder of each case. */
  private static Path earlierRun;

  @BeforeAll
  static void trainAnEarlierRun() throws IOException {
    Path data =
        csv(tmp.resolve("earlier.csv"), HEADER, "1,0.5,1.0,0", "2,1.5,2.0,1", "3,0.1,0.2,2");
    earlierRun = tmp.resolve("earlier-run");
    CliRunner.Result r =
        train(
            earlierRun,
            false,
            List.of("data=" + data, "label-columns=label", "id-column=id", "epochs=1"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(earlierRun.resolve("audit")).isDirectory();
  }

  // ---- the cases

  /**
   * A bad input: writes its files into a folder of its own and gives the settings of the run and
   * the message it must be refused with.
   */
  record Case(String name, Setup setup) {
    @Override
    public String toString() {
      return name;
    }
  }

  interface Setup {
    Refusal write(Path dir) throws IOException;
  }

  /** The settings of a refused run (besides master and --out) and its message, "error: " aside. */
  record Refusal(List<String> settings, String message) {}

  private static Case of(String name, Setup setup) {
    return new Case(name, setup);
  }

  private static Refusal refusal(String message, String... settings) {
    return new Refusal(List.of(settings), message);
  }

  static Stream<Case> badInputs() {
    return Stream.of(
        // missing file
        of(
            "csv: missing file",
            dir -> missingFile(dir.resolve("nowhere/train.csv"), "label-columns=label")),
        of(
            "parquet: missing file",
            dir -> missingFile(dir.resolve("nowhere/train.parquet"), "label-columns=label")),
        of("libsvm: missing file", dir -> missingFile(dir.resolve("nowhere/train.svm"))),
        // unknown column
        of(
            "csv: unknown column",
            dir -> {
              Path data = csv(dir.resolve("train.csv"), HEADER, "1,0.5,1.0,0", "2,1.5,2.0,1");
              return refusal(
                  "Unknown column 'target' in key label-columns: "
                      + data
                      + " has columns id, a, b, label (check csv.delimiter ',' and csv.header=true"
                      + " too); fix key label-columns",
                  "data=" + data,
                  "label-columns=target");
            }),
        of(
            "parquet: unknown column",
            dir -> {
              Path data =
                  parquet(
                      dir.resolve("train.parquet"),
                      ROWS,
                      row(1L, 0.5, 1.0, 0.0),
                      row(2L, 1.5, 2.0, 1.0));
              return refusal(
                  "Unknown column 'c' in key feature-columns: "
                      + data
                      + " has columns id, a, b, label; fix key feature-columns",
                  "data=" + data,
                  "label-columns=label",
                  "feature-columns=a,c");
            }),
        of(
            "libsvm: unknown column",
            dir -> {
              Path data = text(dir.resolve("train.svm"), "0 1:0.5 2:1", "1 1:1.5");
              return refusal(
                  "Unknown column 'f5' in key feature-columns: "
                      + data
                      + " has columns label, f0, f1; fix key feature-columns",
                  "data=" + data,
                  "feature-columns=f0,f5");
            }),
        // non-numeric value
        of(
            "csv: non-numeric value (README's example)",
            dir -> {
              Path data = csv(dir.resolve("train.csv"), HEADER, "1,0.5,1.0,0", "2,abc,2.0,1");
              return refusal(
                  readme(README_NON_NUMERIC, data),
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id");
            }),
        of(
            "csv: non-numeric label",
            dir -> {
              Path data = csv(dir.resolve("train.csv"), HEADER, "1,0.5,1.0,0", "2,1.5,2.0,two");
              return refusal(
                  "Non-numeric value 'two' in column 'label' at row 1 (id 2) of "
                      + data
                      + ": expected a number; fix the value",
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id");
            }),
        of(
            "parquet: non-numeric feature column",
            dir -> {
              Path data =
                  parquet(
                      dir.resolve("train.parquet"),
                      "message row { required int64 id; required binary a (STRING); required double"
                          + " b; required double label; }",
                      row(1L, "abc", 1.0, 0.0),
                      row(2L, "def", 2.0, 1.0));
              return refusal(
                  "Column 'a' of "
                      + data
                      + " has type string: features and labels must be numeric (an integral or"
                      + " floating type); convert it or leave it out of key feature-columns",
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id");
            }),
        of(
            "parquet: non-numeric label column",
            dir -> {
              Path data =
                  parquet(
                      dir.resolve("train.parquet"),
                      "message row { required int64 id; required double a; required double b;"
                          + " required binary label (STRING); }",
                      row(1L, 0.5, 1.0, "cat"),
                      row(2L, 1.5, 2.0, "dog"));
              return refusal(
                  "Column 'label' of "
                      + data
                      + " has type string: features and labels must be numeric (an integral or"
                      + " floating type); convert it or check key label-columns",
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id");
            }),
        of(
            "libsvm: non-numeric value",
            dir -> {
              Path data = text(dir.resolve("train.svm"), "0 1:0.5", "1 1:abc");
              return refusal(
                  "Non-numeric value 'abc' in column 'f0' at row 1 of "
                      + data
                      + ": expected a number; fix the value",
                  "data=" + data);
            }),
        of(
            "libsvm: non-numeric label",
            dir -> {
              Path data = text(dir.resolve("train.svm"), "0 1:0.5", "one 1:1.5");
              return refusal(
                  "Non-numeric value 'one' in column 'label' at row 1 of "
                      + data
                      + ": expected a number; fix the value",
                  "data=" + data);
            }),
        of(
            "libsvm: non-numeric value in a folder after comments and blank lines",
            dir -> {
              Path folder = dir.resolve("train");
              text(folder.resolve("part-0.svm"), "# two rows", "0 1:0.5", "", "1 1:1.5");
              text(folder.resolve("part-1.svm"), "0 1:2", "  # a comment", "1 1:2e", "1 1:3");
              return refusal(
                  "Non-numeric value '2e' in column 'f0' at row 3 of "
                      + folder
                      + " (file part-1.svm, its row 1): expected a number; fix the value",
                  "data=" + folder,
                  "format=libsvm");
            }),
        of(
            "libsvm: malformed entry",
            dir -> {
              Path data = text(dir.resolve("train.svm"), "0 1:0.5", "1 1=1.5");
              return refusal(
                  "Malformed LibSVM entry '1=1.5' at row 1 of "
                      + data
                      + ": expected index:value with a 1-based integer index, for example 3:0.5;"
                      + " fix the line",
                  "data=" + data);
            }),
        of(
            "libsvm: indices not ascending",
            dir -> {
              Path data = text(dir.resolve("train.svm"), "0 2:0.5 1:1", "1 1:1.5");
              return refusal(
                  "LibSVM index 1 after index 2 at row 0 of "
                      + data
                      + ": indices must be ascending (each feature at most once); fix the line",
                  "data=" + data);
            }),
        // missing value
        of(
            "csv: missing value",
            dir -> {
              Path data = csv(dir.resolve("train.csv"), HEADER, "1,0.5,1.0,0", "2,,2.0,1");
              return refusal(
                  "Missing value in column 'a' at row 1 (id 2) of " + data + ": " + MISSING,
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id");
            }),
        of(
            "parquet: missing value",
            dir -> {
              Path data =
                  parquet(
                      dir.resolve("train.parquet"),
                      ROWS,
                      row(1L, 0.5, 1.0, 0.0),
                      row(2L, 1.5, 2.0, null));
              return refusal(
                  "Missing value in column 'label' at row 1 (id 2) of " + data + ": " + MISSING,
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id");
            }),
        // class label not an integer, class label out of [0, classes)
        of(
            "csv: class label not an integer",
            dir -> {
              Path data = csv(dir.resolve("train.csv"), HEADER, "1,0.5,1.0,0", "2,1.5,2.0,1.5");
              return refusal(
                  notAClassIndex(
                      "1.5", "label", "row 1 (id 2) of " + data, "[0, 3) (key classes = 3)"),
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id",
                  "classes=3");
            }),
        of(
            "csv: class label out of range (README's example)",
            dir -> {
              Path data = csv(dir.resolve("train.csv"), HEADER, "1,0.5,1.0,0", "2,1.5,2.0,5");
              return refusal(
                  readme(README_LABEL_OUT_OF_RANGE, data),
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id",
                  "classes=3");
            }),
        of(
            "parquet: class label not an integer",
            dir -> {
              Path data =
                  parquet(
                      dir.resolve("train.parquet"),
                      ROWS,
                      row(1L, 0.5, 1.0, 0.0),
                      row(2L, 1.5, 2.0, 0.5));
              return refusal(
                  notAClassIndex(
                      "0.5",
                      "label",
                      "row 1 (id 2) of " + data,
                      "[0, 100000) (key classes = 0: the number of classes is the largest label +"
                          + " 1)"),
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id");
            }),
        of(
            "parquet: class label out of range",
            dir -> {
              Path data =
                  parquet(
                      dir.resolve("train.parquet"),
                      "message row { required int64 id; required double a; required double b;"
                          + " required int32 label; }",
                      row(1L, 0.5, 1.0, 0),
                      row(2L, 1.5, 2.0, 3));
              return refusal(
                  outOfRange("3", "label", "row 1 (id 2) of " + data, "[0, 3) (key classes = 3)"),
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id",
                  "classes=3");
            }),
        of(
            "libsvm: class label not an integer",
            dir -> {
              Path data = text(dir.resolve("train.svm"), "0 1:0.5", "1.5 1:1.5");
              return refusal(
                  notAClassIndex(
                      "1.5",
                      "label",
                      "row 1 of " + data,
                      "[0, 100000) (key classes = 0: the number of classes is the largest label +"
                          + " 1)"),
                  "data=" + data);
            }),
        of(
            "libsvm: class label out of range",
            dir -> {
              Path data = text(dir.resolve("train.svm"), "0 1:0.5", "1 1:1.5", "-1 1:2");
              return refusal(
                  notAClassIndex(
                      "-1",
                      "label",
                      "row 2 of " + data,
                      "[0, 100000) (key classes = 0: the number of classes is the largest label +"
                          + " 1)"),
                  "data=" + data);
            }),
        of(
            "libsvm: class label at or above classes",
            dir -> {
              Path data = text(dir.resolve("train.svm"), "0 1:0.5", "2 1:1.5");
              return refusal(
                  outOfRange("2", "label", "row 1 of " + data, "[0, 2) (key classes = 2)"),
                  "data=" + data,
                  "classes=2");
            }),
        // NaN or infinite feature
        of(
            "csv: NaN feature",
            dir -> {
              Path data = csv(dir.resolve("train.csv"), HEADER, "1,0.5,1.0,0", "2,1.5,nan,1");
              return refusal(
                  "NaN in column 'b' at row 1 (id 2) of " + data + ": " + FINITE,
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id");
            }),
        of(
            "parquet: NaN feature",
            dir -> {
              Path data =
                  parquet(
                      dir.resolve("train.parquet"),
                      ROWS,
                      row(1L, Double.NaN, 1.0, 0.0),
                      row(2L, 1.5, 2.0, 1.0));
              return refusal(
                  "NaN in column 'a' at row 0 (id 1) of " + data + ": " + FINITE,
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id");
            }),
        of(
            "libsvm: NaN feature",
            dir -> {
              Path data = text(dir.resolve("train.svm"), "0 1:0.5 2:NaN", "1 1:1.5");
              return refusal(
                  "NaN in column 'f1' at row 0 of " + data + ": " + FINITE, "data=" + data);
            }),
        of(
            "csv: infinite feature",
            dir -> {
              Path data = csv(dir.resolve("train.csv"), HEADER, "1,0.5,1.0,0", "2,-Infinity,2.0,1");
              return refusal(
                  "Infinite value '-Infinity' in column 'a' at row 1 (id 2) of "
                      + data
                      + ": "
                      + FINITE,
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id");
            }),
        of(
            "parquet: infinite feature",
            dir -> {
              Path data =
                  parquet(
                      dir.resolve("train.parquet"),
                      ROWS,
                      row(1L, 0.5, 1.0, 0.0),
                      row(2L, 1.5, Double.POSITIVE_INFINITY, 1.0));
              return refusal(
                  "Infinite value 'Infinity' in column 'b' at row 1 (id 2) of "
                      + data
                      + ": "
                      + FINITE,
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id");
            }),
        of(
            "libsvm: infinite feature",
            dir -> {
              Path data = text(dir.resolve("train.svm"), "0 1:0.5", "1 1:1.5 2:-Infinity");
              return refusal(
                  "Infinite value '-Infinity' in column 'f1' at row 1 of " + data + ": " + FINITE,
                  "data=" + data);
            }),
        // NaN or infinite label
        of(
            "csv: NaN class label",
            dir -> {
              Path data = csv(dir.resolve("train.csv"), HEADER, "1,0.5,1.0,NaN", "2,1.5,2.0,1");
              return refusal(
                  "NaN in column 'label' at row 0 (id 1) of " + data + ": " + FINITE,
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id");
            }),
        of(
            "parquet: NaN class label",
            dir -> {
              Path data =
                  parquet(
                      dir.resolve("train.parquet"),
                      ROWS,
                      row(1L, 0.5, 1.0, 0.0),
                      row(2L, 1.5, 2.0, Double.NaN));
              return refusal(
                  "NaN in column 'label' at row 1 (id 2) of " + data + ": " + FINITE,
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id");
            }),
        of(
            "libsvm: NaN class label",
            dir -> {
              Path data = text(dir.resolve("train.svm"), "0 1:0.5", "NaN 1:1.5");
              return refusal(
                  "NaN in column 'label' at row 1 of " + data + ": " + FINITE, "data=" + data);
            }),
        of(
            "csv: infinite regression target",
            dir -> {
              Path data = csv(dir.resolve("train.csv"), HEADER, "1,0.5,1.0,0.25", "2,1.5,2.0,inf");
              return refusal(
                  "Infinite value 'inf' in column 'label' at row 1 (id 2) of "
                      + data
                      + ": "
                      + FINITE,
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id",
                  "task=regression");
            }),
        of(
            "parquet: infinite regression target",
            dir -> {
              Path data =
                  parquet(
                      dir.resolve("train.parquet"),
                      ROWS,
                      row(1L, 0.5, 1.0, Double.NEGATIVE_INFINITY),
                      row(2L, 1.5, 2.0, 1.0));
              return refusal(
                  "Infinite value '-Infinity' in column 'label' at row 0 (id 1) of "
                      + data
                      + ": "
                      + FINITE,
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id",
                  "task=regression");
            }),
        of(
            "libsvm: infinite regression target",
            dir -> {
              Path data = text(dir.resolve("train.svm"), "0.5 1:0.5", "Infinity 1:1.5");
              return refusal(
                  "Infinite value 'Infinity' in column 'label' at row 1 of " + data + ": " + FINITE,
                  "data=" + data,
                  "task=regression");
            }),
        of(
            "csv: infinite class label",
            dir -> {
              Path data = csv(dir.resolve("train.csv"), HEADER, "1,0.5,1.0,0", "2,1.5,2.0,INF");
              return refusal(
                  "Infinite value 'INF' in column 'label' at row 1 (id 2) of "
                      + data
                      + ": "
                      + FINITE,
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id");
            }),
        // empty input
        of(
            "csv: header only",
            dir -> {
              Path data = csv(dir.resolve("train.csv"), HEADER);
              return refusal(
                  "No rows in "
                      + data
                      + " (with csv.header=true the first line of each file holds column names):"
                      + " training needs at least one example; check key data",
                  "data=" + data,
                  "label-columns=label");
            }),
        of(
            "csv: empty file",
            dir -> {
              Path data = Files.write(dir.resolve("train.csv"), new byte[0]);
              return refusal(
                  "No rows in " + data + ": training needs at least one example; check key data",
                  "data=" + data,
                  "label-columns=label");
            }),
        of(
            "parquet: no rows",
            dir -> {
              Path data = parquet(dir.resolve("train.parquet"), ROWS);
              return refusal(
                  "No rows in " + data + ": training needs at least one example; check key data",
                  "data=" + data,
                  "label-columns=label");
            }),
        of(
            "libsvm: empty file",
            dir -> {
              Path data = Files.write(dir.resolve("train.svm"), new byte[0]);
              return refusal(
                  "No rows in " + data + ": training needs at least one example; check key data",
                  "data=" + data);
            }),
        // duplicate ids
        of(
            "csv: duplicate ids",
            dir -> {
              Path data =
                  csv(
                      dir.resolve("train.csv"),
                      HEADER,
                      "7,0.5,1.0,0",
                      "8,1.5,2.0,1",
                      "7,0.1,0.2,1");
              return refusal(
                  "Duplicate id 7 in column 'id' of "
                      + data
                      + ": it occurs 2 times (rows 0, 2); sample ids must be unique: fix the ids or"
                      + " unset key id-column to number rows by position",
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id");
            }),
        of(
            "parquet: duplicate ids",
            dir -> {
              Path data =
                  parquet(
                      dir.resolve("train.parquet"),
                      ROWS,
                      row(8L, 0.5, 1.0, 0.0),
                      row(9L, 1.5, 2.0, 1.0),
                      row(9L, 0.1, 0.2, 1.0));
              return refusal(
                  "Duplicate id 9 in column 'id' of "
                      + data
                      + ": it occurs 2 times (rows 1, 2); sample ids must be unique: fix the ids or"
                      + " unset key id-column to number rows by position",
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id");
            }),
        // a label column that is also a feature
        of(
            "csv: label column that is also a feature",
            dir -> {
              Path data = csv(dir.resolve("train.csv"), HEADER, "1,0.5,1.0,0", "2,1.5,2.0,1");
              return labelIsFeature(
                  "Invalid data '" + data + "': ",
                  "label",
                  data,
                  "label-columns=label",
                  "feature-columns=a,label");
            }),
        of(
            "parquet: label column that is also a feature",
            dir -> {
              Path data =
                  parquet(
                      dir.resolve("train.parquet"),
                      ROWS,
                      row(1L, 0.5, 1.0, 0.0),
                      row(2L, 1.5, 2.0, 1.0));
              return labelIsFeature(
                  "Invalid data '" + data + "': ",
                  "b",
                  data,
                  "task=regression",
                  "label-columns=label,b",
                  "feature-columns=a,b");
            }),
        of(
            "libsvm: label column that is also a feature",
            dir -> {
              Path data = text(dir.resolve("train.svm"), "0 1:0.5", "1 1:1.5");
              return labelIsFeature("", "label", data, "feature-columns=f0,label");
            }),
        // CSV lines with too few or too many fields
        of(
            "csv: line with too few fields",
            dir -> {
              Path data = csv(dir.resolve("train.csv"), HEADER, "1,0.5,1.0,0", "2,1.5,1");
              return refusal(
                  "Malformed CSV line '2,1.5,1' at row 1 of "
                      + data
                      + ": expected 4 fields (id, a, b, label) separated by ','; fix the line or"
                      + " check key csv.delimiter",
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id");
            }),
        of(
            "csv: line with too many fields",
            dir -> {
              Path data = csv(dir.resolve("train.csv"), HEADER, "1,0.5,1.0,0,9", "2,1.5,2.0,1");
              return refusal(
                  "Malformed CSV line '1,0.5,1.0,0,9' at row 0 of "
                      + data
                      + ": expected 4 fields (id, a, b, label) separated by ','; fix the line or"
                      + " check key csv.delimiter",
                  "data=" + data,
                  "label-columns=label",
                  "id-column=id");
            }),
        // CSV files of a folder with different headers
        of(
            "csv: files of a folder with different headers",
            dir -> {
              Path folder = dir.resolve("train");
              csv(folder.resolve("part-0.csv"), HEADER, "1,0.5,1.0,0");
              // larger than part-0: Spark's own pick of the header file, by size, would be this one
              csv(folder.resolve("part-1.csv"), "id,b,a,label", "2,2.0,1.5,1", "3,0.2,0.1,2");
              return refusal(
                  "Cannot read "
                      + folder
                      + " as csv: CSV header does not conform to the schema. Header: id, b, a,"
                      + " label Schema: id, a, b, label Expected: a but found: b CSV file: file://"
                      + folder
                      + "/part-1.csv; every file needs the same header (the same columns in the"
                      + " same order)",
                  "data=" + folder,
                  "format=csv",
                  "label-columns=label",
                  "id-column=id");
            }),
        // validation data missing a training column
        of(
            "csv: validation data missing a training column",
            dir -> {
              Path data = csv(dir.resolve("train.csv"), HEADER, "1,0.5,1.0,0", "2,1.5,2.0,1");
              Path validation = csv(dir.resolve("validation.csv"), "id,a,label", "10,0.5,0");
              return missingTrainingColumn("b", data, validation, "id, a, label");
            }),
        of(
            "parquet: validation data missing a training column",
            dir -> {
              Path data =
                  parquet(
                      dir.resolve("train.parquet"),
                      ROWS,
                      row(1L, 0.5, 1.0, 0.0),
                      row(2L, 1.5, 2.0, 1.0));
              Path validation =
                  parquet(
                      dir.resolve("validation.parquet"),
                      "message row { required int64 id; required double a; required double b; }",
                      row(10L, 0.5, 1.0));
              return missingTrainingColumn("label", data, validation, "id, a, b");
            }));
  }

  private static Refusal missingFile(Path data, String... settings) {
    List<String> all = new ArrayList<>(List.of("data=" + data));
    all.addAll(List.of(settings));
    return new Refusal(
        all,
        "Cannot find data '"
            + data
            + "': no such file or folder; check the path (a local path or a Hadoop URI such as"
            + " file:/data/train.csv or hdfs://namenode/data/train/)");
  }

  private static String notAClassIndex(String value, String column, String where, String range) {
    return "Invalid class label '"
        + value
        + "' in column '"
        + column
        + "' at "
        + where
        + ": expected an integer in "
        + range
        + "; fix the label (class labels are class indices; real-valued targets need key"
        + " task=regression)";
  }

  private static String outOfRange(String value, String column, String where, String range) {
    return "Invalid class label '"
        + value
        + "' in column '"
        + column
        + "' at "
        + where
        + ": expected an integer in "
        + range
        + "; fix the label or set key classes";
  }

  /**
   * @param prefix what names the setting when the check runs on the configuration, before any file
   *     is read (CSV and Parquet)
   */
  private static Refusal labelIsFeature(
      String prefix, String column, Path data, String... settings) {
    List<String> all = new ArrayList<>(List.of("data=" + data));
    all.addAll(List.of(settings));
    return new Refusal(
        all,
        prefix
            + "Column '"
            + column
            + "' is both a label (label-columns) and a feature (feature-columns): the network would"
            + " be given its own target; remove it from feature-columns");
  }

  private static Refusal missingTrainingColumn(
      String column, Path data, Path validation, String validationColumns) {
    return refusal(
        "Column '"
            + column
            + "' of the training data "
            + data
            + " is missing in "
            + validation
            + ", which has columns "
            + validationColumns
            + ": validation data needs every feature and label column of the training data",
        "data=" + data,
        "validation-data=" + validation,
        "label-columns=label",
        "id-column=id");
  }

  // ---- the tests

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void trainRefusesBadInputWithOneLineAndLeavesAnEarlierRunUntouchedDespiteOverwrite(Case c)
      throws IOException {
    // createDirectory: two cases of one name would fail here instead of sharing a folder
    Path dir = Files.createDirectory(tmp.resolve("case-" + c.name().replaceAll("\\W+", "-")));
    Refusal expected = c.setup().write(dir);
    Path out = dir.resolve("out");
    copyWithOldTimes(earlierRun, out);
    Map<String, Entry> before = snapshot(out);

    CliRunner.Result r = train(out, true, expected.settings());

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).isEqualTo("error: " + expected.message() + System.lineSeparator());
    assertThat(snapshot(out)).isEqualTo(before);
  }

  @Test
  void badInputCreatesNoOutputFolder() throws IOException {
    Path data = csv(tmp.resolve("no-out.csv"), HEADER, "1,0.5,1.0,0", "2,1.5,,1");
    Path out = tmp.resolve("no-out/run");

    CliRunner.Result r =
        train(out, false, List.of("data=" + data, "label-columns=label", "id-column=id"));

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err())
        .isEqualTo(
            "error: Missing value in column 'b' at row 1 (id 2) of "
                + data
                + ": "
                + MISSING
                + System.lineSeparator());
    assertThat(tmp.resolve("no-out")).doesNotExist();
  }

  /** The README block the two lines are from, and the cases above print them. */
  @Test
  void readmeExampleErrorLinesAreTheOnesTrainPrints() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    Matcher block =
        Pattern.compile("value and the fix\\. For example:\n\n```\n(.*?)```\n", Pattern.DOTALL)
            .matcher(readme);
    assertThat(block.find()).as("README's example error lines").isTrue();
    assertThat(block.group(1).lines())
        .containsExactly(README_NON_NUMERIC, README_LABEL_OUT_OF_RANGE);
    assertThat(badInputs().map(Case::name))
        .contains(
            "csv: non-numeric value (README's example)",
            "csv: class label out of range (README's example)");
  }

  /** The snapshot sees what the refusals must not do: a same-bytes rewrite, a new or lost file. */
  @Test
  void snapshotSeesARewriteWithTheSameBytesAndANewOrDeletedFile() throws IOException {
    Path out = tmp.resolve("snapshot-control");
    copyWithOldTimes(earlierRun, out);
    Map<String, Entry> before = snapshot(out);
    Path file;
    try (Stream<Path> s = Files.walk(out)) {
      file = s.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
    }

    Files.write(file, Files.readAllBytes(file));
    assertThat(snapshot(out)).isNotEqualTo(before);

    Path again = tmp.resolve("snapshot-control-2");
    copyWithOldTimes(earlierRun, again);
    Map<String, Entry> intact = snapshot(again);
    Path extra = Files.createFile(again.resolve("audit/extra"));
    assertThat(snapshot(again)).isNotEqualTo(intact);
    Files.delete(extra);
    // the folder's modification time still shows it
    assertThat(snapshot(again)).isNotEqualTo(intact);
  }

  // ---- helpers

  private static CliRunner.Result train(Path out, boolean overwrite, List<String> settings) {
    List<String> args = new ArrayList<>(List.of("train", "--out", out.toString()));
    if (overwrite) {
      args.add("--overwrite");
    }
    args.addAll(List.of("--set", "master=local[2]"));
    for (String s : settings) {
      args.add("--set");
      args.add(s);
    }
    return CliRunner.run(args.toArray(String[]::new));
  }

  private static String readme(String line, Path data) {
    assertThat(line).startsWith("error: ").contains(README_PATH);
    return line.substring("error: ".length()).replace(README_PATH, data.toString());
  }

  private static Path csv(Path file, String... lines) throws IOException {
    return text(file, lines);
  }

  private static Path text(Path file, String... lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return file;
  }

  private static Object[] row(Object... values) {
    return values;
  }

  /** One Parquet file of {@code rows} (a null leaves an optional field out). */
  private static Path parquet(Path file, String schema, Object[]... rows) throws IOException {
    MessageType type = MessageTypeParser.parseMessageType(schema);
    SimpleGroupFactory groups = new SimpleGroupFactory(type);
    Files.createDirectories(file.getParent());
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(
                HadoopOutputFile.fromPath(
                    new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
            .withType(type)
            .build()) {
      for (Object[] values : rows) {
        Group g = groups.newGroup();
        for (int i = 0; i < values.length; i++) {
          String name = type.getFieldName(i);
          Object v = values[i];
          if (v == null) {
            continue;
          }
          Type field = type.getType(i);
          PrimitiveType.PrimitiveTypeName kind = field.asPrimitiveType().getPrimitiveTypeName();
          switch (kind) {
            case INT64 -> g.append(name, (Long) v);
            case INT32 -> g.append(name, (Integer) v);
            case DOUBLE -> g.append(name, (Double) v);
            case BINARY -> g.append(name, (String) v);
            default -> throw new IllegalArgumentException("no test values of type " + kind);
          }
        }
        w.write(g);
      }
    }
    return file;
  }

  /** A file or folder's state: what a refused run must leave as it was. */
  record Entry(boolean folder, String sha256, FileTime modified) {}

  /** Every file and folder below {@code dir}: SHA-256 of its content and modification time. */
  private static Map<String, Entry> snapshot(Path dir) throws IOException {
    Map<String, Entry> all = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        boolean folder = Files.isDirectory(p);
        all.put(
            dir.relativize(p).toString(),
            new Entry(folder, folder ? null : sha256(p), Files.getLastModifiedTime(p)));
      }
    }
    return all;
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Copies the tree at {@code from} to {@code to} and sets every modification time to {@link
   * #LONG_AGO}, so that any rewrite, even with the same bytes and within a second, shows.
   */
  private static void copyWithOldTimes(Path from, Path to) throws IOException {
    List<Path> sources;
    try (Stream<Path> s = Files.walk(from)) {
      sources = s.toList();
    }
    for (Path p : sources) {
      Path target = to.resolve(from.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(target);
      } else {
        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    // deepest first: setting a file's time does not touch its folder's, but creating it did
    List<Path> targets;
    try (Stream<Path> s = Files.walk(to)) {
      targets = s.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : targets) {
      Files.setLastModifiedTime(p, LONG_AGO);
    }
  }
}
