package io.batchaudit.dynamics;

import java.io.Serializable;

/**
 * What one bucket of the dynamics job receives through its shuffle: blocks of presentations from
 * the map tasks, and the source examples whose ids fall into the bucket. Built in Spark tasks (the
 * source blocks on the driver), serialized as raw primitive arrays.
 */
sealed interface BucketInput extends Serializable permits PresentationBlock, SourceBlock {}
