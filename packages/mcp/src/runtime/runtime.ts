import type { ComponentDef } from '../servicedef/types.js';

/** One line of `ps`: a container as the runtime lists it. */
export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  command: string[];
  /** created | running | paused | exited | stopped | … as the runtime says. */
  state: string;
  status: string;
  startedAt: Date | undefined;
  createdAt: Date | undefined;
}

/** A container in detail, with the run options it was created with. */
export interface ContainerDetails extends Omit<ComponentDef, 'name'> {
  id: string;
  name: string;
  state: string;
  startedAt: Date | undefined;
}

/** What an image gives every container unless overridden. */
export interface ImageDefaults {
  env: string[];
  cmd: string[];
}

/** The container runtime as the agent uses it. Implemented by the podman CLI. */
export interface Runtime {
  readonly name: string;
  version(): Promise<string>;
  pull(image: string): Promise<void>;
  imageExists(image: string): Promise<boolean>;
  imageDefaults(image: string): Promise<ImageDefaults>;
  /** Creates and starts a container; returns its id. */
  run(name: string, component: ComponentDef): Promise<string>;
  stop(name: string): Promise<void>;
  start(name: string): Promise<void>;
  restart(name: string): Promise<void>;
  remove(name: string): Promise<void>;
  /** Every container, running or not. */
  list(): Promise<ContainerSummary[]>;
  /** Undefined when no such container exists. */
  inspect(name: string): Promise<ContainerDetails | undefined>;
  /** How often each container's restart policy restarted it; containers gone by now are left out. */
  restartCounts(names: string[]): Promise<Map<string, number>>;
}

export class RuntimeError extends Error {
  constructor(
    message: string,
    readonly argv: readonly string[],
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'RuntimeError';
  }
}
