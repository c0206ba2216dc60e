package io.batchaudit.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchaudit.config.JobConfig;
import io.batchaudit.source.TableData.LabelTable;
import io.batchaudit.testing.SparkTests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File inputs read with Spark (local[2]): CSV, Parquet and LibSVM parse into the exact examples,
 * sample ids are row indices independent of partitioning (or an id column), statistics, label
 * tables and fingerprints are exact, and every kind of bad input is rejected by {@code load} with a
 * message that names the place, the value and the fix.
 */
class TableDataTest {
  private static JavaSparkContext sc;
  private static SparkSession spark;

  @TempDir static Path tmp;

  @BeforeAll
  static void startSpark() {
    sc = SparkTests.localContext("table-data");
    spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    sc.stop();
  }

  // ---- reading

  @Test
  void readsCsvWithHeaderAsOneHotClassificationWithClassesFromTheLabels() throws IOException {
    Path file = write("header.csv", "a,b,y", "1,2,0", "3.5,-4,2", " 5 , 6e1 ,1");
    TableData data = TableData.load(spark, spec(file, "label-columns=y"));

    assertThat(data.size()).isEqualTo(3);
    assertThat(data.featureColumns()).containsExactly("a", "b");
    assertThat(data.labelColumns()).containsExactly("y");
    assertThat(data.task()).isEqualTo(Task.CLASSIFICATION);
    assertThat(data.classes()).isEqualTo(3);
    assertThat(data.featureCount()).isEqualTo(2);
    assertThat(data.labelWidth()).isEqualTo(3);
    assertThat(examples(data))
        .containsExactly(
            new Example(0, new float[] {1, 2}, new float[] {1, 0, 0}),
            new Example(1, new float[] {3.5f, -4}, new float[] {0, 0, 1}),
            new Example(2, new float[] {5, 60}, new float[] {0, 1, 0}));
  }

  @Test
  void readsCsvWithoutHeaderWithSemicolonsAndGivenClasses() throws IOException {
    Path file = write("plain.csv", "0;1.5;7", "1;2.5;8");
    TableData data =
        TableData.load(
            spark,
            spec(
                file,
                "csv.header=false",
                "csv.delimiter=;",
                "label-columns=_c0",
                "feature-columns=_c2,_c1",
                "classes=4"));

    assertThat(data.featureColumns()).containsExactly("_c2", "_c1");
    assertThat(data.classes()).isEqualTo(4);
    assertThat(examples(data))
        .containsExactly(
            new Example(0, new float[] {7, 1.5f}, new float[] {1, 0, 0, 0}),
            new Example(1, new float[] {8, 2.5f}, new float[] {0, 1, 0, 0}));
  }

  @Test
  void readsRegressionTargetsAndSampleIdsFromColumns() throws IOException {
    Path file =
        write(
            "regression.csv",
            "x1,id,y1,x2,y2",
            "1,30,0.25,2,-1",
            "3,10,0.5,4,-2",
            "5,20,0.75,6,-3");
    TableData data =
        TableData.load(spark, spec(file, "task=regression", "label-columns=y1,y2", "id-column=id"));

    assertThat(data.featureColumns()).containsExactly("x1", "x2");
    assertThat(data.classes()).isZero();
    assertThat(data.labelWidth()).isEqualTo(2);
    assertThat(examples(data))
        .containsExactly(
            new Example(10, new float[] {3, 4}, new float[] {0.5f, -2}),
            new Example(20, new float[] {5, 6}, new float[] {0.75f, -3}),
            new Example(30, new float[] {1, 2}, new float[] {0.25f, -1}));

    LabelTable labels = data.labels();
    assertThat(labels.sortedIds()).containsExactly(10, 20, 30);
    assertThat(labels.labels()).containsExactly(0.5f, -2, 0.75f, -3, 0.25f, -1);
    assertThat(labels.width()).isEqualTo(2);
    assertThat(labels.indexOf(20)).isEqualTo(1);
    assertThat(labels.label(labels.indexOf(30))).containsExactly(0.25f, -1);
    assertThat(labels.indexOf(15)).isEqualTo(-1);
    assertThat(labels.indexOf(31)).isEqualTo(-1);
  }

