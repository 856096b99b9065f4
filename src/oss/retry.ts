// Retry policy of the OSS client (oss-protocol.md §4.4, after the Go/Python SDK v2): which failures are
// retried, full-jitter exponential backoff, and the clock offset learnt from RequestTimeTooSkewed.
import { AppError, isAppError } from '../errors.js';

/** Default attempts per request (first try included). */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** Default backoff base and cap. */
export const DEFAULT_RETRY_BASE_MS = 200;
export const DEFAULT_RETRY_CAP_MS = 20_000;

/**
 * Full-jitter backoff before retry number `retry` (1 = first retry): uniform in
 * `[0, min(capMs, baseMs * 2^(retry-1)))`.
 */
export function backoffDelayMs(
  retry: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** What to do after a failed attempt. */
export interface RetryDecision {
  retry: boolean;
  /** Set when the failure was RequestTimeTooSkewed: shift the signing clock by this many ms. */
  clockOffsetMs?: number;
}

/**
 * Decides whether attempt `attempt` (1-based) that failed with `error` is retried. Retries network errors,
 * 5xx, 408, 429, RequestTimeTooSkewed (after a clock fix) and CRC mismatches; never other 4xx, never a
 * cancellation, and never beyond `maxAttempts`.
 */
export function decideRetry(
  error: unknown,
  attempt: number,
  maxAttempts: number,
  serverTimeMs?: number,
  localNowMs?: number,
): RetryDecision {
  if (!isAppError(error) || error.code === 'CANCELLED' || attempt >= maxAttempts) return { retry: false };
  if (error.code === 'OSS_REQUEST_TIME_SKEWED') {
    if (serverTimeMs === undefined || localNowMs === undefined) return { retry: false };
    return { retry: true, clockOffsetMs: serverTimeMs - localNowMs };
  }
  return { retry: error.retryable };
}

/** Server time from a skew error: `<ServerTime>` if present, else the response `Date` header. */
export function serverTimeOf(
  serverTimeText: string | undefined,
  dateHeader: string | undefined,
): number | undefined {
  for (const candidate of [serverTimeText, dateHeader]) {
    if (!candidate) continue;
    const ms = Date.parse(candidate);
    if (Number.isFinite(ms)) return ms;
  }
  return undefined;
}

/** Waits `ms`, or rejects with CANCELLED as soon as `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelled(signal));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The CANCELLED error for an aborted signal (keeps the abort reason as cause). */
export function cancelled(signal?: AbortSignal): AppError {
  const reason = signal?.reason;
  if (isAppError(reason)) return reason;
  return new AppError('CANCELLED', undefined, { cause: reason });
}
