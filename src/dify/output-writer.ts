// Writes complete lines to the plugin's output (stdout or the debug socket), one write per event so
// sessions never interleave inside a line, and waits for 'drain' when the stream pushes back.
import type { Writable } from 'node:stream';
import { AppError } from '../errors.js';

/** Serialized, backpressure-aware line writer shared by every session of a runtime. */
export class OutputWriter {
  private blocked: Promise<void> | null = null;
  private closed = false;
  private readonly closeListeners: Array<() => void> = [];

  constructor(private readonly output: Writable) {
    const onClose = (): void => this.markClosed();
    output.once('close', onClose);
    output.once('error', onClose);
    output.once('finish', onClose);
  }

  /** True once the output closed or failed; later writes reject with CANCELLED. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Calls `listener` once when the output closes (immediately if it already has). */
  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  /**
   * Writes one complete line; resolves when the stream accepted it without pushing back, or after
   * the following 'drain'.
   * @throws AppError CANCELLED when the output is closed.
   */
  async write(line: string): Promise<void> {
    while (this.blocked) await this.blocked;
    if (this.closed) throw new AppError('CANCELLED', 'The output stream is closed');
    if (this.output.write(line)) return;
    this.blocked = new Promise<void>((resolve) => {
      const done = (): void => {
        this.output.off('drain', done);
        resolve();
      };
      this.output.on('drain', done);
      this.onClose(done);
    }).finally(() => {
      this.blocked = null;
    });
    await this.blocked;
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
