/** Bytes arriving in chunks from a pipe, consumed from the front without re-copying what is left. */
export class ByteQueue {
  private chunks: Buffer[] = [];
  /** Offset of the first unconsumed byte in chunks[0]. */
  private offset = 0;
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  clear(): void {
    this.chunks = [];
    this.offset = 0;
    this.length = 0;
  }

  /** Position of the first `byte` counted from the front, or -1. */
  indexOf(byte: number): number {
    let base = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      const chunk = this.chunks[i]!;
      const start = i === 0 ? this.offset : 0;
      const at = chunk.indexOf(byte, start);
      if (at >= 0) return base + at - start;
      base += chunk.length - start;
    }
    return -1;
  }

  /** A copy of the first `n` bytes, left in place. */
  peek(n: number): Buffer {
    return this.copy(n);
  }

  /** Remove and return (a copy of) the first `n` bytes; a copy, so a kept result pins no pipe chunk. */
  take(n: number): Buffer {
    const out = this.copy(n);
    this.skip(n);
    return out;
  }

  /** Remove a line ending in `\n` and return it without the newline; undefined if none is complete. */
  takeLine(): string | undefined {
    const end = this.indexOf(0x0a);
    if (end < 0) return undefined;
    const line = this.take(end + 1);
    return line.toString('utf8', 0, end);
  }

  /** Number of complete lines, counting no further than `max`. */
  countLines(max: number): number {
    let count = 0;
    for (let i = 0; i < this.chunks.length && count < max; i++) {
      const chunk = this.chunks[i]!;
      let at = i === 0 ? this.offset : 0;
      while (count < max) {
        at = chunk.indexOf(0x0a, at);
        if (at < 0) break;
        count++;
        at++;
      }
    }
    return count;
  }

  private copy(n: number): Buffer {
    if (n > this.length) throw new RangeError(`ByteQueue: asked for ${n} bytes, have ${this.length}`);
    const out = Buffer.allocUnsafe(n);
    let written = 0;
    let chunkIndex = 0;
    let start = this.offset;
    while (written < n) {
      const chunk = this.chunks[chunkIndex]!;
      const count = Math.min(chunk.length - start, n - written);
      chunk.copy(out, written, start, start + count);
      written += count;
      chunkIndex++;
      start = 0;
    }
    return out;
  }

  /** Drop the first `n` bytes. */
  skip(n: number): void {
    if (n > this.length) throw new RangeError(`ByteQueue: asked to skip ${n} bytes, have ${this.length}`);
    this.length -= n;
    let left = n;
    while (left > 0) {
      const first = this.chunks[0]!;
      const available = first.length - this.offset;
      if (available > left) {
        this.offset += left;
        return;
      }
      left -= available;
      this.chunks.shift();
      this.offset = 0;
    }
  }
}
