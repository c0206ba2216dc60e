package io.batchaudit.cli;

import java.util.concurrent.Callable;

/**
 * A subcommand that the application jar does not carry: {@link BatchAuditCli} finds every
 * implementation on the classpath with {@link java.util.ServiceLoader} (each listed in a {@code
 * META-INF/services/io.batchaudit.cli.ExtraCommand} file) and adds it after the built-in commands,
 * before {@code help}. The benchmarks ({@code src/bench}, compiled to {@code target/bench-classes})
 * are the one such command: {@code jobs/batch-audit} and the tests put them on the classpath, so
 * that nothing in the application depends on them.
 *
 * <p>An implementation is a picocli {@code @Command} class with a public no-argument constructor;
 * one instance is created for each command line and runs on the driver, in the CLI's JVM. Its exit
 * codes and error handling are the CLI's ({@link ExitCodes}).
 */
public interface ExtraCommand extends Callable<Integer> {}
