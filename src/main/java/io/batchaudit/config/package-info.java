/**
 * The job's configuration: every key declared once, with its type, default, documentation and
 * checks ({@link io.batchaudit.config.Keys}, built from {@link io.batchaudit.config.ConfigEntry}),
 * and the validated values of one job read from its sources ({@link
 * io.batchaudit.config.JobConfig}: defaults, a {@code --conf} file, {@code spark.batchaudit.<key>}
 * Spark properties, {@code --set}, in increasing precedence).
 *
 * <p>Values are of plain types (text, numbers, lists, durations); a meaning another package owns is
 * given there, from the typed value: data specifications in {@code source}, DL4J's training
 * approach, capture's prediction source and fault plan and store's writer options in {@code train}.
 *
 * <p>Runs on the driver. Depends on nothing in the project but {@code internal} (the test-only
 * switch, size and duration units), and on no Spark, Hadoop or DL4J class: everything else may
 * depend on it.
 */
package io.batchaudit.config;
