import type { Registry } from '../registry/registry.js';
import type { ComponentRecord } from '../registry/types.js';

export interface FlapCount {
  transitions: number;
  restarts: number;
}

/**
 * How unsettled a component meant to run was within the window: the transitions the monitor saw,
 * the restarts podman made, and those podman made since the monitor last looked (`liveRestarts`, its
 * restart count now). Sampling alone misses a container that crashes and restarts between looks.
 */
export function flapCount(
  registry: Registry,
  record: ComponentRecord,
  since: Date,
  liveRestarts?: number,
): FlapCount {
  const counted = registry.flapCount(record.service, record.spec.name, since);
  if (liveRestarts === undefined || record.desired !== 'running') return counted;
  const unseen = liveRestarts >= record.restartCount ? liveRestarts - record.restartCount : liveRestarts;
  return { transitions: counted.transitions, restarts: counted.restarts + unseen };
}

/** Flapping: more state changes (transitions and restarts) within the window than the threshold. */
export const isFlapping = (count: FlapCount, threshold: number): boolean =>
  count.transitions + count.restarts > threshold;
