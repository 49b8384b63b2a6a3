/**
 * Runs async tasks one at a time, in the order they were queued. The agent passes every change to
 * containers and every monitor pass through one queue, so they never interleave.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
