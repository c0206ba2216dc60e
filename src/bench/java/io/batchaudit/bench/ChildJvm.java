package io.batchaudit.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a probe's main class in a fresh JVM with a fixed heap and parses its result line. */
final class ChildJvm {
  /**
   * A probe's result: rows read, seconds, peak heap bytes (sum of pool peaks), peak resident set
   * bytes (0 when the probe or the system gives none).
   */
  record Measured(
      long rows, double seconds, long peakHeapBytes, long peakRssBytes, long peakLiveHeapBytes) {}

  private ChildJvm() {}

  static Measured run(String heap, Class<?> main, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(heap);
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("-Dlog4j2")) {
        cmd.add(arg);
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    try {
      File log = Files.createTempFile("probe", ".log").toFile();
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
      int code = p.waitFor();
      List<String> lines = Files.readAllLines(log.toPath());
      log.delete();
      if (code != 0 || lines.isEmpty()) {
        throw new IllegalStateException(
            main.getSimpleName()
                + " with "
                + heap
                + " failed (exit "
                + code
                + "): "
                + String.join("\n", lines));
      }
      String[] f = lines.get(lines.size() - 1).split(" ");
      return new Measured(
          Long.parseLong(f[0]),
          Double.parseDouble(f[1]),
          Long.parseLong(f[2]),
          f.length > 4 ? Long.parseLong(f[4]) : 0,
          f.length > 5 ? Long.parseLong(f[5]) : -1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
