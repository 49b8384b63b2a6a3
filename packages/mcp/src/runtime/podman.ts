import { execFile } from 'node:child_process';
import type { ComponentDef } from '../servicedef/types.js';
import {
  imageExistsArgs,
  imageInspectArgs,
  inspectArgs,
  psArgs,
  pullArgs,
  removeArgs,
  restartArgs,
  restartCountArgs,
  runArgs,
  startArgs,
  stopArgs,
  versionArgs,
} from './podman-argv.js';
import {
  parseImageInspect,
  parseInspect,
  parsePs,
  parseRestartCounts,
  parseVersion,
} from './podman-parse.js';
import {
  type ContainerDetails,
  type ContainerSummary,
  type ImageDefaults,
  type Runtime,
  RuntimeError,
} from './runtime.js';

interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

const PULL_TIMEOUT_MS = 10 * 60_000;
const COMMAND_TIMEOUT_MS = 2 * 60_000;

/** The podman CLI, called with argv arrays (never through a shell). */
export class PodmanRuntime implements Runtime {
  readonly name = 'podman';

  constructor(private readonly binary = 'podman') {}

  private exec(args: string[], timeout = COMMAND_TIMEOUT_MS): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      execFile(this.binary, args, { timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          const reason = error.killed ? `timed out after ${timeout} ms` : error.message;
          reject(new RuntimeError(`${this.binary} ${args[0]}: ${reason}`, args, stderr));
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      });
    });
  }

  private async check(args: string[], timeout?: number): Promise<string> {
    const result = await this.exec(args, timeout);
    if (result.code !== 0) {
      const detail = lastLine(result.stderr) || `exit code ${result.code}`;
      throw new RuntimeError(`${this.binary} ${args[0]} failed: ${detail}`, args, result.stderr);
    }
    return result.stdout;
  }

  async version(): Promise<string> {
    return parseVersion(await this.check(versionArgs()));
  }

  async pull(image: string): Promise<void> {
    await this.check(pullArgs(image), PULL_TIMEOUT_MS);
  }

  async imageExists(image: string): Promise<boolean> {
    return (await this.exec(imageExistsArgs(image))).code === 0;
  }

  async imageDefaults(image: string): Promise<ImageDefaults> {
    return parseImageInspect(await this.check(imageInspectArgs(image)));
  }

  async run(name: string, component: ComponentDef): Promise<string> {
    return (await this.check(runArgs(name, component), PULL_TIMEOUT_MS)).trim();
  }

  async stop(name: string): Promise<void> {
    await this.check(stopArgs(name));
  }

  async start(name: string): Promise<void> {
    await this.check(startArgs(name));
  }

  async restart(name: string): Promise<void> {
    await this.check(restartArgs(name));
  }

  async remove(name: string): Promise<void> {
    await this.check(removeArgs(name));
  }

  async list(): Promise<ContainerSummary[]> {
    return parsePs(await this.check(psArgs()));
  }

  async inspect(name: string): Promise<ContainerDetails | undefined> {
    const result = await this.exec(inspectArgs(name));
    if (result.code !== 0) {
      if (/no such (container|object)/i.test(result.stderr)) return undefined;
      throw new RuntimeError(
        `${this.binary} inspect failed: ${lastLine(result.stderr)}`,
        inspectArgs(name),
        result.stderr,
      );
    }
    return parseInspect(result.stdout);
  }

  async restartCounts(names: string[]): Promise<Map<string, number>> {
    if (names.length === 0) return new Map();
    // A container removed since it was listed fails the call; the others are still printed.
    const result = await this.exec(restartCountArgs(names));
    const counts = parseRestartCounts(result.stdout);
    if (result.code !== 0 && counts.size === 0 && !/no such (container|object)/i.test(result.stderr))
      throw new RuntimeError(
        `${this.binary} inspect failed: ${lastLine(result.stderr)}`,
        restartCountArgs(names),
        result.stderr,
      );
    return counts;
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').replace(/^Error:\s*/, '');
}
