package io.batchaudit.store;

/**
 * Provenance of one averaging round, recorded in the epoch manifest.
 *
 * @param round 0-based round
 * @param paramsSha256 SHA-256 of the parameters the workers started the round from (the driver's
 *     network parameters as little-endian float32, in DL4J's flattened order)
 * @param score DL4J's averaged score after the round
 * @param partitions partitions whose accepted attempt trained at least one batch
 */
public record RoundStart(int round, String paramsSha256, double score, int partitions) {}
