// Reads `\n`-terminated lines from a child's stdout one at a time, for benchmarks that play the daemon.
import type { Readable } from 'node:stream';

/** Pull-style line reader: `next()` resolves with the next complete line (without its `\n`). */
export class LineReader {
  private readonly queue: string[] = [];
  private rest: Buffer = Buffer.alloc(0);
  private waiting: ((line: string) => void) | undefined;
  private failed: ((error: Error) => void) | undefined;
  private ended = false;

  constructor(readable: Readable) {
    readable.on('data', (chunk: Buffer) => this.push(chunk));
    readable.once('end', () => {
      this.ended = true;
      this.failed?.(new Error('stream ended before the next line'));
    });
  }

  /** The next line; rejects when the stream ends first. */
  next(): Promise<string> {
    const line = this.queue.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.ended) return Promise.reject(new Error('stream ended before the next line'));
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failed = reject;
    });
  }

  private push(chunk: Buffer): void {
    let data = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    let at = data.indexOf(0x0a);
    while (at !== -1) {
      this.deliver(data.toString('utf8', 0, at));
      data = data.subarray(at + 1);
      at = data.indexOf(0x0a);
    }
    this.rest = data.length > 0 ? Buffer.from(data) : Buffer.alloc(0);
  }

  private deliver(line: string): void {
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      this.failed = undefined;
      waiting(line);
    } else this.queue.push(line);
  }
}
