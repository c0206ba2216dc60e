package io.batchaudit.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Runs the project's scripts and command line as separate processes, as a user would. */
public final class Processes {
  private Processes() {}

  /** A finished process: its exit code and everything it printed (stdout and stderr merged). */
  public record Result(int code, String output) {}

  /** A started process whose output goes to a file. */
  public record Running(Process process, Path log) {
    public Result await(long seconds) {
      try {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          throw new AssertionError(
              "process did not finish within " + seconds + " s; output:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Starts {@code command} in the project folder; output to {@code log}. */
  public static Running start(Path log, List<String> command) {
    return start(log, Map.of(), command);
  }

  /**
   * Starts {@code command} in the project folder with {@code env} added to this process's
   * environment (a {@code null} value removes the variable); output to {@code log}.
   */
  public static Running start(Path log, Map<String, String> env, List<String> command) {
    try {
      ProcessBuilder b =
          new ProcessBuilder(command)
              .directory(new File(System.getProperty("user.dir")))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      env.forEach(
          (k, v) -> {
            if (v == null) {
              b.environment().remove(k);
            } else {
              b.environment().put(k, v);
            }
          });
      return new Running(b.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + command, e);
    }
  }

  public static Result run(Path log, long seconds, List<String> command) {
    return start(log, command).await(seconds);
  }

  public static Result run(Path log, long seconds, Map<String, String> env, List<String> command) {
    return start(log, env, command).await(seconds);
  }

  /** The JVM flags Spark needs on Java 17, from conf/jvm.properties. */
  public static List<String> javaFlags() {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(Path.of("conf/jvm.properties"))) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.of(p.getProperty("jvm.flags.java17").trim().split("\\s+"));
  }

  /** The JVM option that lets a driver JVM a test starts honour test-only switches. */
  public static final String TESTING =
      "-D" + io.batchaudit.internal.TestSwitches.PROPERTY + "=true";

  /**
   * {@code java ... io.batchaudit.cli.BatchAuditCli args}: the command line in a new JVM, which
   * honours test-only switches (like the test JVM).
   */
  public static List<String> cli(String... args) {
    List<String> cmd = realCli(args);
    cmd.add(1, TESTING);
    return cmd;
  }

  /** The project jar {@code mvn package} built (not the application jar), for spark-submit. */
  public static String projectJar() {
    try (java.util.stream.Stream<Path> jars = java.nio.file.Files.list(Path.of("target"))) {
      return jars.map(Path::toString)
          .filter(n -> n.matches(".*/batch-audit-[^/]*\\.jar") && !n.endsWith("-app.jar"))
          .findFirst()
          .orElseThrow(
              () -> new AssertionError("target/batch-audit-<version>.jar is built by mvn package"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The command line in a new JVM as a user runs it: test-only switches are refused. */
  public static List<String> realCli(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.addAll(javaFlags());
    cmd.add("-Dlog4j2.configurationFile=conf/log4j2.properties");
    cmd.add("-cp");
    try {
      cmd.add(
          "target/classes"
              + File.pathSeparator
              + Files.readString(Path.of("target/runtime-classpath.txt")).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "target/runtime-classpath.txt is built by mvn generate-resources", e);
    }
    cmd.add("io.batchaudit.cli.BatchAuditCli");
    cmd.addAll(List.of(args));
    return cmd;
  }
}
