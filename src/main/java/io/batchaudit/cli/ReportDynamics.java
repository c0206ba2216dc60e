package io.batchaudit.cli;

import io.batchaudit.dynamics.DataMapDigest;
import io.batchaudit.dynamics.DataMapRegion;
import io.batchaudit.dynamics.DynamicsJob;
import io.batchaudit.dynamics.DynamicsSummary;
import io.batchaudit.report.DynamicsData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The dynamics' bounded results in the report's terms (the report knows no Spark). */
final class ReportDynamics {
  private ReportDynamics() {}

  static DynamicsData of(DynamicsJob.Digest digest) {
    DynamicsSummary s = digest.summary();
    DataMapDigest map = digest.map();
    List<DynamicsData.MapPoint> points = new ArrayList<>();
    for (DataMapDigest.Point p : map.points()) {
      points.add(
          new DynamicsData.MapPoint(
              p.sampleId(), p.confidence(), p.variability(), p.correctness()));
    }
    List<DynamicsData.Ranked> top = new ArrayList<>();
    for (Map<String, Object> r : s.top()) {
      top.add(
          new DynamicsData.Ranked(
              (Long) r.get("mislabel_rank"),
              (Long) r.get("sample_id"),
              (Long) r.get("source_row"),
              (Integer) r.get("target_class"),
              (Integer) r.get("last_predicted_class"),
              (Double) r.get("aum"),
              (Double) r.get("confidence"),
              (Double) r.get("correctness"),
              (Integer) r.get("forgetting_events"),
              (String) r.get("region")));
    }
    return new DynamicsData(
        s.phase(),
        s.source(),
        s.presented(),
        points,
        map.grid(),
        map.gridCorrectness(),
        s.forgettingHistogram(),
        s.regions(),
        String.format(
            Locale.ROOT,
            "ambiguous when variability >= %.2f, else easy-to-learn when confidence >= %.2f, else"
                + " hard-to-learn",
            DataMapRegion.AMBIGUOUS_VARIABILITY,
            DataMapRegion.EASY_CONFIDENCE),
        s.likelyMislabeled(),
        "Ranked by AUM (mean over presentations of ln p[target] - ln max p[other]; Pleiss et al.,"
            + " 2020), lowest first; AUM below 0 flags an example as likely mislabeled.",
        top);
  }
}
