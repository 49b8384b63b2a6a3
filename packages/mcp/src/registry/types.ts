import type { ComponentDef, DesiredState } from '../servicedef/types.js';

export interface ComponentRecord {
  service: string;
  spec: ComponentDef;
  desired: DesiredState;
  /** Last observed container state: running, exited, created, paused, missing, unknown… */
  observed: string;
  version: string;
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
