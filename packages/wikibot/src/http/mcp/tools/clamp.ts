/** `value` moved into [min, max], as otterwiki-mcp clamps `n` and `limit` instead of refusing them. */
export function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, max));
}
