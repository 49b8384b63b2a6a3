import { createInterface } from 'node:readline';
import { CliError, type CliIO } from './context.js';

const lineReaders = new WeakMap<object, AsyncIterator<string>>();

/** The next line of a piped stdin; one reader per stream so prompts can follow each other. */
async function nextPipedLine(stdin: CliIO['stdin']): Promise<string> {
  let lines = lineReaders.get(stdin);
  if (!lines) {
    lines = createInterface({ input: stdin, terminal: false })[Symbol.asyncIterator]();
    lineReaders.set(stdin, lines);
  }
  const next = await lines.next();
  if (next.done) throw new CliError('no input');
  return next.value;
}

/** One line typed at a terminal, echoed by the terminal itself. */
function readTerminalLine(io: CliIO): Promise<string> {
  const reader = createInterface({ input: io.stdin, terminal: false });
  return new Promise((resolve, reject) => {
    reader.once('line', (line) => {
      resolve(line);
      reader.close();
    });
    reader.once('close', () => reject(new CliError('no input')));
  });
}

/** One line typed at a terminal in raw mode, so nothing is echoed. Raw mode is on before the prompt. */
function readHidden(io: CliIO, question: string): Promise<string> {
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
    io.stderr.write(question);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** Asks a question on stderr; with `echo: false` a terminal does not show what is typed. */
export async function prompt(io: CliIO, question: string, options: { echo: boolean }): Promise<string> {
  if (io.stdin.isTTY && io.stdin.setRawMode) {
    if (!options.echo) return readHidden(io, question);
    io.stderr.write(question);
    return readTerminalLine(io);
  }
  io.stderr.write(question);
  return nextPipedLine(io.stdin);
}
