package io.batchaudit.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tests' Python interpreter: {@code target/python-env/bin/python}, with the packages pinned in
 * {@code jobs/python-requirements.txt}. Tests get it only from here; {@link #interpreter()} runs
 * {@code jobs/python-env}, which returns at once when jobs/test (or an earlier test) prepared the
 * environment, and otherwise makes it (about a minute), so a plain {@code mvn verify} works too.
 */
public final class PythonEnv {
  private static Path interpreter;

  private PythonEnv() {}

  /** A finished Python process. */
  public record Result(int code, String stdout, String stderr) {}

  /**
   * The interpreter's path, preparing the environment when needed (once per JVM). Fails, never
   * skips, with the script's own message when it cannot be prepared.
   */
  public static synchronized Path interpreter() {
    if (interpreter == null) {
      Result r = exec(List.of("jobs/python-env"), 30 * 60);
      List<String> lines = r.stdout().lines().toList();
      if (r.code() != 0 || lines.isEmpty()) {
        throw new AssertionError(
            "jobs/python-env could not prepare the tests' Python environment (exit "
                + r.code()
                + "):\n"
                + r.stderr());
      }
      interpreter = Path.of(lines.get(lines.size() - 1));
    }
    return interpreter;
  }

  /**
   * Runs {@code python args...} in the project folder; fails when it takes over {@code seconds}.
   */
  public static Result run(long seconds, String... args) {
    return run(java.util.Map.of(), seconds, args);
  }

  /** {@link #run(long, String...)} with {@code environment} added to this JVM's environment. */
  public static Result run(
      java.util.Map<String, String> environment, long seconds, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(interpreter().toString());
    cmd.addAll(List.of(args));
    return exec(cmd, environment, seconds);
  }

  private static Result exec(List<String> cmd, long seconds) {
    return exec(cmd, java.util.Map.of(), seconds);
  }

  private static Result exec(
      List<String> cmd, java.util.Map<String, String> environment, long seconds) {
    try {
      Path out = Files.createTempFile("python-env", ".out");
      Path err = Files.createTempFile("python-env", ".err");
      try {
        // Output to files, not pipes: a child that writes more than a pipe holds never blocks, and
        // nothing reaches the forked test JVM's own stdout (surefire's channel).
        ProcessBuilder builder =
            new ProcessBuilder(cmd)
                .directory(new File(System.getProperty("user.dir")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process p = builder.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          throw new AssertionError(
              cmd + " did not finish within " + seconds + " s:\n" + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + cmd + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
