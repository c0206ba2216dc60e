package io.batchaudit.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * "Training dynamics" (classification): the Data Map, the forgetting-event histogram and the top of
 * the likely-mislabeled ranking with each example's source row. Shown only when the caller handed
 * in {@link DynamicsData}; otherwise says why not.
 */
final class DynamicsSection implements PageSection {
  @Override
  public void render(ReportData data, Html page) {
    DynamicsData d = data.dynamics();
    page.open("section", "id", "dynamics").element("h2", "Training dynamics");
    if (d == null) {
      page.open("p", "class", "muted")
          .text(
              data.dynamicsNote() == null
                  ? "Not computed."
                  : "Not computed: " + data.dynamicsNote() + ".")
          .close();
      page.close();
      return;
    }
    page.open("p")
        .text(
            "Per example over all its presentations in training order ("
                + d.presented()
                + " examples presented, "
                + d.phase()
                + " phase); the table behind it is what batch-audit dynamics writes.")
        .close();
    DataMapChart map = new DataMapChart(d);
    PageParts.figure(
        page,
        map.hasData() ? map.toSvg() : null,
        (d.grid() == null
                ? "Every example is a dot, coloured by its correctness (share of correct"
                    + " presentations). "
                : "Too many examples for dots: each cell's shade is its number of examples (log"
                    + " scale); its title gives the count and mean correctness. ")
            + "Regions: "
            + d.thresholds()
            + ". "
            + regions(d.regions()));
    Map<Integer, Long> hist = new TreeMap<>(d.forgettingHistogram());
    List<String> categories = new ArrayList<>();
    double[] counts = new double[hist.size()];
    int i = 0;
    for (Map.Entry<Integer, Long> e : hist.entrySet()) {
      categories.add(Integer.toString(e.getKey()));
      counts[i++] = e.getValue();
    }
    BarChart bars =
        new BarChart("Forgetting events", "forgetting events", "examples", categories)
            .series("examples", counts);
    PageParts.figure(
        page,
        bars.hasData() ? bars.toSvg() : null,
        "Examples by their number of forgetting events (a correct presentation followed by an"
            + " incorrect one, in training order; Toneva et al., 2019).");
    page.element("h3", "Most likely mislabeled");
    page.open("p")
        .text(
            d.rule()
                + " "
                + d.likelyMislabeled()
                + " examples are flagged. Source rows refer to "
                + (d.source() == null ? "(the source could not be loaded)" : d.source())
                + ".")
        .close();
    page.open("table").open("tr");
    for (String h :
        new String[] {
          "#",
          "sample id",
          "source row",
          "target",
          "last predicted",
          "AUM",
          "confidence",
          "correctness",
          "forgetting events",
          "region"
        }) {
      page.element("th", h);
    }
    page.close();
    for (DynamicsData.Ranked r : d.top()) {
      page.open("tr");
      PageParts.number(page, r.rank());
      PageParts.number(page, r.sampleId());
      if (r.sourceRow() == null) {
        page.element("td", "");
      } else {
        PageParts.number(page, r.sourceRow());
      }
      PageParts.number(page, r.targetClass());
      PageParts.number(page, r.lastPredictedClass());
      PageParts.number(page, r.aum());
      PageParts.number(page, r.confidence());
      PageParts.number(page, r.correctness());
      PageParts.number(page, r.forgettingEvents());
      page.element("td", r.region());
      page.close();
    }
    page.close().close();
  }

  private static String regions(Map<String, Long> regions) {
    StringBuilder s = new StringBuilder();
    for (String r : List.of("easy-to-learn", "ambiguous", "hard-to-learn")) {
      s.append(s.length() == 0 ? "" : ", ")
          .append(String.format(Locale.ROOT, "%s %d", r, regions.getOrDefault(r, 0L)));
    }
    return s.append('.').toString();
  }
}
