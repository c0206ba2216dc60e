/**
 * Driver-side reading of a committed audit log: batches in training order ({@link
 * io.batchaudit.read.AuditLog}), and verification against its own keys and the source labels
 * ({@link io.batchaudit.read.Verifier}).
 *
 * <p>Reads through the store package and the epoch manifests only; contains no DL4J training code
 * and does not know how source data is produced (it asks a {@link io.batchaudit.read.LabelSource}).
 */
package io.batchaudit.read;
