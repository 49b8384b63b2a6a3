/** Config checks: each returns a sentence naming the problem, or undefined when the value is fine. */

export function checkNonEmptyString(name: string, value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? undefined : `${name} must be a non-empty string`;
}

export function checkOptionalInteger(name: string, value: unknown, min: number): string | undefined {
  if (value === undefined) return undefined;
  return Number.isInteger(value) && (value as number) >= min
    ? undefined
    : `${name} must be an integer >= ${min}`;
}

export function checkHttpUrl(name: string, value: unknown): string | undefined {
  const problem = checkNonEmptyString(name, value);
  if (problem) return problem;
  try {
    const url = new URL(value as string);
    if (url.protocol === 'http:' || url.protocol === 'https:') return undefined;
  } catch {
    // reported below
  }
  return `${name} must be an http(s) URL, got ${JSON.stringify(value)}`;
}

export function firstProblem(...problems: (string | undefined)[]): string | undefined {
  return problems.find((problem) => problem !== undefined);
}

/** The error's message, plus its cause's (fetch reports "fetch failed" with the real reason in `cause`). */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
