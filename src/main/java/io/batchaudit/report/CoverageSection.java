package io.batchaudit.report;

import io.batchaudit.read.Coverage;
import io.batchaudit.read.LabelMix;
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
    page.close();
    labelMix(cov.labelMix(), page);
    page.close();
  }

  /** Classification only: the classes each worker partition trained, strong skews flagged. */
  private static void labelMix(List<LabelMix.PartitionMix> mixes, Html page) {
    if (mixes.isEmpty()) {
      return;
    }
    page.element("h3", "Classes per worker partition");
    page.open("p", "class", "muted")
        .text(
            "Trained examples of each class per training epoch and worker partition. Balance: the"
                + " smallest ratio of a class's share on the partition to its share in the epoch"
                + " (classes with at least 5 % of the epoch; 1: the epoch's mix, 0: a class"
                + " missing; strong skew below "
                + LabelMix.STRONG_SKEW_BELOW
                + "). DL4J hands each worker a contiguous part of the data in source order;"
                + " shuffle=true shuffles the examples before DL4J splits them.")
        .close();
    List<String> warnings = LabelMix.skewWarnings(mixes);
    if (!warnings.isEmpty()) {
      page.open("ul", "class", "warnings");
      warnings.forEach(w -> page.open("li", "class", "warning").text(w).close());
      page.close();
    }
    page.open("table").open("tr");
    page.element("th", "epoch")
        .element("th", "partition")
        .element("th", "examples")
        .element("th", "per class")
        .element("th", "balance");
    page.close();
    for (LabelMix.PartitionMix m : mixes) {
      page.open("tr");
      PageParts.number(page, m.epoch());
      PageParts.number(page, m.partition());
      PageParts.number(page, m.examples());
      page.element("td", m.classCounts().toString());
      page.open("td", "class", m.strong() ? "warning" : "n")
          .text(
              String.format(
                  java.util.Locale.ROOT, "%.2f%s", m.balance(), m.strong() ? " strong skew" : ""))
          .close();
      page.close();
    }
    page.close();
  }
}