  @Test
  void readsParquetWrittenBySparkWithAnyNumericType() {
    StructType schema =
        new StructType()
            .add("id", DataTypes.LongType)
            .add("small", DataTypes.ShortType)
            .add("count", DataTypes.IntegerType)
            .add("ratio", DataTypes.DoubleType)
            .add("weight", DataTypes.FloatType)
            .add("class", DataTypes.ByteType)
            .add("name", DataTypes.StringType);
    List<Row> rows =
        List.of(
            RowFactory.create(5L, (short) 1, 10, 0.5, 1.25f, (byte) 1, "a"),
            RowFactory.create(6L, (short) 2, 20, 1.5, 2.25f, (byte) 0, "b"));
    String dir = tmp.resolve("table.parquet").toString();
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(dir);

    TableData data =
        TableData.load(
            spark,
            spec(
                Path.of(dir),
                "label-columns=class",
                "feature-columns=small,count,ratio,weight",
                "id-column=id"));

    assertThat(data.classes()).isEqualTo(2);
    assertThat(examples(data))
        .containsExactly(
            new Example(5, new float[] {1, 10, 0.5f, 1.25f}, new float[] {0, 1}),
            new Example(6, new float[] {2, 20, 1.5f, 2.25f}, new float[] {1, 0}));

    assertThatThrownBy(
            () -> TableData.load(spark, spec(Path.of(dir), "label-columns=class", "id-column=id")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Column 'name' of "
                + dir
                + " has type string: features and labels must be numeric (an integral or floating"
                + " type); convert it or leave it out of key feature-columns");
  }

  @Test
  void readsLibSvmAsDenseFeatures() throws IOException {
    Path file = write("sparse.svm", "1 1:0.5 3:2", "0 2:1.5", "2.0 1:-1");
    TableData data = TableData.load(spark, spec(file));

    assertThat(data.featureColumns()).containsExactly("f0", "f1", "f2");
    assertThat(data.labelColumns()).containsExactly("label");
    assertThat(data.classes()).isEqualTo(3);
    assertThat(examples(data))
        .containsExactly(
            new Example(0, new float[] {0.5f, 0, 2}, new float[] {0, 1, 0}),
            new Example(1, new float[] {0, 1.5f, 0}, new float[] {1, 0, 0}),
            new Example(2, new float[] {-1, 0, 0}, new float[] {0, 0, 1}));

    Path regression = write("targets.libsvm", "0.25 2:4", "-1.5 1:1");
    TableData targets = TableData.load(spark, spec(regression, "task=regression"));
    assertThat(examples(targets))
        .containsExactly(
            new Example(0, new float[] {0, 4}, new float[] {0.25f}),
            new Example(1, new float[] {1, 0}, new float[] {-1.5f}));
  }

  @Test
  void rowIndexIdsFollowFileNamesAndRowsWhateverThePartitioning() throws IOException {
    // sizes deliberately not in name order: Spark's scan orders splits by size
    int[] rowsPerFile = {5, 20, 11};
    List<String> all = new ArrayList<>();
    all.add("x,pad,y");
    Path dir = tmp.resolve("three-files");
    int row = 0;
    for (int f = 0; f < rowsPerFile.length; f++) {
      List<String> lines = new ArrayList<>();
      lines.add("x,pad,y");
      for (int i = 0; i < rowsPerFile[f]; i++, row++) {
        String line = row + "," + (row * 7 % 13) + "," + (row % 3);
        lines.add(line);
        all.add(line);
      }
      write(dir.resolve("part-" + f + ".csv"), lines.toArray(new String[0]));
    }
    Path one = write("one-file.csv", all.toArray(new String[0]));

    TableData single = TableData.load(spark, spec(one, "label-columns=y"));
    TableData split;
    spark.conf().set("spark.sql.files.maxPartitionBytes", "40");
    spark.conf().set("spark.sql.files.openCostInBytes", "1");
    try {
      split = TableData.load(spark, spec(dir, "format=csv", "label-columns=y"));
    } finally {
      spark.conf().unset("spark.sql.files.maxPartitionBytes");
      spark.conf().unset("spark.sql.files.openCostInBytes");
    }

    assertThat(split.examples().getNumPartitions()).isGreaterThan(3);
    List<Example> examples = examples(split);
    assertThat(examples).hasSize(36).containsExactlyElementsOf(examples(single));
    for (Example e : examples) {
      assertThat(e.features()[0]).isEqualTo((float) e.sampleId());
    }
    assertThat(split.fingerprint()).isEqualTo(single.fingerprint());
    assertThat(split.labels().labels()).containsExactly(single.labels().labels());
  }

  @Test
  void fingerprintIsTheBuiltInIrisFingerprintForIrisReadFromCsv() throws IOException {
    Path file = tmp.resolve("iris.csv");
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(IrisData.RESOURCE)) {
      Files.write(file, in.readAllBytes());
    }
    TableData data =
        TableData.load(spark, spec(file, "csv.header=false", "label-columns=_c4", "classes=3"));

    assertThat(data.size()).isEqualTo(150);
    assertThat(data.fingerprint()).isEqualTo(IrisData.load().fingerprint(sc));
  }

