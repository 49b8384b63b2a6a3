import type { ComponentDef, DesiredState } from '../servicedef/types.js';

export interface ComponentRecord {
  service: string;
  spec: ComponentDef;
  desired: DesiredState;
  /** Last observed container state: running, exited, created, paused, missing, unknown… */
  observed: string;
  version: string;
  /** podman's restart count for the container when the monitor last looked. */
  restartCount: number;
  updatedAt: Date;
}

export interface ServiceRecord {
  name: string;
  active: boolean;
  components: ComponentRecord[];
  createdAt: Date;
  updatedAt: Date;
}

/** `observed`: the monitor found the change; `operation`: an agent operation (deploy, stop…) made it. */
export type EventCause = 'observed' | 'operation';

export interface EventRecord {
  id: number;
  service: string;
  component: string;
  from: string;
  to: string;
  cause: EventCause;
  time: Date;
  /** What an operation did, e.g. `restarted` or `image v1 → v2`; empty for observed transitions. */
  detail: string;
  /** The component's desired state when it happened. */
  desired: string;
}

/** What an event says besides its states. */
export interface EventFacts {
  detail?: string;
  desired?: string;
}

/** Alerts are rate-limited per component, kind and direction (drift `down` or `up`; flap ``). */
export interface AlertKey {
  service: string;
  component: string;
  kind: 'drift' | 'flap';
  direction: string;
}

export interface EventQuery {
  service?: string;
  component?: string;
  /** Inclusive lower bound. */
  since?: Date;
  /** Exclusive upper bound. */
  until?: Date;
  /** The newest `limit` events (still returned oldest first). */
  limit?: number;
}
