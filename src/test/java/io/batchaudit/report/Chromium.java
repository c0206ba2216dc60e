package io.batchaudit.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium for the report tests: renders a page with network name resolution disabled (an
 * offline page must not need it), dumps the DOM after an injected check script ran, collects the
 * console messages, and takes screenshots. Fails, never skips, when Chromium is missing.
 */
final class Chromium {
  /**
   * The {@code chromium} that {@code command -v chromium} finds: the first executable of that name
   * in a directory of {@code PATH}, as jobs/test and .ci/run find it; null when there is none.
   */
  static final Path BINARY = onPath("chromium", System.getenv("PATH"));

  /**
   * Inserted first in {@code <head>} of a copy of the page: records every resource that failed to
   * load (scripts, styles, images, fonts: a self-contained page has none) and every script error.
   */
  private static final String HOOK =
      """
      <script>
      window.__failures = [];
      window.addEventListener('error', function (e) {
        var t = e.target;
        window.__failures.push((t && (t.src || t.href)) || String(e.message));
      }, true);
      </script>
      """;

  /**
   * Appended before {@code </body>} of the copy, run when the page has loaded: marks each {@code
   * svg.chart} with the number of drawn data marks (polyline, rect, circle outside the legend)
   * whose box is not empty, and its own size; records on {@code <body>} the charts, the ones that
   * drew nothing, how many resources the page fetched and what failed.
   */
  private static final String CHECK =
      """
      <script>
      window.addEventListener('load', function () {
        var charts = document.querySelectorAll('svg.chart');
        var bad = [];
        charts.forEach(function (svg) {
          var box = svg.getBoundingClientRect();
          var drawn = 0;
          svg.querySelectorAll('polyline, rect, circle').forEach(function (e) {
            if (e.closest('.legend')) { return; }
            var b = e.getBBox();
            if (b.width > 0 || b.height > 0) { drawn++; }
          });
          svg.setAttribute('data-drawn', String(drawn));
          svg.setAttribute('data-box', Math.round(box.width) + 'x' + Math.round(box.height));
          if (!(drawn > 0 && box.width > 0 && box.height > 0)) {
            bad.push(svg.getAttribute('aria-label'));
          }
        });
        document.body.setAttribute('data-charts', String(charts.length));
        document.body.setAttribute('data-bad-charts', bad.join(' | '));
        document.body.setAttribute(
            'data-resources', String(performance.getEntriesByType('resource').length));
        document.body.setAttribute('data-failures', window.__failures.join(' | '));
        document.body.setAttribute('data-checked', 'yes');
      });
      </script>
      """;

  /** What the rendered page said. */
  record Rendered(
      String dom,
      String log,
      int charts,
      String badCharts,
      int resourcesFetched,
      String failures,
      List<String> consoleLines) {
    /** The {@code data-drawn} count of every chart, keyed by its title, in page order. */
    List<String> drawnCharts() {
      List<String> out = new ArrayList<>();
      Matcher m =
          Pattern.compile(
                  "<svg class=\"chart\"[^>]*?aria-label=\"([^\"]*)\"[^>]*?data-drawn=\"(\\d+)\"")
              .matcher(dom);
      while (m.find()) {
        out.add(m.group(1) + "=" + m.group(2));
      }
      return out;
    }
  }

  private Chromium() {}

  /**
   * The first regular, executable file {@code name} in the directories of {@code path} (a {@code
   * PATH} value, entries separated by ':'; an empty entry is the working directory, as in the
   * shell), or null.
   */
  static Path onPath(String name, String path) {
    if (path == null) {
      return null;
    }
    for (String dir : path.split(":", -1)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Fails with how to install Chromium when it is not on PATH. */
  static void require() {
    if (BINARY == null) {
      throw new AssertionError(missingMessage(System.getenv("PATH")));
    }
  }

  static String missingMessage(String path) {
    return "No chromium on PATH ("
        + path
        + "): the report's browser test needs Chromium. README's test command, jobs/test,"
        + " installs it; or install it yourself with 'apt-get install -y chromium'";
  }

  /** Renders a checked copy of {@code page} and returns its DOM and console output. */
  static Rendered render(Path page, Path work) {
    require();
    try {
      String html = Files.readString(page);
      Path copy = work.resolve("checked-" + page.getFileName());
      if (!html.contains("<head>") || !html.contains("</body>")) {
        throw new AssertionError(page + " has no <head> or </body> to put the check into");
      }
      Files.writeString(
          copy, html.replace("<head>", "<head>\n" + HOOK).replace("</body>", CHECK + "</body>"));
      Result r =
          run(
              work,
              List.of("--enable-logging=stderr", "--v=0", "--dump-dom", copy.toUri().toString()));
      List<String> console =
          r.stderr().lines().filter(l -> l.contains("CONSOLE") || l.contains("Uncaught")).toList();
      Matcher charts = Pattern.compile("data-charts=\"(\\d+)\"").matcher(r.stdout());
      Matcher bad = Pattern.compile("data-bad-charts=\"([^\"]*)\"").matcher(r.stdout());
      Matcher resources = Pattern.compile("data-resources=\"(\\d+)\"").matcher(r.stdout());
      Matcher failures = Pattern.compile("data-failures=\"([^\"]*)\"").matcher(r.stdout());
      if (!r.stdout().contains("data-checked=\"yes\"")
          || !charts.find()
          || !bad.find()
          || !resources.find()
          || !failures.find()) {
        throw new AssertionError(
            "The check script did not run in Chromium (exit "
                + r.code()
                + "); stderr:\n"
                + r.stderr());
      }
      return new Rendered(
          r.stdout(),
          r.stderr(),
          Integer.parseInt(charts.group(1)),
          bad.group(1),
          Integer.parseInt(resources.group(1)),
          failures.group(1),
          console);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Screenshots {@code page} at 1400 x {@code height} pixels into {@code png}. */
  static void screenshot(Path page, Path png, int height, Path work) {
    require();
    Result r =
        run(
            work,
            List.of(
                "--hide-scrollbars",
                "--window-size=1400," + height,
                "--screenshot=" + png.toAbsolutePath(),
                page.toUri().toString()));
    if (!Files.isRegularFile(png)) {
      throw new AssertionError(
          "Chromium wrote no screenshot " + png + " (exit " + r.code() + "):\n" + r.stderr());
    }
  }

  private record Result(int code, String stdout, String stderr) {}

  private static Result run(Path work, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(BINARY.toString());
    cmd.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--user-data-dir=" + work.resolve("chromium-profile").toAbsolutePath()));
    cmd.addAll(args);
    try {
      Path out = Files.createTempFile(work, "chromium", ".out");
      Path err = Files.createTempFile(work, "chromium", ".err");
      Process p =
          new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError(
            "Chromium did not finish within 120 s: " + cmd + "\n" + Files.readString(err));
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + cmd + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
