import { containerName } from '../runtime/naming.js';
import { imageVersion, isLocalImage } from '../runtime/version.js';
import type { ComponentDef } from '../servicedef/types.js';
import type { AgentContext } from './context.js';

/** The state a missing container is recorded with. */
export const MISSING = 'missing';

/** What one operation did to one component. */
export interface OpResult {
  component: string;
  container: string;
  ok: boolean;
  error: string;
  observed: string;
  version: string;
  warnings: string[];
  action: string;
}

/** What a step reports besides its action: non-fatal problems, and what the history should say. */
interface StepNotes {
  warnings: string[];
  detail?: string;
}

type Step = (container: string, notes: StepNotes) => Promise<string>;

/** Actions the history records even when the container's state did not change. */
const RECORDED_ACTIONS = new Set(['deployed', 'restarted', 'recreated', 'started', 'stopped', 'removed']);

/** The container's state now, or `missing`. */
export async function observe(ctx: AgentContext, container: string): Promise<string> {
  return (await ctx.runtime.inspect(container))?.state || MISSING;
}

/**
 * Runs `step` on one component, then inspects the container and records what it observed. A failure
 * becomes a failed result, so one component never stops the others.
 */
async function operate(
  ctx: AgentContext,
  service: string,
  spec: ComponentDef,
  version: string,
  step: Step,
): Promise<OpResult> {
  const container = containerName(service, spec.name);
  const notes: StepNotes = { warnings: [] };
  let action = '';
  let error = '';
  try {
    action = await step(container, notes);
  } catch (failure) {
    error = (failure as Error).message;
  }
  let observed = 'unknown';
  try {
    observed = await observe(ctx, container);
    ctx.registry.setObserved(service, spec.name, observed, 'operation', {
      detail: error ? `failed: ${error}` : notes.detail || action,
      always: RECORDED_ACTIONS.has(action),
    });
  } catch (failure) {
    notes.warnings.push(`inspect failed: ${(failure as Error).message}`);
  }
  if (error) ctx.logger.warn({ service, component: spec.name, error }, 'component operation failed');
  const { warnings } = notes;
  return { component: spec.name, container, ok: error === '', error, observed, version, warnings, action };
}

/**
 * Pulls the image; a failed pull of an image the node already has is only a warning. `localhost/`
 * images are built on the node and never pulled.
 */
async function pull(ctx: AgentContext, image: string, warnings: string[]): Promise<void> {
  if (isLocalImage(image)) {
    if (await ctx.runtime.imageExists(image)) return;
    throw new Error(
      `image ${image} is not on this node (localhost/ images are built there with podman build)`,
    );
  }
  try {
    await ctx.runtime.pull(image);
  } catch (error) {
    if (!(await ctx.runtime.imageExists(image))) throw error;
    warnings.push(`pull failed, using the local image: ${(error as Error).message}`);
  }
}

/** Runs a container that is gone from the stored spec. */
async function recreate(
  ctx: AgentContext,
  container: string,
  spec: ComponentDef,
  notes: StepNotes,
): Promise<string> {
  await pull(ctx, spec.image, notes.warnings);
  await ctx.runtime.run(container, spec);
  return 'recreated';
}

/** pull → stop → remove → run → inspect. */
export function deployComponent(
  ctx: AgentContext,
  service: string,
  spec: ComponentDef,
  version: string,
): Promise<OpResult> {
  return operate(ctx, service, spec, version, async (container, notes) => {
    await pull(ctx, spec.image, notes.warnings);
    const before = (await ctx.runtime.inspect(container))?.image;
    notes.detail =
      before && imageVersion(before) !== version
        ? `image ${before} → ${spec.image}`
        : `deployed ${spec.image}`;
    await ctx.runtime.stop(container);
    await ctx.runtime.remove(container);
    await ctx.runtime.run(container, spec);
    return 'deployed';
  });
}

/** States a container stays in by itself: exited and cleaned up, never started, or gone. */
const SETTLED = new Set(['exited', 'created', 'configured', MISSING]);
/** How often stop is repeated while the container's restart policy keeps bringing it back. */
const STOP_ATTEMPTS = 30;

/**
 * Stops the container and confirms that it stays stopped. podman before 4.6 ignores a stop that
 * lands between a crash and the restart its policy makes (the container is "stopped", not yet
 * cleaned up), so a crash-looping container with restart = always comes back: stop again until
 * podman reports it exited and cleaned up, or say that it did not stay stopped. A stop that lands
 * while podman is cleaning up after a crash is refused ("container state improper"); that too is a
 * stop to repeat, not a failure.
 */
async function stopForGood(ctx: AgentContext, container: string): Promise<void> {
  let state = '';
  for (let attempt = 0; attempt < STOP_ATTEMPTS; attempt++) {
    try {
      await ctx.runtime.stop(container);
    } catch (error) {
      if (!(error instanceof Error && error.message.includes('container state improper'))) throw error;
    }
    state = await observe(ctx, container);
    if (SETTLED.has(state)) return;
  }
  throw new Error(
    `${container} did not stay stopped: podman still shows it ${state} after ${STOP_ATTEMPTS} stops`,
  );
}

export function stopComponent(
  ctx: AgentContext,
  service: string,
  spec: ComponentDef,
  version: string,
): Promise<OpResult> {
  return operate(ctx, service, spec, version, async (container) => {
    await stopForGood(ctx, container);
    return 'stopped';
  });
}

/** Starts the container, or recreates it from the stored spec when it is gone. */
export function startComponent(
  ctx: AgentContext,
  service: string,
  spec: ComponentDef,
  version: string,
): Promise<OpResult> {
  return operate(ctx, service, spec, version, async (container, notes) => {
    const state = await observe(ctx, container);
    if (state === MISSING) return recreate(ctx, container, spec, notes);
    if (state === 'running') return 'already running';
    await ctx.runtime.start(container);
    return 'started';
  });
}

/** Restarts the container, or recreates it from the stored spec when it is gone. */
export function restartComponent(
  ctx: AgentContext,
  service: string,
  spec: ComponentDef,
  version: string,
): Promise<OpResult> {
  return operate(ctx, service, spec, version, async (container, notes) => {
    if ((await observe(ctx, container)) === MISSING) return recreate(ctx, container, spec, notes);
    await ctx.runtime.restart(container);
    return 'restarted';
  });
}

/** Stops and removes the container and forgets the component. */
export async function removeComponent(
  ctx: AgentContext,
  service: string,
  spec: ComponentDef,
  version: string,
): Promise<OpResult> {
  const result = await operate(ctx, service, spec, version, async (container) => {
    await ctx.runtime.stop(container);
    await ctx.runtime.remove(container);
    return 'removed';
  });
  if (result.ok) ctx.registry.deleteComponent(service, spec.name);
  return result;
}