  @Test
  void featureStatsArePopulationMeanAndStandardDeviation() throws IOException {
    Path file = write("stats.csv", "a,b,c,y", "1,2,-1,0", "2,2,1,1", "3,2,-1,0", "4,2,1,1");
    double[][] stats = TableData.load(spark, spec(file, "label-columns=y")).featureStats();

    // a: mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, variance 5 / 4
    assertThat(stats[0]).containsExactly(2.5, 2.0, 0.0);
    assertThat(stats[1]).containsExactly(Math.sqrt(1.25), 0.0, 1.0);
  }

  @Test
  void validationDataIsReadWithTheTrainingColumnsByName() throws IOException {
    TableData training =
        TableData.load(
            spark, spec(write("train.csv", "a,b,y", "1,2,0", "3,4,2"), "label-columns=y"));
    Path validation = write("validation.csv", "y,extra,b,a,key", "1,x,20,10,7", "0,y,40,30,9");

    TableData data =
        TableData.loadLike(
            spark, spec(validation, "label-columns=other", "id-column=key"), training);

    assertThat(data.featureColumns()).containsExactly("a", "b");
    assertThat(data.classes()).isEqualTo(3);
    assertThat(examples(data))
        .containsExactly(
            new Example(7, new float[] {10, 20}, new float[] {0, 1, 0}),
            new Example(9, new float[] {30, 40}, new float[] {1, 0, 0}));

    Path missing = write("validation-missing.csv", "y,a", "1,10");
    assertThatThrownBy(() -> TableData.loadLike(spark, spec(missing, "label-columns=y"), training))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Column 'b' of the training data "
                + tmp.resolve("train.csv")
                + " is missing in "
                + missing
                + ", which has columns y, a: validation data needs every feature and label column"
                + " of the training data");

