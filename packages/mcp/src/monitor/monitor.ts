import type { AgentContext } from '../agent/context.js';
import { MISSING } from '../agent/operations.js';
import type { MonitorConfig } from '../config/agent.js';
import type { EventRecord } from '../registry/types.js';
import { containerName } from '../runtime/naming.js';
import { type Alert, type AlertType, runAlertCommand } from './alert.js';
import { isDrift } from './drift.js';

export interface TickReport {
  transitions: EventRecord[];
  alerts: Alert[];
  pruned: number;
}

/**
 * Every `interval`: asks the runtime for every container, records state transitions as events, alerts
 * on drift and on flapping (more than `flapThreshold` transitions within `flapWindow` that no agent
 * operation caused) at most once per `cooldown` per component and kind, and prunes events older than
 * `retention`.
 */
export class Monitor {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private inflight: Promise<unknown> | undefined;
  private completed = 0;
  private readonly lastAlert = new Map<string, number>();

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
    const time = this.now();
    const report: TickReport = { transitions: [], alerts: [], pruned: 0 };
    for (const service of registry.listServices()) {
      for (const component of service.components) {
        const name = component.spec.name;
        const observed = states.get(containerName(service.name, name)) ?? MISSING;
        const event = registry.setObserved(service.name, name, observed, 'observed', new Date(time));
        if (event) {
          report.transitions.push(event);
          logger.info(
            { service: service.name, component: name, from: event.from, to: event.to },
            'state changed',
          );
        }
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
        const since = new Date(time - this.config.flapWindowMs);
        if (registry.countEvents(service.name, name, since, 'observed') > this.config.flapThreshold) {
          await this.raise(alert('flap'), time, report);
        }
      }
    }
    report.pruned = registry.pruneEvents(new Date(time - this.config.retentionMs));
    return report;
  }

  /** Runs the alert command unless this component had this kind of alert within the cooldown. */
  private async raise(alert: Alert, time: number, report: TickReport): Promise<void> {
    const key = `${alert.type}\u0000${alert.service}\u0000${alert.component}`;
    const last = this.lastAlert.get(key);
    if (last !== undefined && time - last < this.config.cooldownMs) return;
    this.lastAlert.set(key, time);
    report.alerts.push(alert);
    this.ctx.logger.warn({ alert }, `${alert.type} alert`);
    const failure = await runAlertCommand(this.config.alertCommand, alert);
    if (failure) this.ctx.logger.error({ alert, error: failure }, 'alert command failed');
  }
}
