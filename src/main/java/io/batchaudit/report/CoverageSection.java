package io.batchaudit.report;

import io.batchaudit.read.Coverage;
import java.util.List;
import java.util.stream.Collectors;

/**
 * "Coverage": per training epoch, the source examples trained never, once or more than once, with
 * the smallest never-trained ids.
 */
final class CoverageSection implements PageSection {
  @Override
  public void render(ReportData data, Html page) {
    ReportData.CoverageFacts cov = data.coverage();
    page.open("section", "id", "coverage").element("h2", "Coverage");
    if (cov.epochs().isEmpty()) {
      page.open("p", "class", "muted").text("No coverage: " + cov.basis()).close();
      page.close();
      return;
    }
    List<String> names = cov.epochs().stream().map(c -> Integer.toString(c.epoch())).toList();
    BarChart bars =
        new BarChart("Examples trained per epoch", "epoch", "source examples", names)
            .stacked()
            .series(
                "never",
                cov.epochs().stream().mapToDouble(Coverage.EpochCoverage::neverTrained).toArray(),
                "#e15759")
            .series(
                "once",
                cov.epochs().stream().mapToDouble(Coverage.EpochCoverage::trainedOnce).toArray(),
                "#59a14f")
            .series(
                "more than once",
                cov.epochs().stream()
                    .mapToDouble(Coverage.EpochCoverage::trainedMoreThanOnce)
                    .toArray(),
                "#f28e2b");
    PageParts.figure(
        page,
        bars.toSvg(),
        "How many source examples each training epoch trained never, once or more than once ("
            + cov.basis()
            + "). DL4J's parameter averaging trains at most averaging-frequency x batch-size"
            + " examples per worker and round and skips the rest of its split.");
    List<String> warnings = Coverage.untrainedWarnings(cov.epochs());
    if (!warnings.isEmpty()) {
      page.open("ul", "class", "warnings");
      warnings.forEach(w -> page.open("li", "class", "warning").text(w).close());
      page.close();
    }
    page.open("table").open("tr");
    page.element("th", "epoch")
        .element("th", "never")
        .element("th", "once")
        .element("th", "more than once")
        .element("th", "outside source")
        .element("th", "never-trained sample ids (smallest " + Coverage.SAMPLE_LIMIT + ")");
    page.close();
    for (Coverage.EpochCoverage c : cov.epochs()) {
      page.open("tr");
      PageParts.number(page, c.epoch());
      PageParts.number(page, c.neverTrained());
      PageParts.number(page, c.trainedOnce());
      PageParts.number(page, c.trainedMoreThanOnce());
      PageParts.number(page, c.outsideSource());
      page.open("td", "class", "ids")
          .text(
              c.neverTrainedSample().stream().map(String::valueOf).collect(Collectors.joining(", "))
                  + (c.neverTrained() > c.neverTrainedSample().size() ? ", ..." : ""))
          .close();
      page.close();
    }
    page.close().close();
  }
}
