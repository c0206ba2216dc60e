package io.batchaudit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchaudit.store.BatchKey;
import io.batchaudit.store.Phase;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The report's bounded structures keep their size and their sums, however long the stream. */
class ReportBoundsTest {

  @Test
  void bucketedSeriesKeepsAtMostItsCapacityAndAveragesConsecutiveSteps() {
    BucketedSeries s = new BucketedSeries(400);
    for (long step = 0; step < 1_000_000; step++) {
      s.add(step, step * 2.0);
    }
    List<ReportData.Point> points = s.points();
    assertThat(points).hasSizeLessThanOrEqualTo(400).hasSizeGreaterThan(200);
    assertThat(s.bucketWidth()).isEqualTo(4096);
    // each point is the mean of consecutive steps: y = 2x holds for means too, and x ascends
    for (int i = 0; i < points.size(); i++) {
      assertThat(points.get(i).y()).isEqualTo(points.get(i).x() * 2);
      if (i > 0) {
        assertThat(points.get(i).x()).isGreaterThan(points.get(i - 1).x());
      }
    }
    assertThat(points.get(0).x()).isEqualTo((4096 - 1) / 2.0);
  }

  @Test
  void bucketedSeriesKeepsEveryPointWhileItFits() {
    BucketedSeries s = new BucketedSeries(4);
    s.add(10, 1);
    s.add(11, 2);
    s.add(13, 4);
    s.add(11, 4);
    assertThat(s.points())
        .containsExactly(
            new ReportData.Point(10, 1), new ReportData.Point(11, 3), new ReportData.Point(13, 4));
    s.add(14, 5); // beyond 4 buckets of width 1 from 10: width 2
    assertThat(s.points())
        .containsExactly(
            new ReportData.Point(32 / 3.0, 7 / 3.0),
            new ReportData.Point(13, 4),
            new ReportData.Point(14, 5));
  }

  @Test
  void errorHistogramCountsEveryValueInTheBinThatHoldsItAcrossDoublings() {
    ErrorHistogram h = new ErrorHistogram();
    SplittableRandom random = new SplittableRandom(1);
    double[] values = new double[10_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextGaussian() * Math.pow(10, i / 2500); // range grows 1000x
      h.add(i % 2, values[i]);
    }
    h.add(0, Double.NaN);
    ReportData.ErrorHistograms r = h.result();
    assertThat(r.epochs()).hasSize(2);
    long[] total = new long[ErrorHistogram.BINS];
    for (ReportData.EpochHistogram e : r.epochs()) {
      for (int b = 0; b < total.length; b++) {
        total[b] += e.counts()[b];
      }
    }
    long[] expected = new long[ErrorHistogram.BINS];
    double range = -2 * r.lowerEdge();
    for (double v : values) {
      expected[(int) Math.floor((v - r.lowerEdge()) / range * ErrorHistogram.BINS)]++;
    }
    assertThat(total).isEqualTo(expected);
    assertThat(r.epochs().get(0).nonFinite()).isEqualTo(1);
    assertThat(Arrays.stream(values).map(Math::abs).max().orElseThrow())
        .isLessThan(-r.lowerEdge())
        .isGreaterThanOrEqualTo(-r.lowerEdge() / 2);
  }

  @Test
  void topLossesKeepsTheKHighestWithTiesBySampleId() {
    TopLosses top = new TopLosses(3);
    BatchKey key = new BatchKey(0, Phase.TRAIN, 0, 0, 0);
    double[] losses = {0.5, 3, 1, 3, Double.NaN, 0.1, 2};
    for (int i = 0; i < losses.length; i++) {
      if (top.wouldKeep(losses[i], 100 - i, key)) {
        top.offer(new ReportData.Example(100 - i, key, losses[i], new float[0], new float[0]));
      }
    }
    assertThat(top.result())
        .extracting(ReportData.Example::sampleId)
        .containsExactly(96L, 97L, 99L);
  }

  @Test
  void reservoirSamplesAtMostItsCapacityUniformly() {
    Reservoir r = new Reservoir(1000);
    for (int i = 0; i < 100_000; i++) {
      r.add(0, i, i);
    }
    ReportData.Sample s = r.result(3);
    assertThat(s.values()).isEqualTo(100_000);
    assertThat(s.points()).hasSize(1000);
    long late = s.points().stream().filter(p -> p.target() >= 50_000).count();
    assertThat(late).as("about half from the second half of the stream").isBetween(420L, 580L);
    assertThatThrownBy(() -> new BucketedSeries(3))
        .hasMessage("Bucket capacity must be even and >= 2, got 3");
  }
}
