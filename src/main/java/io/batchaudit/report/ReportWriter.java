package io.batchaudit.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link ReportData} as one self-contained HTML page: inline CSS, inline SVG charts, no
 * script, no fonts, images or styles fetched from anywhere, so the file opens offline and can be
 * mailed or archived as is.
 *
 * <p>The page is built by {@link Html}, which escapes every text and attribute value: what the log,
 * its configuration and its paths hold can show on the page, never act on it. Each part of the page
 * is a {@link PageSection}: the summary cards, the run, loss, accuracy (classification) or
 * predictions against targets (regression), coverage, highest losses, and for classification the
 * training dynamics (Data Map, forgetting events, likely mislabeled) when the caller computed them.
 */
public final class ReportWriter {
  private static final String CSS =
      """
      body{font-family:Helvetica,Arial,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
      header{background:#1d2b45;color:#fff;padding:20px 32px}
      header h1{margin:0 0 6px;font-size:24px}
      header p{margin:0;color:#c8d1e3;font-size:13px;word-break:break-all}
      main{padding:8px 32px 40px;max-width:1500px}
      section{background:#fff;border:1px solid #dde1e8;border-radius:8px;margin:18px 0;padding:12px 20px}
      h2{font-size:19px;margin:8px 0 10px}
      h3{font-size:15px;margin:16px 0 6px}
      .cards{display:flex;flex-wrap:wrap;gap:12px;margin:18px 0}
      .card{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:10px 16px;min-width:150px}
      .card .v{font-size:22px;font-weight:bold}
      .card .k{font-size:12px;color:#5a6478;text-transform:uppercase;letter-spacing:.04em}
      .ok{color:#1f7a3a}.bad{color:#b42318}.warning{color:#8a5a00}.muted{color:#5a6478}
      table{border-collapse:collapse;font-size:13px;margin:6px 0 10px}
      th,td{border-bottom:1px solid #e6e9ef;padding:4px 10px;text-align:left;vertical-align:top}
      th{background:#f0f2f6}
      td.n{text-align:right;font-variant-numeric:tabular-nums}
      td.arr{font-family:Menlo,Consolas,monospace;font-size:12px;max-width:420px;word-break:break-all}
      figure{margin:10px 0 18px}
      figcaption{font-size:12px;color:#5a6478;max-width:720px;margin-top:2px}
      .grid{display:flex;flex-wrap:wrap;gap:10px 24px}
      .ids{font-family:Menlo,Consolas,monospace;font-size:12px}
      details summary{cursor:pointer;font-size:13px;color:#33415c}
      """;

  private ReportWriter() {}

  /** The page of {@code data}. */
  public static String html(ReportData data) {
    ReportData.RunFacts run = data.run();
    Html page = new Html().doctype().open("html", "lang", "en");
    page.open("head")
        .empty("meta", "charset", "utf-8")
        .empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
        .element("title", "batch-audit report: run " + run.runId())
        .style(CSS)
        .close();
    page.open("body");
    page.open("header")
        .element("h1", "Training audit: run " + run.runId())
        .element("p", run.dataSource() + " \u00b7 " + run.location())
        .close();
    page.open("main");
    for (PageSection section : sections(data.task())) {
      section.render(data, page);
    }
    page.open("p", "class", "muted")
        .text(
            "Written by batch-audit report from the committed log; epochs, rounds, batches and"
                + " partitions are 0-based as in the log.")
        .close();
    page.close(); // main
    page.close(); // body
    return page.close().finish(); // html
  }

  /**
   * The sections of the page, in page order; the task decides the one between loss and coverage.
   */
  private static List<PageSection> sections(ReportData.Task task) {
    List<PageSection> sections = new ArrayList<>();
    sections.add(new SummaryCards());
    sections.add(new RunSection());
    sections.add(new LossSection());
    switch (task) {
      case CLASSIFICATION -> sections.add(new ClassificationSection());
      case REGRESSION -> sections.add(new RegressionSection());
      case UNKNOWN -> {}
    }
    sections.add(new CoverageSection());
    sections.add(new TopLossSection());
    if (task == ReportData.Task.CLASSIFICATION) {
      sections.add(new DynamicsSection());
    }
    return List.copyOf(sections);
  }

  /**
   * Writes the page of {@code data} to {@code file}, which must not exist: to a temporary file
   * beside it first, then moved into place, so {@code file} is either the complete page or not
   * there.
   */
  public static void write(ReportData data, Path file) {
    write(data, file, false);
  }

  /** {@link #write}, replacing {@code file} if it exists (atomically: old page or new page). */
  public static void replace(ReportData data, Path file) {
    write(data, file, true);
  }

  private static void write(ReportData data, Path file, boolean overwrite) {
    Path target = file.toAbsolutePath();
    if (Files.exists(target) && !overwrite) {
      throw new IllegalArgumentException(
          "Report file " + target + " already exists: pass --overwrite to replace it");
    }
    if (Files.isDirectory(target)) {
      throw new IllegalArgumentException(
          "Report file " + target + " is a folder: give a file name, for example report.html");
    }
    try {
      Files.createDirectories(target.getParent());
      // not Files.createTempFile: its files are private (0600); the report gets the umask's mode
      Path tmp =
          target.resolveSibling(
              "." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
      try {
        Files.writeString(tmp, html(data), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write report " + target + ": " + e.getMessage(), e);
    }
  }
}
