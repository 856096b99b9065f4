// A response body that enforces the byte limit WHILE streaming, notices a body shorter than its
// Content-Length, and turns transport errors into AppErrors. Backpressure passes straight through.
import { Readable } from 'node:stream';
import { AppError } from '../errors.js';
import { type TransferFailureContext, toTransferError } from './transfer-errors.js';

/** Options of {@link LimitedBody}. */
export interface LimitedBodyOptions {
  /** Bytes allowed; one more byte destroys the stream with FILE_TOO_LARGE. */
  maxBytes: number;
  /** Declared Content-Length, if any: ending with fewer bytes gives DOWNLOAD_INCOMPLETE. */
  expectedBytes?: number | undefined;
  /** The redacted URL, for error details. */
  url: string;
  /** Reports why the transfer ended (deadline or cancel flags) when the source fails. */
  failureContext: () => Omit<TransferFailureContext, 'url' | 'phase'>;
  /** Runs once when this stream closes for any reason (ends timers, closes the dispatcher). */
  onClose?: () => void;
}

/**
 * Wraps a source body. Emits exactly the bytes received, up to `maxBytes`, and errors with
 * FILE_TOO_LARGE, DOWNLOAD_INCOMPLETE, DOWNLOAD_TIMEOUT, CANCELLED or DOWNLOAD_FAILED.
 * Destroying it destroys the source.
 */
export class LimitedBody extends Readable {
  #received = 0;
  readonly #source: Readable;
  readonly #options: LimitedBodyOptions;

  constructor(source: Readable, options: LimitedBodyOptions) {
    super({ highWaterMark: 64 * 1024 });
    this.#source = source;
    this.#options = options;
    source.on('data', (chunk: Buffer) => this.#onData(chunk));
    source.once('end', () => this.#onEnd());
    source.on('error', (error: Error) => this.#fail(error));
    source.once('close', () => {
      if (!source.readableEnded && !this.destroyed)
        this.#fail(
          Object.assign(new Error('premature close'), {
            code: 'ERR_STREAM_PREMATURE_CLOSE',
          }),
        );
    });
    source.pause();
  }

  /** Bytes passed on so far. */
  get receivedBytes(): number {
    return this.#received;
  }

  override _read(): void {
    this.#source.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.#source.destroyed) this.#source.destroy();
    this.#options.onClose?.();
    callback(error);
  }

  #onData(chunk: Buffer): void {
    if (this.destroyed) return;
    this.#received += chunk.length;
    if (this.#received > this.#options.maxBytes) {
      this.destroy(
        new AppError('FILE_TOO_LARGE', `The body exceeds the limit of ${this.#options.maxBytes} bytes`, {
          details: { url: this.#options.url, maxBytes: this.#options.maxBytes },
        }),
      );
      return;
    }
    if (!this.push(chunk)) this.#source.pause();
  }

  #onEnd(): void {
    if (this.destroyed) return;
    const expected = this.#options.expectedBytes;
    if (expected !== undefined && this.#received < expected) {
      this.destroy(
        new AppError('DOWNLOAD_INCOMPLETE', `Received ${this.#received} of ${expected} bytes`, {
          details: { url: this.#options.url, receivedBytes: this.#received, expectedBytes: expected },
        }),
      );
      return;
    }
    this.push(null);
    // A Readable that ends is closed by autoDestroy, which runs _destroy and onClose.
  }

  #fail(error: Error): void {
    if (this.destroyed) return;
    this.destroy(
      toTransferError(error, { ...this.#options.failureContext(), url: this.#options.url, phase: 'body' }),
    );
  }
}
