package io.batchaudit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * target/report-screenshot-regression.png}. Positive controls: small pages that log to the console,
 * throw, or miss an image fail the same check.
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

  /**
   * The page logged nothing to the console, had no script error, and fetched nothing (nothing
   * loaded, nothing failed to load). The positive controls below prove it fails on each.
   */
  private static void assertSilentAndOffline(Chromium.Rendered page) {
    assertThat(page.consoleLines()).as("console output of the page").isEmpty();
    assertThat(page.resourcesFetched()).as("resources the page fetched").isZero();
    assertThat(page.failures()).as("resources that failed to load, script errors").isEmpty();
  }

  private static void assertEveryChartDrew(Chromium.Rendered page, List<String> titles) {
    assertSilentAndOffline(page);
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

  /** A page shaped like the report (head, body, one drawn chart) with {@code extra} in its body. */
  private static Path controlPage(String name, String extra) throws Exception {
    Path html = tmp.resolve(name + ".html");
    Files.writeString(
        html,
        """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>control</title></head>
        <body>
        <svg class="chart" aria-label="Control chart" width="200" height="100">
        <rect x="10" y="10" width="50" height="50"></rect></svg>
        %s
        </body></html>
        """
            .formatted(extra));
    return html;
  }

  @Test
  void silentPageWithoutTheFaultPassesTheCheck() throws Exception {
    Chromium.Rendered page = Chromium.render(controlPage("control-silent", ""), tmp);
    assertSilentAndOffline(page);
    assertThat(page.drawnCharts()).containsExactly("Control chart=1");
  }

  @Test
  void consoleCheckCatchesAPageThatLogsToTheConsole() throws Exception {
    Chromium.Rendered page =
        Chromium.render(
            controlPage(
                "control-console",
                "<script>console.log('control: logged'); console.error('control: error')</script>"),
            tmp);
    assertThat(page.consoleLines())
        .anySatisfy(l -> assertThat(l).contains("control: logged"))
        .anySatisfy(l -> assertThat(l).contains("control: error"));
    assertThatThrownBy(() -> assertSilentAndOffline(page))
        .hasMessageContaining("console output of the page")
        .hasMessageContaining("control: logged");
  }

  @Test
  void consoleCheckCatchesAScriptError() throws Exception {
    Chromium.Rendered page =
        Chromium.render(
            controlPage("control-error", "<script>throw new Error('control: boom')</script>"), tmp);
    assertThat(page.failures()).contains("control: boom");
    assertThatThrownBy(() -> assertSilentAndOffline(page)).hasMessageContaining("control: boom");
  }

  @Test
  void consoleCheckCatchesAResourceThatFailedToLoad() throws Exception {
    Chromium.Rendered page =
        Chromium.render(
            controlPage("control-missing", "<img src=\"control-missing-image.png\" alt=\"\">"),
            tmp);
    assertThat(page.failures()).contains("control-missing-image.png");
    assertThatThrownBy(() -> assertSilentAndOffline(page))
        .hasMessageContaining("control-missing-image.png");
  }

  @Test
  void chromiumIsFoundOnPathLikeCommandV() throws Exception {
    Path first = Files.createDirectories(tmp.resolve("path-first"));
    Path second = Files.createDirectories(tmp.resolve("path-second"));
    Files.writeString(first.resolve("chromium"), "not executable");
    Path found = Files.writeString(second.resolve("chromium"), "#!/bin/sh\n");
    found.toFile().setExecutable(true);
    Files.createDirectories(tmp.resolve("path-dir/chromium")); // a folder is not a command

    assertThat(Chromium.onPath("chromium", tmp.resolve("path-dir") + ":" + first + ":" + second))
        .isEqualTo(found);
    assertThat(Chromium.onPath("chromium", first.toString())).isNull();
    assertThat(Chromium.onPath("chromium", null)).isNull();
    assertThat(Chromium.missingMessage("/bin:/usr/bin"))
        .isEqualTo(
            "No chromium on PATH (/bin:/usr/bin): the report's browser test needs Chromium."
                + " README's test command, jobs/test, installs it; or install it yourself with"
                + " 'apt-get install -y chromium'");
  }
}
