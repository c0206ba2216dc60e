package io.batchaudit.train;

import io.batchaudit.capture.AuditingTrainingMaster;
import io.batchaudit.capture.Capture;
import io.batchaudit.capture.CaptureSettings;
import io.batchaudit.capture.Network;
import io.batchaudit.capture.RoundResult;
import io.batchaudit.capture.ValidationPass;
import io.batchaudit.config.JobConfig;
import io.batchaudit.config.Keys;
import io.batchaudit.source.DataShape;
import io.batchaudit.source.DataSpec;
import io.batchaudit.source.InputData;
import io.batchaudit.store.EpochCommit;
import io.batchaudit.store.Phase;
import io.batchaudit.store.RoundStart;
import io.batchaudit.store.hadoop.SerializableConfiguration;
import io.batchaudit.store.table.AuditLayout;
import io.batchaudit.store.table.AuditTable;
import io.batchaudit.store.table.CommitProbes;
import io.batchaudit.store.table.Compactor;
import io.batchaudit.store.table.RunEnd;
import io.batchaudit.store.table.RunInfo;
import io.batchaudit.store.table.RunState;
import io.batchaudit.store.table.RunSummaryFile;
import io.batchaudit.store.table.StagingArea;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One audited training run: DL4J parameter averaging on Spark over the configured data, recording
 * every minibatch, committing the audit log epoch by epoch.
 *
 * <p>Runs on the driver. Writes below the output folder: {@code audit/} (the log; created before
 * training), with {@code rdd-approach=export} (the default) the minibatch files in {@code export/}
 * (or in {@code export-directory}; written in the first epoch, deleted when training ends, also
 * when it fails; {@code export/} itself after a run that finished), {@code model.zip}, then the
 * run's end in the log ({@link AuditTable#finish}), then the summary ({@link RunSummaryFile}),
 * after training. Refuses a non-empty output folder unless {@link Builder#overwrite()} is set,
 * before anything is written.
 *
 * <p>{@link #run} is the run's steps in order: load and check the inputs, prepare the output
 * folder, start the audit table, say when DL4J's splits will leave examples untrained ({@link
 * SplitPlan}; {@code training.coverage=all} sizes the splits so none is), then per epoch train,
 * commit, validate (and queue the epoch's compaction), and last write the model, the run's end and
 * the summary. Its progress lines come from {@link Progress}.
 */
public final class TrainingJob {
  private final JobConfig config;
  private final TrainingSettings settings;
  private final boolean overwrite;
  private final List<TrainingHook> extraHooks;
  private final Progress progress;

  private TrainingJob(Builder b, TrainingSettings settings) {
    this.config = b.config;
    this.settings = settings;
    this.overwrite = b.overwrite;
    this.extraHooks = List.copyOf(b.extraHooks);
    this.progress = new Progress(b.progress, settings);
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
     * Checks what can be checked without Spark: the settings ({@link TrainingSettings#of}), the
     * training approach, and the network against built-in data (file inputs are checked by {@link
     * #run} once read, before anything is written).
     */
    public TrainingJob build() {
      TrainingSettings settings = TrainingSettings.of(config);
      if (config.get(Keys.AUDIT) && settings.data() instanceof DataSpec builtIn) {
        CaptureChecks.check(NetworkFactory.create(config, builtIn.shape()), settings);
      }
      return new TrainingJob(this, settings);
    }
  }

  /** The Spark configuration of a run: the job's master unless spark-submit set one. */
  public static SparkConf sparkConf(JobConfig config) {
    SparkConf conf = new SparkConf().setAppName("batch-audit");
    if (!conf.contains("spark.master")) {
      conf.setMaster(config.get(Keys.MASTER));
    }
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    return conf;
  }

  /** Trains, records and commits; returns what was written. */
  public RunSummary run(JavaSparkContext sc) {
    // Both close whatever throws (training, a commit, a compaction), the fault probe first: the
    // compaction thread never outlives the run.
    try (Compactions compactions = new Compactions();
        CommitProbes.Installed probe = installPlannedDriverHalt()) {
      return train(sc, compactions);
    }
  }

  /** A test's planned driver crash: the fault plan halts the driver at a commit step. */
  private CommitProbes.Installed installPlannedDriverHalt() {
    return settings.faults().haltsTheDriver() ? CommitProbes.install(settings.faults()) : () -> {};
  }

  private RunSummary train(JavaSparkContext sc, Compactions compactions) {
    Output output = output(sc.hadoopConfiguration());
    String exportDirectory = exportDirectory(output, sc.hadoopConfiguration());
    // Read and check the inputs first: bad input fails here, before the output folder is touched.
    Inputs inputs = loadInputs(sc);
    Network network = NetworkFactory.create(config, inputs.shape());
    Map<String, Integer> activationLayers = CaptureChecks.check(network, settings);
    String runId = newRunId();
    prepareOutput(output);
    Audit audit =
        config.get(Keys.AUDIT)
            ? startAuditTable(sc, output, runId, inputs, activationLayers, compactions)
            : new NotAudited();
    progress.runStarted(runId, inputs.data().size(), output.auditDir());

    List<RoundResult> roundsOfEpoch = new ArrayList<>();
    AuditingTrainingMaster master = trainingMaster(audit.capture(), roundsOfEpoch, exportDirectory);
    boolean everyExample = config.get(Keys.TRAINING_COVERAGE).equals("all");
    if (everyExample) {
      master.trainEveryExampleOnce();
    }
    int slices = Math.max(config.get(Keys.WORKERS), sc.defaultParallelism());
    JavaRDD<DataSet> trainingRdd =
        config.get(Keys.SHUFFLE)
            ? DataSets.shuffled(
                inputs.data(), sc, slices, inputs.standardizer(), config.get(Keys.SEED))
            : DataSets.of(inputs.data(), sc, slices, inputs.standardizer());
    String untrained = splitPlan(trainingRdd, inputs.data().size(), everyExample).warning();
    if (untrained != null) {
      progress.untrainedAhead(untrained);
    }
    Network.Training training = network.train(sc, master, trainingRdd);
    JavaRDD<DataSet> validationRdd =
        inputs.validation() == null
            ? null
            : DataSets.of(inputs.validation(), sc, slices, inputs.standardizer());

    long start = System.nanoTime();
    List<TrainedEpoch> epochs = new ArrayList<>();
    try {
      for (int epoch = 0; epoch < config.get(Keys.EPOCHS); epoch++) {
        TrainedEpoch trained = trainEpoch(master, training, epoch, roundsOfEpoch, inputs);
        epochs.add(trained);
        audit.commitTraining(trained);
        if (validationRdd != null) {
          boolean classification = inputs.shape().classification();
          audit.commitValidation(
              validate(sc, training, validationRdd, audit.capture(), epoch, classification),
              classification);
        }
      }
    } finally {
      // rdd-approach=export: the minibatch files serve this run's epochs only (best effort: a
      // failure to delete is logged by DL4J and leaves the folder for the user)
      master.deleteExport(sc);
    }
    deleteDefaultExportFolder(output);
    compactions.awaitAll();
    double seconds = (System.nanoTime() - start) / 1e9;
    training.unpersist();
    inputs.release();
    return writeModelAndSummary(
        output, runId, training, inputs.standardizer(), audit, epochs, seconds);
  }

  /**
   * The run's last step: {@code model.zip}, then the run's end in the table (from then on the run
   * counts as finished), then the users' {@code summary.json}, then the last line.
   */
  private RunSummary writeModelAndSummary(
      Output output,
      String runId,
      Network.Training training,
      Standardizer standardizer,
      Audit audit,
      List<TrainedEpoch> epochs,
      double seconds) {
    Path model = writeModel(output, training.model(), standardizer);
    RunSummary summary =
        new RunSummary(
            runId,
            output.dir().toString(),
            model.toString(),
            audit.folder(),
            settings.data().toString(),
            config.get(Keys.EPOCHS),
            epochs.stream().map(e -> e.rounds().size()).toList(),
            epochs.stream().map(TrainedEpoch::examples).toList(),
            epochs.stream().map(e -> e.dataExamples() - e.examples()).toList(),
            audit.rowsPerEpoch(),
            training.score(),
            seconds,
            config.values());
    audit.finish(
        new RunEnd(
            RunEnd.FORMAT_VERSION,
            runId,
            Instant.now().toString(),
            seconds,
            training.score(),
            config.get(Keys.EPOCHS),
            audit.rowsPerEpoch().stream().mapToLong(Long::longValue).sum()));
    Path summaryPath = RunSummaryFile.write(output.dir(), output.fs().getConf(), summary);
    progress.done(
        seconds,
        training.score(),
        audit.rowsPerEpoch().stream().mapToLong(Long::longValue).sum(),
        model,
        summaryPath,
        output.auditDir());
    return summary;
  }

  /** The output folder (qualified) on its file system; the audit log goes to its {@code audit/}. */
  private record Output(FileSystem fs, Path dir) {
    Path auditDir() {
      return new Path(dir, "audit");
    }
  }

  private Output output(Configuration hadoop) {
    Path out = new Path(config.get(Keys.OUT));
    FileSystem fs = filesystem(out, hadoop);
    return new Output(fs, fs.makeQualified(out));
  }

  /**
   * The training data, the validation data ({@code null} when none is configured) read like the
   * training data, and the standardizer of both ({@code null} unless {@code standardize}).
   */
  private record Inputs(InputData data, InputData validation, Standardizer standardizer) {
    DataShape shape() {
      return data.shape();
    }

    void release() {
      data.release();
      if (validation != null) {
        validation.release();
      }
    }
  }

  private Inputs loadInputs(JavaSparkContext sc) {
    InputData data = InputData.load(sc, settings.data());
    InputData validation =
        settings.validationData() == null
            ? null
            : InputData.loadLike(sc, settings.validationData(), data);
    return new Inputs(
        data, validation, settings.standardize() ? Standardizer.of(data.featureStats(sc)) : null);
  }

  /** Creates the audit table and what the executors record into its staging area. */
  private Audit startAuditTable(
      JavaSparkContext sc,
      Output output,
      String runId,
      Inputs inputs,
      Map<String, Integer> activationLayers,
      Compactions compactions) {
    Configuration hadoop = sc.hadoopConfiguration();
    AuditTable table =
        AuditTable.create(
            output.auditDir(),
            hadoop,
            runInfo(
                runId,
                output.auditDir(),
                inputs.data().fingerprint(sc),
                inputs.validation() == null ? null : inputs.validation().fingerprint(sc)));
    // the Hadoop configuration travels to each executor once, not with every task
    Broadcast<SerializableConfiguration> conf = sc.broadcast(new SerializableConfiguration(hadoop));
    CaptureSettings capture =
        new CaptureSettings(
            new StagingArea(
                table.layout(),
                () -> conf.value().get(),
                runId,
                settings.optionalColumns(),
                settings.writerOptions()),
            settings.predictions(),
            activationLayers,
            settings.faults());
    return new Audited(table, output.auditDir(), capture, hadoop, compactions);
  }

  /**
   * What DL4J's splits will train per epoch. Direct splits the examples; Export splits the exported
   * minibatch files, of which each of the RDD's partitions makes {@code ceil(examples /
   * batch-size)} (counted here by one Spark job over the training RDD, before the export).
   */
  private SplitPlan splitPlan(JavaRDD<DataSet> trainingRdd, long examples, boolean everyExample) {
    int workers = config.get(Keys.WORKERS);
    int batchSize = config.get(Keys.BATCH_SIZE);
    int frequency = config.get(Keys.AVERAGING_FREQUENCY);
    if (settings.rddApproach() == RDDTrainingApproach.Direct) {
      return SplitPlan.direct(examples, workers, batchSize, frequency, everyExample);
    }
    List<Long> perPartition =
        trainingRdd
            .mapPartitions(
                it -> {
                  long n = 0;
                  for (; it.hasNext(); it.next()) {
                    n++;
                  }
                  return List.of(n).iterator();
                })
            .collect();
    long files = perPartition.stream().mapToLong(n -> (n + batchSize - 1) / batchSize).sum();
    return SplitPlan.export(examples, files, workers, batchSize, frequency, everyExample);
  }

  /**
   * The export folder of {@code rdd-approach=export}: the key's value, or {@code <out>/export/}
   * when it is empty; checked before anything is written.
   */
  private String exportDirectory(Output output, Configuration hadoop) {
    String configured = config.get(Keys.EXPORT_DIRECTORY);
    if (configured.isEmpty()) {
      return new Path(output.dir(), "export").toString();
    }
    String fix = "; give a folder (any Hadoop URI) that every executor reads, or leave it empty";
    Path dir;
    try {
      dir = new Path(configured);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid export-directory '" + configured + "': " + e.getMessage() + fix, e);
    }
    try {
      FileSystem fs = dir.getFileSystem(hadoop);
      return fs.makeQualified(dir).toString();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Invalid export-directory '"
              + configured
              + "': no file system for it ("
              + e.getMessage()
              + ")"
              + fix,
          e);
    }
  }

  /** Removes the default export folder {@code <out>/export/} once it is empty. */
  private void deleteDefaultExportFolder(Output output) {
    if (!config.get(Keys.EXPORT_DIRECTORY).isEmpty()) {
      return;
    }
    Path folder = new Path(output.dir(), "export");
    try {
      if (output.fs().exists(folder) && output.fs().listStatus(folder).length == 0) {
        output.fs().delete(folder, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot remove the export folder " + folder + ": " + e.getMessage(), e);
    }
  }

  /** DL4J's parameter averaging as configured, reporting every round to {@code roundsOfEpoch}. */
  private AuditingTrainingMaster trainingMaster(
      Capture capture, List<RoundResult> roundsOfEpoch, String exportDirectory) {
    return new AuditingTrainingMaster(
        new ParameterAveragingTrainingMaster.Builder(config.get(Keys.WORKERS), 1)
            .batchSizePerWorker(config.get(Keys.BATCH_SIZE))
            .averagingFrequency(config.get(Keys.AVERAGING_FREQUENCY))
            .workerPrefetchNumBatches(0)
            .rddTrainingApproach(settings.rddApproach())
            .exportDirectory(exportDirectory)
            .rngSeed(config.get(Keys.SEED))
            .collectTrainingStats(false),
        capture,
        extraHooks,
        round -> {
          roundsOfEpoch.add(round);
          progress.round(round);
        });
  }

  /**
   * One epoch's training.
   *
   * @param rounds the rounds of one epoch, in order
   * @param examples examples trained, over all rounds
   * @param dataExamples examples in the training data
   * @param score DL4J's score after the epoch's last round
   */
  private record TrainedEpoch(
      int epoch, List<RoundResult> rounds, long examples, long dataExamples, double score) {}

  private static TrainedEpoch trainEpoch(
      AuditingTrainingMaster master,
      Network.Training training,
      int epoch,
      List<RoundResult> roundsOfEpoch,
      Inputs inputs) {
    roundsOfEpoch.clear();
    master.startEpoch(epoch);
    training.fitEpoch();
    List<RoundResult> rounds = List.copyOf(roundsOfEpoch);
    return new TrainedEpoch(
        epoch,
        rounds,
        rounds.stream().mapToLong(RoundResult::examples).sum(),
        inputs.data().size(),
        training.score());
  }

  /**
   * The validation phase after training epoch {@code epoch}: distributed inference of the averaged
   * model on the executors, recorded as {@code capture} says.
   */
  private ValidationPass.Result validate(
      JavaSparkContext sc,
      Network.Training training,
      JavaRDD<DataSet> data,
      Capture capture,
      int epoch,
      boolean classification) {
    return ValidationPass.run(
        sc, training.snapshot(), data, capture, epoch, config.get(Keys.BATCH_SIZE), classification);
  }

  /** What differs between an audited run and one without audit log ({@code audit=false}). */
  private sealed interface Audit permits Audited, NotAudited {
    /** What the executors record. */
    Capture capture();

    /** An epoch's training phase ended: commits it (when audited) and reports it. */
    void commitTraining(TrainedEpoch epoch);

    /** An epoch's validation phase ended: commits it (when audited) and reports it. */
    void commitValidation(ValidationPass.Result result, boolean classification);

    /** Audit rows committed per epoch, in epoch order; empty when not audited. */
    List<Long> rowsPerEpoch();

    /** The audit folder as the summary names it; {@code null} when not audited. */
    String folder();

    /** Records the run's end in the table (when audited): the run is finished from then on. */
    void finish(RunEnd end);
  }

  /** Commits every phase of every epoch to the table and queues its compaction. */
  private final class Audited implements Audit {
    private final AuditTable table;
    private final Path dir;
    private final CaptureSettings capture;
    private final Configuration hadoop;
    private final Compactions compactions;
    private final List<Long> rows = new ArrayList<>();

    Audited(
        AuditTable table,
        Path dir,
        CaptureSettings capture,
        Configuration hadoop,
        Compactions compactions) {
      this.table = table;
      this.dir = dir;
      this.capture = capture;
      this.hadoop = hadoop;
      this.compactions = compactions;
    }

    @Override
    public Capture capture() {
      return capture;
    }

    @Override
    public void commitTraining(TrainedEpoch e) {
      EpochCommit commit =
          table.commitEpoch(
              Phase.TRAIN,
              e.epoch(),
              e.rounds().stream().map(RoundResult::provenance).toList(),
              e.rounds().stream().flatMap(r -> r.accepted().stream()).toList());
      rows.add(commit.rows());
      progress.epochCommitted(e.epoch(), commit, e.examples(), e.dataExamples(), e.score());
      compact(Phase.TRAIN, e.epoch());
    }

    @Override
    public void commitValidation(ValidationPass.Result v, boolean classification) {
      EpochCommit commit =
          table.commitEpoch(
              Phase.VALIDATION,
              v.epoch(),
              List.of(new RoundStart(0, v.paramsSha256(), v.meanLoss(), v.partitions())),
              v.accepted());
      progress.validationCommitted(v, classification, commit);
      compact(Phase.VALIDATION, v.epoch());
    }

    /** Queues the compaction of a committed phase (when enabled) behind those queued before. */
    private void compact(Phase phase, int epoch) {
      if (config.get(Keys.AUDIT_COMPACTION)) {
        compactions.submit(
            () ->
                progress.compacted(
                    phase,
                    epoch,
                    Compactor.compact(
                        table,
                        hadoop,
                        phase,
                        epoch,
                        config.get(Keys.AUDIT_COMPACTION_FILE_SIZE),
                        config.get(Keys.AUDIT_COMPACTION_GRACE))));
      }
    }

    @Override
    public List<Long> rowsPerEpoch() {
      return List.copyOf(rows);
    }

    @Override
    public String folder() {
      return dir.toString();
    }

    @Override
    public void finish(RunEnd end) {
      table.finish(end);
    }
  }

  /** Trains and validates only: nothing is committed, every phase is only reported. */
  private final class NotAudited implements Audit {
    @Override
    public Capture capture() {
      return Capture.off();
    }

    @Override
    public void commitTraining(TrainedEpoch e) {
      progress.epochDone(e.epoch(), e.rounds().size(), e.examples(), e.dataExamples(), e.score());
    }

    @Override
    public void commitValidation(ValidationPass.Result v, boolean classification) {
      progress.validated(v, classification);
    }

    @Override
    public List<Long> rowsPerEpoch() {
      return List.of();
    }

    @Override
    public String folder() {
      return null;
    }

    @Override
    public void finish(RunEnd end) {}
  }

  /**
   * Writes the trained model (with its updater state, and the standardizer as ND4J's normalizer
   * when features were standardized) to {@code model.zip} in the output folder, through a local
   * temporary file (DL4J adds a normalizer to a model file only); returns its path.
   */
  private static Path writeModel(
      Output output, org.deeplearning4j.nn.api.Model model, Standardizer standardizer) {
    Path target = new Path(output.dir(), "model.zip");
    java.io.File tmp = null;
    try {
      tmp = java.io.File.createTempFile("batch-audit-model", ".zip");
      ModelSerializer.writeModel(model, tmp, true);
      if (standardizer != null) {
        // (writeModel with a normalizer fails in DL4J 1.0.0-M2: the normalizer's writer closes
        // the zip stream before the model's entries are finished)
        ModelSerializer.addNormalizerToModel(tmp, standardizer.toNd4j());
      }
      try (OutputStream os = output.fs().create(target, false)) {
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
    return target;
  }

  private RunInfo runInfo(
      String runId, Path auditDir, String dataFingerprint, String validationFingerprint) {
    return new RunInfo(
        RunInfo.FORMAT_VERSION,
        runId,
        AuditLayout.defaultStaging(auditDir).toString(),
        Instant.now().toString(),
        settings.data().toString(),
        dataFingerprint,
        settings.validationData() == null ? null : settings.validationData().toString(),
        validationFingerprint,
        config.get(Keys.EPOCHS),
        config.get(Keys.BATCH_SIZE),
        config.get(Keys.WORKERS),
        config.get(Keys.AVERAGING_FREQUENCY),
        settings.optionalColumns(),
        config.values(),
        config.get(Keys.AUDIT_COMMIT_PROTOCOL).equals("auto")
            ? null // AuditTable.create detects it from the audit folder's file system
            : config.get(Keys.AUDIT_COMMIT_PROTOCOL));
  }

  /**
   * Makes sure {@code out} is empty. A folder left by a run whose driver died is refused with what
   * it holds: its committed epochs stay readable, nothing is resumed (the model of an unfinished
   * run was never saved).
   */
  private void prepareOutput(Output output) {
    FileSystem fs = output.fs();
    Path out = output.dir();
    Path auditDir = output.auditDir();
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
