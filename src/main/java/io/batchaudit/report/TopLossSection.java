package io.batchaudit.report;

import java.util.Locale;

/** "Highest loss in the last epoch": the examples, their keys, targets and predictions. */
final class TopLossSection implements PageSection {
  /** Values of a target or prediction shown at most. */
  static final int MAX_VALUES = 12;

  @Override
  public void render(ReportData data, Html page) {
    ReportData.TopExamples top = data.top();
    page.open("section", "id", "top-loss").element("h2", "Highest loss in the last epoch");
    if (top.examples().isEmpty()) {
      page.open("p", "class", "muted").text("No training rows.").close();
      page.close();
      return;
    }
    page.open("p")
        .text(
            "The "
                + top.examples().size()
                + " examples of training epoch "
                + top.epoch()
                + " with the highest loss. Loss: "
                + top.lossKind()
                + ".")
        .close();
    page.open("table").open("tr");
    for (String h :
        new String[] {
          "#", "sample id", "loss", "round", "batch", "partition", "target", "prediction"
        }) {
      page.element("th", h);
    }
    page.close();
    int rank = 1;
    for (ReportData.Example e : top.examples()) {
      page.open("tr");
      PageParts.number(page, rank++);
      PageParts.number(page, e.sampleId());
      PageParts.number(page, e.loss());
      PageParts.number(page, e.key().round());
      PageParts.number(page, e.key().batch());
      PageParts.number(page, e.key().partition());
      page.open("td", "class", "arr").text(array(e.target())).close();
      page.open("td", "class", "arr").text(array(e.prediction())).close();
      page.close();
    }
    page.close().close();
  }

  private static String array(float[] values) {
    StringBuilder s = new StringBuilder("[");
    int shown = Math.min(values.length, MAX_VALUES);
    for (int i = 0; i < shown; i++) {
      s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", values[i]));
    }
    if (values.length > shown) {
      s.append(", ... (").append(values.length).append(" values)");
    }
    return s.append(']').toString();
  }
}
