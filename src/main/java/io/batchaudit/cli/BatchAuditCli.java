package io.batchaudit.cli;

import io.batchaudit.internal.AuditLogException;
import java.io.PrintWriter;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code batch-audit}: the entry point of the launcher script and of {@code spark-submit}. Its
 * subcommands are the built-in ones, then any {@link ExtraCommand} on the classpath (the
 * benchmarks, under {@code jobs/batch-audit} and in the tests), then {@code help}.
 */
@Command(
    name = "batch-audit",
    mixinStandardHelpOptions = true,
    version = "batch-audit 0.1.0",
    description = "Audit log of DL4J parameter-averaging training on Spark.",
    subcommands = {
      TrainCommand.class,
      ShowCommand.class,
      VerifyCommand.class,
      CoverageCommand.class,
      ReportCommand.class,
      QueryCommand.class,
      FilesCommand.class,
      DynamicsCommand.class,
      CompactCommand.class,
      VacuumCommand.class
    })
public final class BatchAuditCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "Missing command: train, show, verify, coverage, report, query, files, dynamics, compact or"
            + " vacuum");
  }

  public static void main(String[] args) {
    System.exit(
        execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs a command line in-process and returns its exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new BatchAuditCli());
    // before any setting below: picocli applies a setting only to the subcommands it already has
    for (ExtraCommand extra :
        ServiceLoader.load(ExtraCommand.class, BatchAuditCli.class.getClassLoader())) {
      cli.addSubcommand(extra);
    }
    cli.addSubcommand(new CommandLine.HelpCommand());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(BatchAuditCli::exitCode);
    // SQL may start with a "--" comment: query's arguments that look like options are its SQL
    cli.getSubcommands().get("query").setUnmatchedOptionsArePositionalParams(true);
    cli.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("error: " + ex.getMessage());
          ex.getCommandLine().usage(err);
          return ExitCodes.BAD_INPUT;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          int code = exitCode(ex);
          err.println("error: " + ex.getMessage());
          if (code == ExitCodes.INTERNAL) {
            ex.printStackTrace(err);
          }
          err.flush();
          return code;
        });
    return cli.execute(args);
  }

  static int exitCode(Throwable ex) {
    if (ex instanceof IllegalArgumentException) {
      return ExitCodes.BAD_INPUT;
    }
    if (ex instanceof AuditLogException) {
      return ExitCodes.UNEXPECTED_STATE;
    }
    return ExitCodes.INTERNAL;
  }
}