    Path outside = write("validation-outside.csv", "a,b,y", "1,2,1", "1,2,3");
    assertThatThrownBy(() -> TableData.loadLike(spark, spec(outside, "label-columns=y"), training))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid class label '3' in column 'y' at row 1 of "
                + outside
                + ": expected an integer in [0, 3) (the classes of the training data "
                + tmp.resolve("train.csv")
                + ": key classes, or its largest label + 1); fix the label or set key classes");
  }

  @Test
  void libSvmValidationDataMayHaveFewerFeatures() throws IOException {
    TableData training = TableData.load(spark, spec(write("train.svm", "1 3:1", "0 1:2")));
    TableData data = TableData.loadLike(spark, spec(write("short.svm", "0 1:5")), training);

    assertThat(examples(data))
        .containsExactly(new Example(0, new float[] {5, 0, 0}, new float[] {1, 0}));
  }

  @Test
  void csvNumbersAreDecimalsWithNanAndInfinityInAnyCase() {
    assertThat(RowParser.decimal("1e5")).isEqualTo(1e5);
    assertThat(RowParser.decimal("+.5")).isEqualTo(0.5);
    assertThat(RowParser.decimal("-2.")).isEqualTo(-2.0);
    assertThat(RowParser.decimal("NaN")).isNaN();
    assertThat(RowParser.decimal("-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(RowParser.decimal("INF")).isEqualTo(Double.POSITIVE_INFINITY);
    for (String notDecimal : List.of("abc", "1f", "2d", "0x1p3", ".", "e5", "1e", "1-2", "+-1")) {
      assertThat(RowParser.decimal(notDecimal)).as(notDecimal).isNull();
    }
  }

  // ---- bad input

  @Test
  void rejectsAMissingFile() {
    Path file = tmp.resolve("nowhere/train.csv");
    assertRejected(
        spec(file, "label-columns=y"),
        "Cannot find data '"
            + file
            + "': no such file or folder; check the path (a local path or a Hadoop URI such as"
            + " file:/data/train.csv or hdfs://namenode/data/train/)");
  }

  @Test
  void rejectsAnUnknownColumnListingTheColumns() throws IOException {
    Path file = write("unknown.csv", "a,b,y", "1,2,0");
    assertRejected(
        spec(file, "label-columns=label"),
        "Unknown column 'label' in key label-columns: "
            + file
            + " has columns a, b, y (check csv.delimiter ',' and csv.header=true too); fix key label-columns");
    assertRejected(
        spec(file, "label-columns=y", "feature-columns=a,c"),
        "Unknown column 'c' in key feature-columns: "
            + file
            + " has columns a, b, y (check csv.delimiter ',' and csv.header=true too); fix key feature-columns");
    Path plain = write("unknown-plain.csv", "1,2,0");
    assertRejected(
        spec(plain, "label-columns=y", "csv.header=false"),
        "Unknown column 'y' in key label-columns: "
            + plain
            + " has columns _c0, _c1, _c2 (csv.header=false: Spark names them _c0, _c1, ...); fix"
            + " key label-columns");
  }

  @Test
  void rejectsANonNumericValueWithItsRowAndFile() throws IOException {
    Path file = write("text.csv", "a,b,y", "1,2,0", "3,abc,1");
    assertRejected(
        spec(file, "label-columns=y"),
        "Non-numeric value 'abc' in column 'b' at row 1 of "
            + file
            + ": expected a number; fix the value or leave the column out of key feature-columns");

    Path dir = tmp.resolve("text-folder");
    write(dir.resolve("part-0.csv"), "a,y", "1,0", "2,1", "3,0");
    write(dir.resolve("part-1.csv"), "a,y", "4,0", "0x10,1");
    assertRejected(
        spec(dir, "format=csv", "label-columns=y"),
        "Non-numeric value '0x10' in column 'a' at row 4 of "
            + dir
            + " (file part-1.csv, its row 1): expected a number; fix the value or leave the"
            + " column out of key feature-columns");
  }

  @Test
  void hintsAtCsvHeaderWhenTheFirstLineHoldsColumnNames() throws IOException {
    Path file = write("names.csv", "a,y", "1,0");
    assertRejected(
        spec(file, "label-columns=_c1", "csv.header=false"),
        "Non-numeric value 'a' in column '_c0' at row 0 of "
            + file
            + ": expected a number; fix the value or leave the column out of key feature-columns"
            + " (if the first line holds column names, set key csv.header=true)");
  }

  @Test
  void rejectsAMissingValueNamingTheId() throws IOException {
    Path file = write("gap.csv", "id,a,b,y", "10,1,2,0", "11,3,,1");
    assertRejected(
        spec(file, "label-columns=y", "id-column=id"),
        "Missing value in column 'b' at row 1 (id 11) of "
            + file
            + ": every feature, label and id needs a value; fill it in or remove the row");
    Path lastEmpty = write("last-empty.csv", "a,b,y", "1,2,0", "3,4,");
    assertRejected(
        spec(lastEmpty, "label-columns=y"),
        "Missing value in column 'y' at row 1 of "
            + lastEmpty
            + ": every feature, label and id needs a value; fill it in or remove the row");
  }

  @Test
  void rejectsACsvLineWithTooFewOrTooManyFields() throws IOException {
    Path few = write("few.csv", "a,b,y", "1,2,0", "3,4");
    assertRejected(
        spec(few, "label-columns=y"),
        "Malformed CSV line '3,4' at row 1 of "
            + few
            + ": expected 3 fields (a, b, y) separated by ','; fix the line or check key"
            + " csv.delimiter");
    Path many = write("many.csv", "1;2;0", "3;4;1;5");
    assertRejected(
        spec(many, "label-columns=_c2", "csv.header=false", "csv.delimiter=;"),
        "Malformed CSV line '3;4;1;5' at row 1 of "
            + many
            + ": expected 3 fields (_c0, _c1, _c2) separated by ';'; fix the line or check key"
            + " csv.delimiter");
  }

  @Test
  void rejectsCsvFilesWhoseHeadersDiffer() throws IOException {
    Path dir = tmp.resolve("headers");
    write(dir.resolve("a.csv"), "x,y", "1,0");
    write(dir.resolve("b.csv"), "y,x", "1,2");
    assertThatThrownBy(() -> TableData.load(spark, spec(dir, "format=csv", "label-columns=y")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read "
                + dir
                + " as csv: CSV header does not conform to the schema. Header: y, x Schema: x, y"
                + " Expected: x but found: y CSV file: file://"
                + dir
                + "/b.csv; every file needs the same header (the same columns in the same"
                + " order)");
  }

  @Test
  void rejectsAClassLabelThatIsNotAnIntegerOrOutsideTheClasses() throws IOException {
    Path fraction = write("fraction.csv", "a,y", "1,1.5", "2,0");
    assertRejected(
        spec(fraction, "label-columns=y"),
        "Invalid class label '1.5' in column 'y' at row 0 of "
            + fraction
            + ": expected an integer in [0, 100000) (key classes = 0: the number of classes is the"
            + " largest label + 1); fix the label (class labels are class indices; real-valued"
            + " targets need key task=regression)");
    Path negative = write("negative.csv", "a,y", "1,1", "2,-1");
    assertRejected(
        spec(negative, "label-columns=y"),
        "Invalid class label '-1' in column 'y' at row 1 of "
            + negative
            + ": expected an integer in [0, 100000) (key classes = 0: the number of classes is the"
            + " largest label + 1); fix the label (class labels are class indices; real-valued"
            + " targets need key task=regression)");
    Path three = write("three.csv", "a,y", "1,1", "2,3");
    assertRejected(
        spec(three, "label-columns=y", "classes=3"),
        "Invalid class label '3' in column 'y' at row 1 of "
            + three
            + ": expected an integer in [0, 3) (key classes = 3); fix the label or set key"
            + " classes");
  }

  @Test
  void rejectsNanAndInfiniteValues() throws IOException {
    Path nan = write("nan.csv", "a,y", "1,0", "NaN,1");
    assertRejected(
        spec(nan, "label-columns=y"),
        "NaN in column 'a' at row 1 of "
            + nan
            + ": features and labels must be finite numbers; fix the value or remove the row");
    Path inf = write("inf.csv", "a,y", "1,0.5", "2,-inf");
    assertRejected(
        spec(inf, "label-columns=y", "task=regression"),
        "Infinite value '-inf' in column 'y' at row 1 of "
            + inf
            + ": features and labels must be finite numbers; fix the value or remove the row");
    Path huge = write("huge.csv", "a,y", "1e39,0", "1,1");
    assertRejected(
        spec(huge, "label-columns=y"),
        "Value '1e39' outside the float32 range in column 'a' at row 0 of "
            + huge
            + ": features and labels are float32 (at most about 3.4e38 in magnitude); rescale the"
            + " column");
  }

  @Test
  void rejectsEmptyInput() throws IOException {
    Path headerOnly = write("header-only.csv", "a,y");
    assertRejected(
        spec(headerOnly, "label-columns=y"),
        "No rows in "
            + headerOnly
            + " (with csv.header=true the first line of each file holds column names): training"
            + " needs at least one example; check key data");
    Path nothing = tmp.resolve("nothing.svm");
    Files.write(nothing, new byte[0]);
    assertRejected(
        spec(nothing),
        "No rows in " + nothing + ": training needs at least one example; check key data");
  }

  @Test
  void rejectsDuplicateIdsNamingTheIdAndItsRows() throws IOException {
    Path file = write("twice.csv", "id,a,y", "7,1,0", "8,2,1", "7,3,0", "7,4,1", "8,5,0");
    assertRejected(
        spec(file, "label-columns=y", "id-column=id"),
        "Duplicate id 7 in column 'id' of "
            + file
            + ": it occurs 3 times (rows 0, 2, 3); sample ids must be unique: fix the ids or unset"
            + " key id-column to number rows by position");
  }

  @Test
  void rejectsAnIdThatIsNotIntegral() throws IOException {
    Path file = write("fraction-id.csv", "id,a,y", "1,1,0", "2.5,2,1");
    assertRejected(
        spec(file, "label-columns=y", "id-column=id"),
        "Invalid id '2.5' in column 'id' at row 1 of "
            + file
            + ": expected an integral number (a long); fix the id or unset key id-column to number"
            + " rows by position");
  }

  @Test
  void rejectsFewerThanTwoClasses() throws IOException {
    assertThatThrownBy(() -> spec(tmp.resolve("x.csv"), "label-columns=y", "classes=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid classes '1': expected 0 (the largest training label + 1) or 2..100000");
    Path file = write("one-class.csv", "a,y", "1,0", "2,0");
    assertRejected(
        spec(file, "label-columns=y"),
        "Only class 0 in label column 'y' of "
            + file
            + ": classification needs at least 2 classes; check key label-columns, or set key"
            + " classes (>= 2) if this data lacks some classes");
  }

  @Test
  void rejectsALabelColumnThatIsAlsoAFeature() {
    assertThatThrownBy(
            () ->
                spec(
                    tmp.resolve("x.csv"),
                    "task=regression",
                    "label-columns=y,z",
                    "feature-columns=a,z"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Column 'z' is both a label (label-columns) and a feature (feature-columns): the"
                + " network would be given its own target; remove it from feature-columns");
  }

  @Test
  void rejectsTheLibSvmLabelAsAFeature() throws IOException {
    Path file = write("label-feature.svm", "1 1:2", "0 1:3");
    assertRejected(
        spec(file, "feature-columns=f0,label"),
        "Column 'label' is both a label (label-columns) and a feature (feature-columns): the"
            + " network would be given its own target; remove it from feature-columns");
  }

  @Test
  void rejectsInvalidKeyValues() {
    Path csv = tmp.resolve("x.csv");
    assertThatThrownBy(() -> spec(tmp.resolve("folder"), "label-columns=y"))
        .hasMessage(
            "Cannot tell the format of data '"
                + tmp.resolve("folder")
                + "' from its name (a folder, or a file not ending in .csv, .parquet, .libsvm or"
                + " .svm): set key format to csv, parquet or libsvm");
    assertThatThrownBy(() -> spec(csv, "format=json", "label-columns=y"))
        .hasMessage("Invalid format 'json': expected auto, csv, parquet or libsvm");
    assertThatThrownBy(() -> spec(csv, "task=ranking", "label-columns=y"))
        .hasMessage("Invalid task 'ranking': expected classification or regression");
    assertThatThrownBy(() -> spec(csv, "label-columns=y", "csv.header=yes"))
        .hasMessage(
            "Invalid csv.header 'yes': expected true (each file starts with column names) or"
                + " false");
    assertThatThrownBy(() -> spec(csv, "label-columns=y", "classes=three"))
        .hasMessage(
            "Invalid classes 'three': expected 0 (the largest training label + 1) or 2..100000");
    assertThatThrownBy(() -> spec(csv))
        .hasMessage(
            "Invalid label-columns '': expected the label column (classification) or columns"
                + " (regression), comma-separated");
    assertThatThrownBy(() -> spec(csv, "label-columns=y1,y2"))
        .hasMessage(
            "Invalid label-columns 'y1,y2': expected exactly one column of class indices for task"
                + " classification (use task regression for several targets)");
    assertThatThrownBy(() -> spec(csv, "label-columns=y", "feature-columns=a,,b"))
        .hasMessage("Invalid feature-columns 'a,,b': expected column names separated by commas");
    assertThatThrownBy(() -> spec(csv, "label-columns=y", "task=regression", "classes=3"))
        .hasMessage(
            "Invalid classes '3': expected 0 with task regression (classes applies to"
                + " classification only)");
    assertThatThrownBy(() -> spec(tmp.resolve("x.svm"), "label-columns=y"))
        .hasMessage(
            "Invalid label-columns 'y': expected no value or 'label' for libsvm data (its label is"
                + " the first number of each line)");
  }

  @Test
  void rejectsAParquetIdColumnThatIsNotNumeric() {
    StructType schema =
        new StructType()
            .add("key", DataTypes.StringType)
            .add("a", DataTypes.DoubleType)
            .add("y", DataTypes.IntegerType);
    String dir = tmp.resolve("string-id").toString();
    spark.createDataFrame(List.of(RowFactory.create("k", 1.0, 0)), schema).write().parquet(dir);
    assertRejected(
        spec(Path.of(dir), "format=parquet", "label-columns=y", "id-column=key"),
        "Id column 'key' of "
            + dir
            + " has type string: sample ids must be integral numbers; convert it or unset key"
            + " id-column to number rows by position");
  }

  @Test
  void rejectsAParquetNullAsAMissingValue() {
    StructType schema =
        new StructType().add("a", DataTypes.DoubleType).add("y", DataTypes.IntegerType);
    String dir = tmp.resolve("nulls.parquet").toString();
    Dataset<Row> df =
        spark.createDataFrame(
            List.of(RowFactory.create(1.0, 0), RowFactory.create(null, 1)), schema);
    df.coalesce(1).write().parquet(dir);
    assertRejected(
        spec(Path.of(dir), "label-columns=y"),
        "Missing value in column 'a' at row 1 of "
            + dir
            + " (file "
            + firstPartFile(dir)
            + ", its row 1): every feature, label and id needs a value; fill it in or remove the"
            + " row");
  }

  // ---- helpers

  private static void assertRejected(TableSpec spec, String message) {
    assertThatThrownBy(() -> TableData.load(spark, spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  /** A spec from {@code key=value} strings, as the job's configuration gives them. */
  private static TableSpec spec(Path data, String... keyValues) {
    JobConfig.Builder config = JobConfig.builder();
    for (String kv : keyValues) {
      config.setAssignment(kv);
    }
    return TableSpec.of(data.toString(), config.build());
  }

  private static List<Example> examples(TableData data) {
    List<Example> all = new ArrayList<>(data.examples().collect());
    all.sort(Comparator.comparingLong(Example::sampleId));
    return all;
  }

  private static Path write(String name, String... lines) throws IOException {
    return write(tmp.resolve(name), lines);
  }

  private static Path write(Path file, String... lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return file;
  }

  private static String firstPartFile(String dir) {
    try (var files = Files.list(Path.of(dir))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("part-"))
          .sorted()
          .findFirst()
          .orElseThrow();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
