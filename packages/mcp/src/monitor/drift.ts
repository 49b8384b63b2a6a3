import type { DesiredState } from '../servicedef/types.js';

/** A managed component drifts when it should run and does not, or should be stopped and runs. */
export function isDrift(desired: DesiredState, observed: string): boolean {
  if (desired === 'running') return observed !== 'running';
  if (desired === 'stopped') return observed === 'running';
  return false;
}
