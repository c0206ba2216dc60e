/**
 * Benchmarks: they build their own logs through the real store code, measure in child JVMs with
 * fixed heaps, and print ratios and figures measured side by side in one run; {@link
 * io.batchaudit.bench.BenchCommand} is {@code batch-audit bench}.
 *
 * <p>A source set of their own ({@code src/bench/java}, compiled after {@code src/main} into {@code
 * target/bench-classes}): neither the project jar nor the application jar carries them. {@code
 * jobs/batch-audit} and the tests (BenchQuickTest) put them on the classpath, where the CLI finds
 * {@code bench} as an {@link io.batchaudit.cli.ExtraCommand} through {@code META-INF/services}.
 *
 * <p>Dependencies: the benchmarks may use every package (they drive training, the store, the reader
 * and the CLI's exit codes); nothing outside this package may depend on it, and {@code src/main}
 * cannot: its compilation does not see these classes. Runs on the driver and in the child JVMs it
 * starts; never used by training.
 */
package io.batchaudit.bench;
