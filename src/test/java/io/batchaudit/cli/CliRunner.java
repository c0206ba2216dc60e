package io.batchaudit.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process for tests in other packages. */
public final class CliRunner {
  private CliRunner() {}

  public record Result(int code, String out, String err) {}

  public static Result run(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = BatchAuditCli.execute(new PrintWriter(o, true), new PrintWriter(e, true), args);
    return new Result(code, o.toString(), e.toString());
  }
}
