/**
 * The command line: one class per subcommand, thin wrappers over train and read. Commands print
 * results to standard output and messages to standard error, and return the exit codes of {@link
 * io.batchaudit.cli.ExitCodes}. Commands the jars do not carry (the benchmarks, {@code src/bench})
 * join through {@link io.batchaudit.cli.ExtraCommand}; nothing here depends on them.
 */
package io.batchaudit.cli;
