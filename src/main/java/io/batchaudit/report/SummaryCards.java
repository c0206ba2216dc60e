package io.batchaudit.report;

import io.batchaudit.read.VerificationReport;
import java.util.Locale;
import java.util.function.Consumer;

/** The cards at the top of the page: verification, rows, epochs, duration, cluster, last figure. */
final class SummaryCards implements PageSection {
  @Override
  public void render(ReportData data, Html page) {
    ReportData.RunFacts run = data.run();
    VerificationReport v = data.verification().report();
    page.open("div", "class", "cards");
    card(
        page,
        "verification",
        p ->
            p.open("span", "class", v.ok() ? "ok" : "bad")
                .text(v.ok() ? "OK" : "problems")
                .close());
    card(page, "rows recorded", String.format(Locale.ROOT, "%,d", run.rows()));
    card(
        page,
        "epochs committed",
        p -> {
          p.text(run.trainEpochs().size() + " of " + run.plannedEpochs());
          if (!run.validationEpochs().isEmpty()) {
            p.text(" ")
                .open("span", "class", "muted")
                .text("+ " + run.validationEpochs().size() + " validation")
                .close();
          }
        });
    card(
        page,
        "duration",
        Double.isNaN(run.seconds())
            ? "unknown"
            : String.format(Locale.ROOT, "%.1f s", run.seconds()));
    card(page, "cluster", run.workers() + " workers");
    if (!data.epochs().isEmpty()) {
      ReportData.EpochStats last = data.epochs().get(data.epochs().size() - 1);
      if (data.task() == ReportData.Task.CLASSIFICATION) {
        card(page, "last epoch accuracy", PageParts.percent(last.accuracy()));
      } else if (data.task() == ReportData.Task.REGRESSION) {
        card(page, "last epoch MSE", Scale.format(last.mse()));
      }
    }
    page.close();
  }

  private static void card(Html page, String key, String value) {
    card(page, key, p -> p.text(value));
  }

  private static void card(Html page, String key, Consumer<Html> value) {
    page.open("div", "class", "card").open("div", "class", "k").text(key).close();
    page.open("div", "class", "v");
    value.accept(page);
    page.close().close();
  }
}
