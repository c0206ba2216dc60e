/**
 * Benchmarks: they build their own logs through the real store code, measure in child JVMs with
 * fixed heaps, and print ratios and figures measured side by side in one run. Never used by
 * training; depends on store and read.
 */
package io.batchaudit.bench;
