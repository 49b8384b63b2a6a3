import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';

/**
 * The log of a command other than `serve`: each message as a line of text on stderr, so that it
 * reads as part of the command's output and never mixes into what scripts take from stdout.
 */
export function commandLogger(config: Config): Logger {
  return pino(
    { level: config.log_level, base: undefined, timestamp: false },
    {
      write(line: string) {
        process.stderr.write(`${(JSON.parse(line) as { msg?: string }).msg ?? line.trim()}\n`);
      },
    },
  );
}
