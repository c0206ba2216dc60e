package io.batchaudit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.batchaudit.read.AuditLog;
import io.batchaudit.read.Coverage;
import io.batchaudit.read.LabelMix;
import io.batchaudit.read.LabelSource;
import io.batchaudit.store.Json;
import io.batchaudit.store.Phase;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code batch-audit coverage}: how often each source example was trained, per epoch. */
@Command(
    name = "coverage",
    mixinStandardHelpOptions = true,
    description = {
      "Per epoch, how many source examples were trained once, never, or more than once.",
      "Lists the smallest never-trained sample ids. DL4J's parameter averaging skips what does not",
      "fit a worker's averaging-frequency x batch-size per round."
    })
final class CoverageCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin AuditDir auditDir;

  @Mixin SourceOption source;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() throws JsonProcessingException {
    AuditLog log = auditDir.open();
    SourceLabels.Sources sources = source.labels(log);
    LabelSource labels = sources.train();
    String data = labels.description();
    long examples = labels.size();
    List<Coverage.EpochCoverage> epochs = Coverage.compute(log, Phase.TRAIN, labels);
    List<LabelMix.PartitionMix> mixes = LabelMix.compute(log);
    List<String> warnings = new java.util.ArrayList<>(Coverage.untrainedWarnings(epochs));
    warnings.addAll(LabelMix.skewWarnings(mixes));
    LabelSource validation = sources.validation();
    List<Coverage.EpochCoverage> validated =
        validation == null ? List.of() : Coverage.compute(log, Phase.VALIDATION, validation);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> json = new java.util.LinkedHashMap<>();
      json.put("source", data);
      json.put("epochs", epochs);
      json.put("labelMix", mixes);
      json.put("warnings", warnings);
      if (validation != null) {
        json.put("validationSource", validation.description());
        json.put("validationEpochs", validated);
      }
      out.println(Json.compact(json));
    } else {
      out.printf("coverage of %s by %s (run %s)%n", data, log.location(), log.run().runId());
      out.printf(
          "%5s %14s %12s %13s %19s%n",
          "epoch", "sourceExamples", "trainedOnce", "neverTrained", "trainedMoreThanOnce");
      for (Coverage.EpochCoverage c : epochs) {
        out.printf(
            "%5d %14d %12d %13d %19d%n",
            c.epoch(),
            c.sourceExamples(),
            c.trainedOnce(),
            c.neverTrained(),
            c.trainedMoreThanOnce());
      }
      for (Coverage.EpochCoverage c : epochs) {
        if (c.neverTrained() > 0) {
          out.printf(
              "epoch %d never trained %d examples: %s%s%n",
              c.epoch(),
              c.neverTrained(),
              c.neverTrainedSample().stream()
                  .map(String::valueOf)
                  .collect(Collectors.joining(", ")),
              c.neverTrained() > c.neverTrainedSample().size() ? ", ..." : "");
        }
        if (c.outsideSource() > 0) {
          out.printf(
              "epoch %d has %d rows whose sample id is not in %s%n",
              c.epoch(), c.outsideSource(), data);
        }
      }
      if (!mixes.isEmpty()) {
        out.printf(
            "classes per worker partition (balance: 1 the epoch's mix, 0 a class missing; strong"
                + " skew below %.2f)%n",
            LabelMix.STRONG_SKEW_BELOW);
        out.printf(
            "%5s %9s %8s %7s  %s%n", "epoch", "partition", "examples", "balance", "perClass");
        for (LabelMix.PartitionMix m : mixes) {
          out.printf(
              java.util.Locale.ROOT,
              "%5d %9d %8d %7.2f  %s%s%n",
              m.epoch(),
              m.partition(),
              m.examples(),
              m.balance(),
              m.classCounts(),
              m.strong() ? " strong skew" : "");
        }
      }
      warnings.forEach(out::println);
      if (validation != null) {
        out.printf("validation coverage of %s%n", validation.description());
        out.printf(
            "%5s %14s %14s %15s %21s%n",
            "epoch", "sourceExamples", "validatedOnce", "neverValidated", "validatedMoreThanOnce");
        for (Coverage.EpochCoverage c : validated) {
          out.printf(
              "%5d %14d %14d %15d %21d%n",
              c.epoch(),
              c.sourceExamples(),
              c.trainedOnce(),
              c.neverTrained(),
              c.trainedMoreThanOnce());
        }
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
