package io.batchaudit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules each package's {@code package-info.java} states, enforced: a forbidden arrow
 * fails the build instead of waiting for a reviewer. Data flows one way: config, source -> train ->
 * capture -> store <- read <- dynamics, report, cli (cli calls dynamics and hands its results to
 * report); inside store, table -> parquet -> hadoop, all three over the store's records; internal
 * is below everything, bench above it all.
 */
class PackageRulesTest {
  private static final String DL4J = "org.deeplearning4j..";
  private static final String ND4J = "org.nd4j..";
  private static final String SPARK = "org.apache.spark..";
  private static final String PARQUET = "org.apache.parquet..";
  private static final String HADOOP = "org.apache.hadoop..";
  private static final String STORE_TABLE = "io.batchaudit.store.table..";
  private static final String STORE_PARQUET = "io.batchaudit.store.parquet..";
  private static final String STORE_HADOOP = "io.batchaudit.store.hadoop..";

  private static JavaClasses main;

  @BeforeAll
  static void importTheApplicationsClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.batchaudit");
    assertThat(main.stream().map(c -> c.getPackageName()).distinct())
        .contains(
            "io.batchaudit.config",
            "io.batchaudit.source",
            "io.batchaudit.train",
            "io.batchaudit.capture",
            "io.batchaudit.store",
            "io.batchaudit.store.hadoop",
            "io.batchaudit.store.parquet",
            "io.batchaudit.store.table",
            "io.batchaudit.read",
            "io.batchaudit.dynamics",
            "io.batchaudit.report",
            "io.batchaudit.cli",
            "io.batchaudit.internal");
  }

  private static String[] ours(String... names) {
    return Stream.of(names).map(n -> "io.batchaudit." + n + "..").toArray(String[]::new);
  }

  @Test
  void packagesFormNoCycle() {
    slices().matching("io.batchaudit.(*)..").should().beFreeOfCycles().check(main);
  }

  @Test
  void internalDependsOnNoOtherPackageOfTheProject() {
    noClasses()
        .that()
        .resideInAPackage("io.batchaudit.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            ours(
                "config",
                "source",
                "train",
                "capture",
                "store",
                "read",
                "dynamics",
                "report",
                "cli",
                "bench"))
        .check(main);
  }

  @Test
  void configKnowsNoEngine() {
    noClasses()
        .that()
        .resideInAPackage("io.batchaudit.config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(DL4J, ND4J, SPARK, PARQUET)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(
            ours(
                "source",
                "train",
                "capture",
                "store",
                "read",
                "dynamics",
                "report",
                "cli",
                "bench"))
        .check(main);
  }

  @Test
  void sourceReadsInputsWithSparkSqlAndKnowsNoDl4j() {
    noClasses()
        .that()
        .resideInAPackage("io.batchaudit.source..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(DL4J, ND4J)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(ours("train", "capture", "read", "dynamics", "report", "cli", "bench"))
        .check(main);
  }

  @Test
  void trainIsBelowReadReportAndCli() {
    noClasses()
        .that()
        .resideInAPackage("io.batchaudit.train..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ours("read", "dynamics", "report", "cli", "bench"))
        .check(main);
  }

  @Test
  void captureKnowsDl4jAndSparkButNotParquetNorTheJob() {
    noClasses()
        .that()
        .resideInAPackage("io.batchaudit.capture..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(PARQUET)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(ours("source", "train", "read", "dynamics", "report", "cli", "bench"))
        .check(main);
  }

  @Test
  void storeKnowsHadoopAndParquetButNoTrainingEngine() {
    noClasses()
        .that()
        .resideInAPackage("io.batchaudit.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(DL4J, ND4J, SPARK)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(
            ours(
                "config",
                "source",
                "train",
                "capture",
                "read",
                "dynamics",
                "report",
                "cli",
                "bench"))
        .check(main);
  }

  @Test
  void storesPartsFormNoCycle() {
    slices().matching("io.batchaudit.store.(*)..").should().beFreeOfCycles().check(main);
  }

  /** The records every package speaks (batches, keys, manifests) depend on no part of the store. */
  @Test
  void storesRecordsKnowNoPartOfTheStoreAndNoFileSystem() {
    noClasses()
        .that()
        .resideInAPackage("io.batchaudit.store")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(STORE_TABLE, STORE_PARQUET, STORE_HADOOP)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(PARQUET, HADOOP)
        .check(main);
  }

  @Test
  void hadoopPlumbingKnowsNoOtherPartOfTheStore() {
    noClasses()
        .that()
        .resideInAPackage(STORE_HADOOP)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.batchaudit.store", STORE_TABLE, STORE_PARQUET)
        .check(main);
  }

  /** The file format reads and writes audit files; which files are committed is the table's. */
  @Test
  void theFileFormatKnowsNothingOfTheTableOrItsCommitProtocol() {
    noClasses()
        .that()
        .resideInAPackage(STORE_PARQUET)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(STORE_TABLE)
        .check(main);
  }

  /** Capture hands batches to the table's staging; the file format is none of its business. */
  @Test
  void captureAndReportKnowNoAuditFileFormat() {
    noClasses()
        .that()
        .resideInAnyPackage(ours("capture", "report"))
        .should()
        .dependOnClassesThat()
        .resideInAPackage(STORE_PARQUET)
        .check(main);
  }

  @Test
  void readIsOverTheStoreWithoutTrainingCode() {
    noClasses()
        .that()
        .resideInAPackage("io.batchaudit.read..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(DL4J, ND4J)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(
            ours("config", "source", "train", "capture", "dynamics", "report", "cli", "bench"))
        .check(main);
  }

  @Test
  void dynamicsIsASparkJobOverTheReadSideWithoutTrainingCodeReportOrCli() {
    noClasses()
        .that()
        .resideInAPackage("io.batchaudit.dynamics..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(DL4J, ND4J)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(ours("config", "source", "train", "capture", "report", "cli", "bench"))
        .check(main);
  }

  @Test
  void reportReadsThroughReadAndStoreOnly() {
    noClasses()
        .that()
        .resideInAPackage("io.batchaudit.report..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(DL4J, ND4J, SPARK, PARQUET)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(
            ours("config", "source", "train", "capture", "dynamics", "cli", "bench"))
        .check(main);
  }

  @Test
  void nothingOfTheApplicationDependsOnTheBenchmarks() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.batchaudit.bench..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.batchaudit.bench..")
        .check(main);
  }

  /**
   * Only {@code store.table} builds the paths of run files (messages may still mention them):
   * {@code AuditLayout} and {@code RunSummaryFile} hold those names.
   */
  @Test
  void onlyTheStoreNamesTheRunFiles() throws IOException {
    // a literal that is a run file's name is a path being built; messages that mention one are not
    Pattern literal = Pattern.compile("\"(run|run-end|summary|_manifest)\\.json\"");
    List<String> offenders;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      offenders =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> !p.startsWith(Path.of("src/main/java/io/batchaudit/store/table")))
              .filter(p -> literal.matcher(code(p)).find())
              .map(Path::toString)
              .toList();
    }
    assertThat(offenders).isEmpty();
  }

  /** A file's code without comments (a rough strip: enough for this project's sources). */
  private static String code(Path p) {
    try {
      return Files.readString(p).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
