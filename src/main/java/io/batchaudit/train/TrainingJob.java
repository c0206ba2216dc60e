package io.batchaudit.train;

import io.batchaudit.capture.AuditedModel;
import io.batchaudit.capture.AuditingTrainingMaster;
import io.batchaudit.capture.CaptureSettings;
import io.batchaudit.capture.RoundResult;
import io.batchaudit.capture.ValidationPass;
import io.batchaudit.store.AuditLayout;
import io.batchaudit.store.AuditTable;
import io.batchaudit.store.CommitProbes;
import io.batchaudit.store.Compactor;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.Phase;
import io.batchaudit.store.RoundStart;
import io.batchaudit.store.RunEnd;
import io.batchaudit.store.RunInfo;
import io.batchaudit.store.RunState;
import io.batchaudit.store.RunSummaryFile;
import io.batchaudit.store.StagingArea;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One audited training run: DL4J parameter averaging on Spark over the configured data, recording
 * every minibatch, committing the audit log epoch by epoch.
 *
 * <p>Runs on the driver. Writes below the output folder: {@code audit/} (the log; created before
 * training), {@code model.zip}, then the run's end in the log ({@link AuditTable#finish}), then the
 * summary ({@link RunSummaryFile}), after training. Refuses a non-empty output folder unless {@link
 * Builder#overwrite()} is set, before anything is written.
 */
public final class TrainingJob {
  private final JobConfig config;
  private final boolean overwrite;
  private final List<TrainingHook> extraHooks;
  private final PrintWriter progress;

  private TrainingJob(Builder b) {
    this.config = b.config;
    this.overwrite = b.overwrite;
    this.extraHooks = List.copyOf(b.extraHooks);
    this.progress = b.progress;
  }

  public static Builder builder(JobConfig config) {
    return new Builder(config);
  }

  /** Options of a run besides its configuration. */
  public static final class Builder {
    private final JobConfig config;
    private boolean overwrite;
    private final List<TrainingHook> extraHooks = new ArrayList<>();
    private PrintWriter progress = new PrintWriter(System.out, true);

    private Builder(JobConfig config) {
      this.config = config;
    }

    /** Replace a non-empty output folder instead of refusing it. */
    public Builder overwrite() {
      this.overwrite = true;
      return this;
    }

    /** A further worker hook, run before the recorder on every minibatch (tests, benchmarks). */
    public Builder hook(TrainingHook hook) {
      this.extraHooks.add(hook);
      return this;
    }

    /** Where progress lines go (standard output by default). */
    public Builder progress(PrintWriter progress) {
      this.progress = progress;
      return this;
    }

    /**
     * Checks what can be checked without Spark: the training approach, and the network against
     * built-in data (file inputs are checked by {@link #run} once read, before anything is
     * written).
     */
    public TrainingJob build() {
      if (config.audit()) {
        AuditingTrainingMaster.checkApproach(config.rddApproach());
        if (!config.data().isFile()) {
          CaptureChecks.check(
              NetworkFactory.create(config, config.data().builtIn().shape()), config);
        }
      }
      return new TrainingJob(this);
    }
  }

  /** The Spark configuration of a run: the job's master unless spark-submit set one. */
  public static SparkConf sparkConf(JobConfig config) {
    SparkConf conf = new SparkConf().setAppName("batch-audit");
    if (!conf.contains("spark.master")) {
      conf.setMaster(config.master());
    }
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    return conf;
  }

  /** Trains, records and commits; returns what was written. */
  public RunSummary run(JavaSparkContext sc) {
    // a test's planned driver crash: the fault plan halts the driver at a commit step
    try (CommitProbes.Installed probe =
        config.faults().haltsTheDriver() ? CommitProbes.install(config.faults()) : () -> {}) {
      return train(sc);
    } finally {
      compactor.shutdown(); // also when a commit threw before the run waited for compaction
    }
  }

  private RunSummary train(JavaSparkContext sc) {
    Configuration hadoop = sc.hadoopConfiguration();
    Path out = new Path(config.out());
    FileSystem fs = filesystem(out, hadoop);
    out = fs.makeQualified(out);
    // Read and check the inputs first: bad input fails here, before the output folder is touched.
    InputData data = InputData.load(sc, config.data());
    InputData validation =
        config.validationData() == null
            ? null
            : InputData.loadLike(sc, config.validationData(), data);
    DataShape shape = data.shape();
    Standardizer standardizer =
        config.standardize() ? Standardizer.of(data.featureStats(sc)) : null;
    NetworkConf netConf = NetworkFactory.create(config, shape);
    Map<String, Integer> activationLayers = CaptureChecks.check(netConf, config);
    String runId = newRunId();
    Path auditDir = new Path(out, "audit");
    prepareOutput(fs, out, auditDir);
    CaptureSettings capture = null;
    AuditTable table = null;
    if (config.audit()) {
      table =
          AuditTable.create(
              auditDir,
              hadoop,
              runInfo(
                  runId,
                  auditDir,
                  data.fingerprint(sc),
                  validation == null ? null : validation.fingerprint(sc)));
      // the Hadoop configuration travels to each executor once, not with every task
      org.apache.spark.broadcast.Broadcast<io.batchaudit.store.SerializableConfiguration> conf =
          sc.broadcast(new io.batchaudit.store.SerializableConfiguration(hadoop));
      capture =
          new CaptureSettings(
              new StagingArea(
                  table.layout(),
                  () -> conf.value().get(),
                  runId,
                  config.optionalColumns(),
                  config.writerOptions()),
              config.predictions(),
              activationLayers,
              config.faults());
    }

    progress.printf(
        Locale.ROOT,
        "batch-audit run %s: data %s (%d examples), %d workers, batch size %d, averaging every %d,"
            + " %d epochs, audit %s%n",
        runId,
        config.data(),
        data.size(),
        config.workers(),
        config.batchSize(),
        config.averagingFrequency(),
        config.epochs(),
        config.audit() ? "on -> " + auditDir : "off");

    List<RoundResult> roundsOfEpoch = new ArrayList<>();
    AuditingTrainingMaster tm =
        new AuditingTrainingMaster(
            new ParameterAveragingTrainingMaster.Builder(config.workers(), 1)
                .batchSizePerWorker(config.batchSize())
                .averagingFrequency(config.averagingFrequency())
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(config.rddApproach())
                .rngSeed(config.seed())
                .collectTrainingStats(false),
            capture,
            extraHooks,
            round -> {
              roundsOfEpoch.add(round);
              printRound(round);
            });
    int slices = Math.max(config.workers(), sc.defaultParallelism());
    JavaRDD<DataSet> rdd = data.toRdd(sc, slices, standardizer);
    SparkModel sparkNet = SparkModel.create(sc, netConf, tm, rdd);
    JavaRDD<DataSet> validationRdd =
        validation == null ? null : validation.toRdd(sc, slices, standardizer);

    long start = System.nanoTime();
    List<Integer> rounds = new ArrayList<>();
    List<Long> examplesPerEpoch = new ArrayList<>();
    List<Long> rows = new ArrayList<>();
    for (int epoch = 0; epoch < config.epochs(); epoch++) {
      roundsOfEpoch.clear();
      tm.startEpoch(epoch);
      sparkNet.fitEpoch();
      rounds.add(roundsOfEpoch.size());
      long examples = roundsOfEpoch.stream().mapToLong(RoundResult::examples).sum();
      examplesPerEpoch.add(examples);
      if (table != null) {
        EpochCommit commit =
            table.commitEpoch(
                Phase.TRAIN,
                epoch,
                roundsOfEpoch.stream().map(RoundResult::provenance).toList(),
                roundsOfEpoch.stream().flatMap(r -> r.accepted().stream()).toList());
        rows.add(commit.rows());
        progress.printf(
            Locale.ROOT,
            "epoch %d/%d committed: %d rounds, %d audit rows (%d of %d examples trained), %d"
                + " files, score %.4f%n",
            epoch + 1,
            config.epochs(),
            commit.roundCount(),
            commit.rows(),
            examples,
            data.size(),
            commit.files().size(),
            sparkNet.score());
        if (config.compaction()) {
          compactions.add(compactInBackground(table, hadoop, Phase.TRAIN, epoch));
        }
      } else {
        progress.printf(
            Locale.ROOT,
            "epoch %d/%d done: %d rounds, %d of %d examples trained, score %.4f%n",
            epoch + 1,
            config.epochs(),
            roundsOfEpoch.size(),
            examples,
            data.size(),
            sparkNet.score());
      }
      if (validationRdd != null) {
        validate(
            sc,
            sparkNet.audited(),
            validationRdd,
            capture,
            table,
            hadoop,
            epoch,
            shape.classification());
      }
    }
    awaitCompactions();
    double seconds = (System.nanoTime() - start) / 1e9;
    sparkNet.unpersist();
    data.release();
    if (validation != null) {
      validation.release();
    }

    Path model = new Path(out, "model.zip");
    writeModel(fs, model, sparkNet.model(), standardizer);
    RunSummary summary =
        new RunSummary(
            runId,
            out.toString(),
            model.toString(),
            table == null ? null : auditDir.toString(),
            config.data().toString(),
            config.epochs(),
            rounds,
            examplesPerEpoch,
            rows,
            sparkNet.score(),
            seconds,
            config.values());
    if (table != null) {
      // the run is finished once the table says so; the summary is the users' copy
      table.finish(
          new RunEnd(
              RunEnd.FORMAT_VERSION,
              runId,
              Instant.now().toString(),
              seconds,
              sparkNet.score(),
              config.epochs(),
              rows.stream().mapToLong(Long::longValue).sum()));
    }
    Path summaryPath = RunSummaryFile.write(out, hadoop, summary);
    progress.printf(
        Locale.ROOT,
        "done in %.1f s: final score %.4f, %d audit rows; model %s, summary %s%s%n",
        seconds,
        sparkNet.score(),
        rows.stream().mapToLong(Long::longValue).sum(),
        model,
        summaryPath,
        table == null ? "" : ", audit log " + auditDir);
    return summary;
  }

  /**
   * Compaction runs on one driver thread beside training, epoch after epoch in commit order, so
   * that training does not wait for it; the run waits for all of it before it reports done.
   */
  private final java.util.concurrent.ExecutorService compactor =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "batch-audit-compactor");
            t.setDaemon(true);
            return t;
          });

  private final List<java.util.concurrent.Future<?>> compactions = new ArrayList<>();

  /**
   * Writes the trained model (with its updater state, and the standardizer as ND4J's normalizer
   * when features were standardized) to {@code target}, through a local temporary file (DL4J adds a
   * normalizer to a model file only).
   */
  private static void writeModel(
      FileSystem fs,
      Path target,
      org.deeplearning4j.nn.api.Model model,
      Standardizer standardizer) {
    java.io.File tmp = null;
    try {
      tmp = java.io.File.createTempFile("batch-audit-model", ".zip");
      ModelSerializer.writeModel(model, tmp, true);
      if (standardizer != null) {
        // (writeModel with a normalizer fails in DL4J 1.0.0-M2: the normalizer's writer closes
        // the zip stream before the model's entries are finished)
        ModelSerializer.addNormalizerToModel(tmp, standardizer.toNd4j());
      }
      try (OutputStream os = fs.create(target, false)) {
        java.nio.file.Files.copy(tmp.toPath(), os);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write the model to " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        tmp.delete();
      }
    }
  }

  /**
   * The validation phase after training epoch {@code epoch}: distributed inference of the averaged
   * model on the executors, recorded (when auditing) and committed as the epoch's validation phase.
   */
  private void validate(
      JavaSparkContext sc,
      AuditedModel model,
      JavaRDD<DataSet> data,
      CaptureSettings capture,
      AuditTable table,
      Configuration hadoop,
      int epoch,
      boolean classification) {
    ValidationPass.Result v =
        ValidationPass.run(sc, model, data, capture, epoch, config.batchSize(), classification);
    String quality =
        classification
            ? String.format(Locale.ROOT, "accuracy %.4f", v.accuracy())
            : String.format(Locale.ROOT, "mse %.6f", v.mse());
    if (table == null) {
      progress.printf(
          Locale.ROOT,
          "epoch %d/%d validation: %d examples, score %.4f, %s%n",
          epoch + 1,
          config.epochs(),
          v.examples(),
          v.meanLoss(),
          quality);
      return;
    }
    EpochCommit commit =
        table.commitEpoch(
            Phase.VALIDATION,
            epoch,
            List.of(new RoundStart(0, v.paramsSha256(), v.meanLoss(), v.partitions())),
            v.accepted());
    progress.printf(
        Locale.ROOT,
        "epoch %d/%d validation committed: %d examples, score %.4f, %s, %d audit rows, %d files%n",
        epoch + 1,
        config.epochs(),
        v.examples(),
        v.meanLoss(),
        quality,
        commit.rows(),
        commit.files().size());
    if (config.compaction()) {
      compactions.add(compactInBackground(table, hadoop, Phase.VALIDATION, epoch));
    }
  }

  private java.util.concurrent.Future<?> compactInBackground(
      AuditTable table, Configuration hadoop, Phase phase, int epoch) {
    return compactor.submit(
        () -> {
          Compactor.Result c =
              Compactor.compact(
                  table,
                  hadoop,
                  phase,
                  epoch,
                  config.compactionFileBytes(),
                  config.compactionGrace());
          progress.printf(
              Locale.ROOT,
              "epoch %d/%d %s compacted: %d files -> %d (%d bytes)%n",
              epoch + 1,
              config.epochs(),
              phase.label(),
              c.before().files().size(),
              c.after().files().size(),
              c.after().files().stream().mapToLong(f -> f.bytes()).sum());
        });
  }

  private void awaitCompactions() {
    try {
      for (java.util.concurrent.Future<?> f : compactions) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for compaction", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("Compaction failed: " + e.getCause(), e.getCause());
    } finally {
      compactions.clear();
      compactor.shutdown();
    }
  }

  private void printRound(RoundResult r) {
    progress.printf(
        Locale.ROOT,
        "epoch %d/%d round %d/%d: score %.4f, examples %d%s%n",
        r.epoch() + 1,
        config.epochs(),
        r.round() + 1,
        r.rounds(),
        r.score(),
        r.examples(),
        config.audit() ? ", audit rows " + r.examples() + " (staged)" : "");
  }

  private RunInfo runInfo(
      String runId, Path auditDir, String dataFingerprint, String validationFingerprint) {
    return new RunInfo(
        RunInfo.FORMAT_VERSION,
        runId,
        AuditLayout.defaultStaging(auditDir).toString(),
        Instant.now().toString(),
        config.data().toString(),
        dataFingerprint,
        config.validationData() == null ? null : config.validationData().toString(),
        validationFingerprint,
        config.epochs(),
        config.batchSize(),
        config.workers(),
        config.averagingFrequency(),
        config.optionalColumns(),
        config.values());
  }

  /**
   * Makes sure {@code out} is empty. A folder left by a run whose driver died is refused with what
   * it holds: its committed epochs stay readable, nothing is resumed (the model of an unfinished
   * run was never saved).
   */
  private void prepareOutput(FileSystem fs, Path out, Path auditDir) {
    try {
      if (!fs.exists(out)) {
        fs.mkdirs(out);
        return;
      }
      FileStatus status = fs.getFileStatus(out);
      if (!status.isDirectory()) {
        throw new IllegalArgumentException(
            "Output folder " + out + " is a file: choose another --out");
      }
      if (fs.listStatus(out).length == 0) {
        return;
      }
      if (!overwrite) {
        AuditTable previous =
            AuditTable.exists(auditDir, fs.getConf())
                ? AuditTable.open(auditDir, fs.getConf())
                : null;
        if (previous != null && previous.state() instanceof RunState.Unfinished) {
          List<Integer> committed = previous.commits().stream().map(EpochCommit::epoch).toList();
          throw new IllegalArgumentException(
              String.format(
                  "Output folder %s holds run %s, which did not finish (committed epochs %s of %d; did"
                      + " its driver stop?). A run is not resumed: its committed epochs stay readable"
                      + " and 'batch-audit verify %s' reports the others as incomplete. Pass"
                      + " --overwrite to replace it, or choose another --out",
                  out,
                  previous.runInfo().runId(),
                  committed,
                  previous.runInfo().plannedEpochs(),
                  auditDir));
        }
        throw new IllegalArgumentException(
            "Output folder "
                + out
                + " is not empty: pass --overwrite to replace it, or choose another --out");
      }
      fs.delete(out, true);
      fs.mkdirs(out);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot prepare output folder " + out + ": " + e.getMessage(), e);
    }
  }

  private static FileSystem filesystem(Path out, Configuration hadoop) {
    try {
      return out.getFileSystem(hadoop);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Invalid out '" + out + "': no file system for it (" + e.getMessage() + ")", e);
    }
  }

  private static String newRunId() {
    return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }
}
