import type { AgentContext } from '../agent/context.js';
import { MISSING } from '../agent/operations.js';
import type { MonitorConfig } from '../config/agent.js';
import type { EventRecord } from '../registry/types.js';
import { containerName } from '../runtime/naming.js';
import { type Alert, type AlertType, alertKey, runAlertCommand } from './alert.js';
import { isDrift } from './drift.js';
import { flapCount, isFlapping } from './flap.js';

export interface TickReport {
  transitions: EventRecord[];
  alerts: Alert[];
  pruned: number;
}

/**
 * Every `interval`: asks the runtime for every container, records state transitions as events and
 * the restarts podman made, alerts on drift and on flapping (more than `flapThreshold` transitions
 * and restarts within `flapWindow` that no agent operation caused, while the component is meant to
 * run) at most once per `cooldown` per component, kind and direction, and prunes events older than
 * `retention`.
 */
export class Monitor {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private inflight: Promise<unknown> | undefined;
  private completed = 0;

  constructor(
    private readonly ctx: AgentContext,
    private readonly config: MonitorConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Passes the loop has finished (successful or not). */
  get passes(): number {
    return this.completed;
  }

  get running(): boolean {
    return !this.stopped;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Stops the loop and waits for a pass in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inflight;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.inflight = this.tick()
        .catch((error: Error) => this.ctx.logger.error({ err: error.message }, 'monitor pass failed'))
        .finally(() => {
          this.inflight = undefined;
          this.completed++;
          this.schedule();
        });
    }, this.config.intervalMs);
    this.timer.unref();
  }

  /** One pass, queued behind any operation in progress. */
  tick(): Promise<TickReport> {
    return this.ctx.queue.run(() => this.pass());
  }

  private async pass(): Promise<TickReport> {
    const { registry, runtime, logger } = this.ctx;
    const states = new Map((await runtime.list()).map((c) => [c.name, c.state]));
    const services = registry.listServices();
    const watched = services
      .flatMap((service) => service.components)
      .filter((component) => states.has(containerName(component.service, component.spec.name)));
    const restartCounts = await runtime.restartCounts(
      watched.map((component) => containerName(component.service, component.spec.name)),
    );
    const time = this.now();
    const report: TickReport = { transitions: [], alerts: [], pruned: 0 };
    for (const service of services) {
      for (const component of service.components) {
        const name = component.spec.name;
        const container = containerName(service.name, name);
        const observed = states.get(container) ?? MISSING;
        const event = registry.setObserved(service.name, name, observed, 'observed', {
          time: new Date(time),
        });
        if (event) {
          report.transitions.push(event);
          logger.info(
            { service: service.name, component: name, from: event.from, to: event.to },
            'state changed',
          );
        }
        const restarts = restartCounts.get(container);
        if (restarts !== undefined) registry.noteRestartCount(service.name, name, restarts, new Date(time));
        if (component.desired === 'ignore') continue;
        const alert = (type: AlertType): Alert => ({
          type,
          service: service.name,
          component: name,
          node: this.ctx.nodeName,
          desired: component.desired,
          observed,
        });
        if (isDrift(component.desired, observed)) await this.raise(alert('drift'), time, report);
        // Only a component meant to run can flap; one deliberately stopped is left alone.
        if (component.desired !== 'running') continue;
        const since = new Date(time - this.config.flapWindowMs);
        if (isFlapping(flapCount(registry, component, since), this.config.flapThreshold))
          await this.raise(alert('flap'), time, report);
      }
    }
    report.pruned = registry.pruneEvents(new Date(time - this.config.retentionMs));
    return report;
  }

  /**
   * Runs the alert command unless this component had this alert (kind and direction) within the
   * cooldown. The time is kept in the registry, so an agent restart does not repeat alerts.
   */
  private async raise(alert: Alert, time: number, report: TickReport): Promise<void> {
    const key = alertKey(alert);
    const last = this.ctx.registry.lastAlert(key);
    if (last !== undefined && time - last.getTime() < this.config.cooldownMs) return;
    this.ctx.registry.recordAlert(key, new Date(time));
    report.alerts.push(alert);
    this.ctx.logger.warn({ alert }, `${alert.type} alert`);
    const failure = await runAlertCommand(this.config.alertCommand, alert);
    if (failure) this.ctx.logger.error({ alert, error: failure }, 'alert command failed');
  }
}
