/**
 * When whoever reads stdout goes away (`mcp status | head -1`), writes fail with EPIPE: stop quietly,
 * with the exit code so far, instead of crashing with a stack trace.
 */
export function exitQuietlyWhenStdoutCloses(stdout: NodeJS.WriteStream = process.stdout): void {
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit();
  });
}
