package io.batchaudit.cli;

import static io.batchaudit.read.ProblemKind.DUPLICATE_BATCHES;
import static io.batchaudit.read.ProblemKind.FILE_PROBLEMS;
import static io.batchaudit.read.ProblemKind.INCOMPLETE_EPOCHS;
import static io.batchaudit.read.ProblemKind.KEY_PROBLEMS;
import static io.batchaudit.read.ProblemKind.LABEL_MISMATCHES;
import static io.batchaudit.read.ProblemKind.MISSING_BATCHES;
import static io.batchaudit.read.ProblemKind.TABLE_PROBLEMS;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.batchaudit.read.AuditLog;
import io.batchaudit.read.LabelSource;
import io.batchaudit.read.ProblemKind;
import io.batchaudit.read.VerificationReport;
import io.batchaudit.read.Verifier;
import io.batchaudit.store.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code batch-audit verify}: checks a log; exit 0 when all holds, 1 when problems were found. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Checks the log against its manifests, its own keys and the source data, and the audit",
      "folder as plain readers (Spark, DuckDB, pyarrow) read it.",
      "Every planned epoch committed, every file as committed (size, SHA-256, rows), every batch",
      "present exactly once, keys consistent, every target equal to its sample's source label;",
      "no file or folder in the audit folder that no manifest names, every epoch folder with its",
      "manifest, and the rows of every *.parquet file under it equal to the manifests' rows.",
      "Exit codes: 0 all holds, 1 problems found (listed), 2 usage or input error."
    })
final class VerifyCommand implements Callable<Integer> {
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
    LabelSource validation = sources.validation();
    VerificationReport report = Verifier.verify(log, labels, validation);
    PrintWriter out = this.spec.commandLine().getOut();
    if (json) {
      out.println(Json.compact(report));
    } else {
      printText(out, log, labels, validation, report);
      // findings, not problems: the exit code does not depend on them
      report.warnings().forEach(out::println);
    }
    out.flush();
    return report.ok() ? ExitCodes.OK : ExitCodes.PROBLEMS;
  }

  private static void printText(
      PrintWriter out,
      AuditLog log,
      LabelSource labels,
      LabelSource validation,
      VerificationReport r) {
    out.printf("audit log %s (run %s)%n", log.location(), log.run().runId());
    out.printf(
        "epochs committed: %d of %d planned; batches: %d; rows: %d%n",
        log.committedEpochs(io.batchaudit.store.Phase.TRAIN).size(),
        log.run().plannedEpochs(),
        r.batches(),
        r.rows());
    out.printf("targets checked against %s (%d examples)%n", labels.description(), labels.size());
    if (validation != null) {
      out.printf(
          "validation epochs committed: %d; validation targets checked against %s (%d"
              + " examples)%n",
          log.committedEpochs(io.batchaudit.store.Phase.VALIDATION).size(),
          validation.description(),
          validation.size());
    }
    if (r.ok()) {
      out.printf(
          "OK: every batch present exactly once, keys consistent, all %d targets equal their"
              + " source labels; plain readers read exactly the committed files%n",
          r.rows());
      return;
    }
    out.printf(
        "PROBLEMS: %d incomplete epochs, %d file problems, %d table problems, %d missing, %d"
            + " duplicates, %d key problems, %d label mismatches%n",
        r.count(INCOMPLETE_EPOCHS),
        r.count(FILE_PROBLEMS),
        r.count(TABLE_PROBLEMS),
        r.count(MISSING_BATCHES),
        r.count(DUPLICATE_BATCHES),
        r.count(KEY_PROBLEMS),
        r.count(LABEL_MISMATCHES));
    print(out, r, INCOMPLETE_EPOCHS, "incomplete epochs");
    print(out, r, FILE_PROBLEMS, "file problems");
    print(out, r, TABLE_PROBLEMS, "table problems");
    print(out, r, MISSING_BATCHES, "missing batches");
    print(out, r, DUPLICATE_BATCHES, "duplicates");
    print(out, r, KEY_PROBLEMS, "key problems");
    print(out, r, LABEL_MISMATCHES, "label mismatches");
  }

  /** The kept messages of one kind, then how many more were found. */
  private static void print(
      PrintWriter out, VerificationReport r, ProblemKind kind, String description) {
    List<String> kept = r.messages(kind);
    for (String p : kept) {
      out.println("  - " + p);
    }
    if (r.count(kind) > kept.size()) {
      out.printf("  ... and %d more %s%n", r.count(kind) - kept.size(), description);
    }
  }
}
