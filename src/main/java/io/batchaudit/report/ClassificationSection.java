package io.batchaudit.report;

import java.util.ArrayList;
import java.util.List;

/**
 * "Accuracy" of a classification log: accuracy per epoch (overall, per partition, validation),
 * confusion matrices of evenly spaced epochs, the per-partition table.
 */
final class ClassificationSection implements PageSection {
  /** Confusion matrices drawn at most (first, last and evenly spaced epochs between). */
  static final int MAX_HEATMAPS = 12;

  @Override
  public void render(ReportData data, Html page) {
    page.open("section", "id", "accuracy").element("h2", "Accuracy");
    LineChart acc = new LineChart("Accuracy per epoch", "epoch", "accuracy").yFromZero().wholeX();
    acc.yMaxAtLeast(1);
    acc.series(
        "training, all partitions",
        PageParts.epochNumbers(data.epochs()),
        data.epochs().stream().mapToDouble(ReportData.EpochStats::accuracy).toArray(),
        true,
        true,
        "#222");
    if (!data.validation().isEmpty()) {
      acc.series(
          "validation",
          PageParts.epochNumbers(data.validation()),
          data.validation().stream().mapToDouble(ReportData.EpochStats::accuracy).toArray(),
          true,
          true,
          "#e15759");
    }
    PageParts.partitionLines(data, acc, true);
    PageParts.figure(
        page,
        acc.hasData() ? acc.toSvg() : null,
        "Share of recorded examples whose largest prediction is the target class, per epoch:"
            + " overall (black), per worker partition"
            + (data.validation().isEmpty() ? "." : ", and on the validation batches (red).")
            + (data.notOneHotRows() > 0
                ? " "
                    + data.notOneHotRows()
                    + " rows had a target that is not one-hot and are left out."
                : ""));
    confusionMatrices(data, page);
    PageParts.partitionTable(data, page, true);
    page.close();
  }

  private static void confusionMatrices(ReportData data, Html page) {
    List<ReportData.EpochStats> withMatrix =
        data.epochs().stream().filter(e -> e.confusion() != null && e.classified() > 0).toList();
    if (withMatrix.isEmpty()) {
      if (data.targetWidth() > BatchAggregator.MAX_CONFUSION_CLASSES) {
        page.open("p", "class", "muted")
            .text(
                "No confusion matrix: "
                    + data.targetWidth()
                    + " classes (drawn up to "
                    + BatchAggregator.MAX_CONFUSION_CLASSES
                    + ").")
            .close();
      }
      return;
    }
    page.element("h3", "Confusion matrix per epoch").open("div", "class", "grid");
    List<String> labels = new ArrayList<>();
    for (int c = 0; c < data.targetWidth(); c++) {
      labels.add(Integer.toString(c));
    }
    for (int i : PageParts.spread(withMatrix.size(), MAX_HEATMAPS)) {
      ReportData.EpochStats e = withMatrix.get(i);
      page.open("figure")
          .rawSvg(
              new Heatmap(
                      "Epoch " + e.epoch() + ": accuracy " + PageParts.percent(e.accuracy()),
                      "predicted class",
                      "target class",
                      labels,
                      e.confusion())
                  .toSvg())
          .close();
    }
    page.close();
    page.open("p", "class", "muted")
        .text(
            "Rows: target class, columns: predicted class (largest prediction); shade: share of"
                + " the row; hover a cell for its count."
                + (withMatrix.size() > MAX_HEATMAPS
                    ? " "
                        + MAX_HEATMAPS
                        + " of "
                        + withMatrix.size()
                        + " epochs shown, evenly spaced."
                    : ""))
        .close();
  }
}
