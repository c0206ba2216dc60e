/**
 * The command line: one class per subcommand, thin wrappers over train and read. Commands print
 * results to standard output and messages to standard error, and return the exit codes of {@link
 * io.batchaudit.cli.ExitCodes}.
 */
package io.batchaudit.cli;
