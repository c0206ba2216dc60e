package io.batchaudit.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.batchaudit.bench.ScaleBench;
import io.batchaudit.store.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code batch-audit bench}: benchmarks, measured side by side in one run. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks. Suite 'scale': time and peak heap of ordered reads of 1 and 10 million rows",
      "(child JVMs with -Xmx256m), before and after compaction, and 10 to 1000 rounds per epoch."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--suite", defaultValue = "scale", description = "Which benchmark: scale.")
  String suite;

  @Option(names = "--quick", description = "Small sizes: checks that the benchmark works.")
  boolean quick;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "target/bench",
      description = "Working folder for the logs it writes (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!suite.equals("scale")) {
      throw new IllegalArgumentException("Unknown --suite '" + suite + "': use scale");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter progress = spec.commandLine().getErr();
    List<ScaleBench.Row> rows = ScaleBench.run(dir, quick, progress);
    if (json) {
      out.println(Json.compact(Map.of("scale", rows)));
    } else {
      ScaleBench.print(out, rows);
    }
    out.flush();
    return ExitCodes.OK;
  }
}
