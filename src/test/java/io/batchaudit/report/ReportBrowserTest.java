package io.batchaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.cli.CliRunner;
import io.batchaudit.testing.SparkTests;
import io.batchaudit.testing.TestRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of real training runs (Spark local mode), rendered in headless Chromium with name
 * resolution disabled: every chart draws, the page logs nothing to the console, and it needs no
 * network. Keeps {@code target/report-screenshot.png} (classification) and {@code
 * target/report-screenshot-regression.png}.
 */
class ReportBrowserTest {
  @TempDir static Path tmp;
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    Chromium.require(); // fail before training when the browser is missing
    sc = SparkTests.localContext("ReportBrowserTest");
  }

  @AfterAll
  static void stop() {
    if (sc != null) {
      sc.stop();
    }
  }

  private static Path trainAndReport(String name, String... settings) throws Exception {
    Path out = tmp.resolve(name);
    TestRuns.train(sc, out, settings);
    Path html = tmp.resolve(name + ".html");
    CliRunner.Result r =
        CliRunner.run("report", out.resolve("audit").toString(), "--out", html.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("report of run ").contains("verification OK");
    return html;
  }

  /** Nothing on the page is fetched: no script, stylesheet, image or font from anywhere. */
  private static void assertSelfContained(String html) {
    assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("<img");
    assertThat(html).doesNotContainPattern(Pattern.compile("\\s(src|href)="));
    assertThat(html).doesNotContainPattern(Pattern.compile("url\\("));
    assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""))
        .doesNotContain("http://")
        .doesNotContain("https://");
  }

  private static void assertEveryChartDrew(Chromium.Rendered page, List<String> titles) {
    assertThat(page.consoleLines()).as("console output of the page").isEmpty();
    assertThat(page.resourcesFetched()).as("resources the page fetched").isZero();
    assertThat(page.failures()).as("resources that failed to load, script errors").isEmpty();
    assertThat(page.badCharts()).as("charts that drew nothing").isEmpty();
    assertThat(page.charts()).isGreaterThanOrEqualTo(titles.size());
    List<String> drawn = page.drawnCharts();
    assertThat(drawn).hasSize(page.charts());
    for (String title : titles) {
      assertThat(drawn)
          .as("chart '%s' in %s", title, drawn)
          .anySatisfy(d -> assertThat(d).matches(Pattern.quote(title) + ".*=[1-9]\\d*"));
    }
  }

  @Test
  void classificationReportDrawsLossAccuracyConfusionAndCoverageChartsOffline() throws Exception {
    Path html =
        trainAndReport(
            "iris",
            "data=iris",
            "validation-data=synthetic:rows=60,features=4,classes=3,seed=9",
            "epochs=3",
            "learning-rate=0.05",
            "audit.loss=true");
    String text = Files.readString(html);
    assertSelfContained(text);
    assertThat(text)
        .contains("3 of 3 <span class=\"muted\">+ 3 validation</span>")
        .contains("validation score")
        .contains("validation accuracy")
        .contains("Confusion matrix per epoch")
        .contains("Highest loss in the last epoch")
        .contains("loss column (recorded per example")
        .contains("never-trained sample ids");

    Chromium.Rendered page = Chromium.render(html, tmp);
    assertEveryChartDrew(
        page,
        List.of(
            "Minibatch score per step",
            "Score per epoch",
            "Accuracy per epoch",
            "Epoch 0: accuracy ",
            "Epoch 2: accuracy ",
            "Examples trained per epoch"));
    assertThat(page.drawnCharts().stream().filter(c -> c.startsWith("Epoch ")).count())
        .as("one confusion matrix per epoch")
        .isEqualTo(3);

    Path png = Path.of("target", "report-screenshot.png");
    Files.deleteIfExists(png);
    Chromium.screenshot(html, png, 5000, tmp);
    assertThat(Files.size(png)).isGreaterThan(50_000);
  }

  @Test
  void regressionReportDrawsPredictedAgainstTargetAndErrorHistograms() throws Exception {
    Path html =
        trainAndReport("regression", "data=synthetic:rows=320,features=4,outputs=2", "epochs=3");
    String text = Files.readString(html);
    assertSelfContained(text);
    assertThat(text)
        .contains("regression (2 outputs)")
        .contains("squared error summed over the outputs, computed")
        .doesNotContain("Confusion matrix");

    Chromium.Rendered page = Chromium.render(html, tmp);
    assertEveryChartDrew(
        page,
        List.of(
            "Minibatch score per step",
            "Score per epoch",
            "Predicted against target",
            "Error distribution, epoch 2",
            "Error distribution per epoch",
            "Mean squared error per epoch",
            "Examples trained per epoch"));

    Path png = Path.of("target", "report-screenshot-regression.png");
    Files.deleteIfExists(png);
    Chromium.screenshot(html, png, 4200, tmp);
    assertThat(Files.size(png)).isGreaterThan(50_000);
  }
}
