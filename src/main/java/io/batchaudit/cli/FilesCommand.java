package io.batchaudit.cli;

import io.batchaudit.read.AuditLog;
import io.batchaudit.store.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code batch-audit files}: exactly the committed data files of a log, for plain readers (DuckDB
 * {@code read_parquet([...])}, pyarrow, pandas, Spark) to read the committed rows on any store
 * instead of globbing the folder.
 */
@Command(
    name = "files",
    mixinStandardHelpOptions = true,
    description = {
      "Prints exactly the committed data files, one URI a line, from the epoch manifests.",
      "Give the list to a plain reader instead of a glob of the folder: a glob also sees files",
      "nobody committed, and on an object store a commit in progress."
    })
final class FilesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin AuditDir auditDir;

  @Option(names = "--json", description = "One JSON array of URIs.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    AuditLog log = auditDir.open();
    List<String> files = log.committedFiles();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.mapper().writeValueAsString(files));
    } else {
      files.forEach(out::println);
    }
    out.flush();
    return ExitCodes.OK;
  }
}
