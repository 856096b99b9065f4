// The lifetime of one download: its dispatcher, its total deadline and the caller's AbortSignal.
// Both fetchers use it so the deadline covers connect, headers and body alike.
import type { Dispatcher } from 'undici';
import { AppError } from '../errors.js';
import type { TransferFailureContext } from './transfer-errors.js';

/** Options of {@link TransferSession}. */
export interface TransferSessionOptions {
  dispatcher: Dispatcher;
  totalTimeoutMs: number;
  signal?: AbortSignal | undefined;
  /** The URL, redacted, for error details. */
  shownUrl: string;
}

/** Owns a dispatcher and the timers of one download; {@link release} is idempotent. */
export class TransferSession {
  readonly dispatcher: Dispatcher;
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #options: TransferSessionOptions;
  #deadlineExceeded = false;
  #cancelled = false;
  #released = false;
  readonly #onCallerAbort = (): void => {
    this.#cancelled = true;
    this.#controller.abort(
      new AppError('CANCELLED', undefined, { details: { url: this.#options.shownUrl } }),
    );
  };

  constructor(options: TransferSessionOptions) {
    this.#options = options;
    this.dispatcher = options.dispatcher;
    this.#timer = setTimeout(() => {
      this.#deadlineExceeded = true;
      this.#controller.abort(
        new AppError('DOWNLOAD_TIMEOUT', `The download did not finish within ${options.totalTimeoutMs} ms`, {
          details: { url: options.shownUrl, phase: 'total' },
        }),
      );
    }, options.totalTimeoutMs);
    if (options.signal?.aborted) this.#onCallerAbort();
    else options.signal?.addEventListener('abort', this.#onCallerAbort, { once: true });
  }

  /** Aborts when the deadline passes or the caller cancels; pass it to every request. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Flags for toTransferError. */
  failureContext = (): Omit<TransferFailureContext, 'url' | 'phase'> => ({
    deadlineExceeded: this.#deadlineExceeded,
    cancelled: this.#cancelled,
    totalTimeoutMs: this.#options.totalTimeoutMs,
  });

  /** Stops the timers and closes the dispatcher's connections. */
  release = (): void => {
    if (this.#released) return;
    this.#released = true;
    clearTimeout(this.#timer);
    this.#options.signal?.removeEventListener('abort', this.#onCallerAbort);
    this.dispatcher.destroy().catch(() => undefined);
  };
}
