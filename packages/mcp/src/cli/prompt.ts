import { createInterface } from 'node:readline';
import { CliError, type CliIO } from './context.js';

const lineReaders = new WeakMap<object, AsyncIterator<string>>();

/** The next line of a non-interactive stdin; one reader per stream so prompts can follow each other. */
async function nextLine(stdin: CliIO['stdin']): Promise<string> {
  let lines = lineReaders.get(stdin);
  if (!lines) {
    lines = createInterface({ input: stdin, terminal: false })[Symbol.asyncIterator]();
    lineReaders.set(stdin, lines);
  }
  const next = await lines.next();
  if (next.done) throw new CliError('no input');
  return next.value;
}

/** Reads one line from a terminal in raw mode, without echoing it. */
function readHidden(io: CliIO): Promise<string> {
  const { stdin } = io;
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error): void => {
      stdin.removeListener('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          finish();
          return;
        }
        if (char === '\u0003') {
          finish(new CliError('cancelled'));
          return;
        }
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** Asks a question on stderr; with `echo: false` a terminal does not show what is typed. */
export async function prompt(io: CliIO, question: string, options: { echo: boolean }): Promise<string> {
  io.stderr.write(question);
  if (!options.echo && io.stdin.isTTY && io.stdin.setRawMode) return readHidden(io);
  return nextLine(io.stdin);
}
