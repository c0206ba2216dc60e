package io.batchaudit.dynamics;

import io.batchaudit.store.Phase;
import java.util.Objects;

/**
 * What {@link TrainingDynamics} computes.
 *
 * @param phase the phase whose presentations are aggregated (training by default)
 * @param el2nEpoch the epoch whose presentations give EL2N, or {@code null} for the phase's first
 *     committed epoch (epoch 0 of a complete run)
 */
public record DynamicsOptions(Phase phase, Integer el2nEpoch) {
  public DynamicsOptions {
    Objects.requireNonNull(phase, "phase");
  }

  /** Training phase, EL2N at the first committed epoch. */
  public static DynamicsOptions defaults() {
    return new DynamicsOptions(Phase.TRAIN, null);
  }
}
