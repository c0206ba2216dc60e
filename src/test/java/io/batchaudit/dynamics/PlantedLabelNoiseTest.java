package io.batchaudit.dynamics;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchaudit.cli.CliRunner;
import io.batchaudit.read.AuditLog;
import io.batchaudit.store.AuditBatch;
import io.batchaudit.store.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planted label noise: three well separated Gaussian classes (400 rows, 4 features, unit variance,
 * centres 4 apart on three axes, seeded), 12 labels (3 %) flipped to another class, trained for
 * real ({@code train}, embedded Spark), then {@code dynamics}. The mislabeled ranking's precision
 * at k = 12 (the share of flipped rows among the 12 ranked first) must reach the bound measured
 * below; the plain "highest loss in the last epoch" list of the report (cross-entropy {@code -ln
 * p[target]} of the last epoch's presentation) is measured beside it for README.
 */
class PlantedLabelNoiseTest {
  static final int ROWS = 400;
  static final int FLIPPED = 12;

  @TempDir Path tmp;

  /** Writes the CSV; returns the row indices (= sample ids) whose label was flipped. */
  static Set<Long> writeNoisyBlobs(Path csv, long seed) throws Exception {
    Random random = new Random(seed);
    double[][] centers = {{4, 0, 0, 0}, {0, 4, 0, 0}, {0, 0, 4, 0}};
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, random);
    Set<Long> flipped = new TreeSet<>();
    for (int i = 0; i < FLIPPED; i++) {
      flipped.add((long) order.get(i));
    }
    StringBuilder s = new StringBuilder("f0,f1,f2,f3,label\n");
    for (int r = 0; r < ROWS; r++) {
      int label = r % 3;
      for (int f = 0; f < 4; f++) {
        s.append(String.format(Locale.ROOT, "%.5f,", centers[label][f] + random.nextGaussian()));
      }
      int given = flipped.contains((long) r) ? (label + 1 + random.nextInt(2)) % 3 : label;
      s.append(given).append('\n');
    }
    Files.writeString(csv, s);
    return flipped;
  }

  /** The share of {@code ranked} (the first k) that is in {@code flipped}. */
  static double precision(List<Long> ranked, Set<Long> flipped) {
    return ranked.stream().filter(flipped::contains).count() / (double) ranked.size();
  }

  /** The report's list: highest cross-entropy in the last epoch, ties by sample id. */
  static List<Long> highestLastEpochLoss(AuditLog log, int k) {
    int last = log.committedEpochs(Phase.TRAIN).get(log.committedEpochs(Phase.TRAIN).size() - 1);
    record Loss(long id, double loss) {}
    List<Loss> losses = new ArrayList<>();
    try (Stream<AuditBatch> batches = log.batches(last)) {
      batches
          .filter(b -> b.key().phase() == Phase.TRAIN)
          .forEach(
              b -> {
                int w = b.targets().cols();
                for (int r = 0; r < b.size(); r++) {
                  int t = 0;
                  for (int c = 0; c < w; c++) {
                    if (b.targets().get(r, c) == 1f) {
                      t = c;
                    }
                  }
                  losses.add(new Loss(b.sampleIds()[r], -Math.log(b.predictions().get(r, t))));
                }
              });
    }
    return losses.stream()
        .sorted(Comparator.comparingDouble(Loss::loss).reversed().thenComparingLong(Loss::id))
        .limit(k)
        .map(Loss::id)
        .toList();
  }

  @Test
  void theRankingFindsThePlantedLabelErrors() throws Exception {
    Path csv = tmp.resolve("noisy-blobs.csv");
    Set<Long> flipped = writeNoisyBlobs(csv, 11);
    Path run = tmp.resolve("run");
    CliRunner.Result train =
        CliRunner.run(
            "train",
            "--out",
            run.toString(),
            "--set",
            "master=local[2]",
            "--set",
            "data=" + csv,
            "--set",
            "label-columns=label",
            "--set",
            "epochs=10",
            "--set",
            "batch-size=16",
            "--set",
            "training.coverage=all",
            "--set",
            "shuffle=true");
    assertThat(train.code()).as(train.err()).isZero();
    Path out = tmp.resolve("dynamics");
    CliRunner.Result dyn =
        CliRunner.run(
            "dynamics", run.resolve("audit").toString(), "--out", out.toString(), "--top", "12");
    assertThat(dyn.code()).as(dyn.err()).isZero();

    SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
    List<Long> ranked;
    try {
      ranked =
          spark
              .read()
              .parquet(out.toString())
              .where("mislabel_rank <= " + FLIPPED)
              .orderBy("mislabel_rank")
              .select("sample_id")
              .collectAsList()
              .stream()
              .map((Row r) -> r.getLong(0))
              .toList();
    } finally {
      spark.stop();
    }
    List<Long> topLoss =
        highestLastEpochLoss(
            AuditLog.open(run.resolve("audit").toString(), new Configuration()), FLIPPED);
    double rankingPrecision = precision(ranked, flipped);
    double lossPrecision = precision(topLoss, flipped);
    System.out.printf(
        Locale.ROOT,
        "planted label noise: %d of %d flipped %s; AUM ranking top %d %s precision %.3f;"
            + " highest last-epoch loss %s precision %.3f%n",
        FLIPPED,
        ROWS,
        flipped,
        FLIPPED,
        ranked,
        rankingPrecision,
        topLoss,
        lossPrecision);
    assertThat(ranked).hasSize(FLIPPED);
    // measured (2026-12-01): 1.000 for both lists (12 of 12); training with 2 workers is
    // deterministic, the bound leaves one miss for float noise
    assertThat(rankingPrecision).isGreaterThanOrEqualTo(11 / 12.0);
    assertThat(lossPrecision).isGreaterThanOrEqualTo(0.5); // measured for README, not the subject
    assertThat(dyn.out()).contains("likely mislabeled (AUM < 0): ");
  }
}
