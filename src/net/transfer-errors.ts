// Turns what undici, DNS and sockets throw during a download into our AppError codes. Messages name
// the phase and the redacted URL only; the original error stays in `cause` for the redacting logger.
import { AppError, isAppError } from '../errors.js';

/** Where a download was when it failed. */
export type TransferPhase = 'connect' | 'headers' | 'body';

/** What the caller knows about why the request ended (flags set by its own timers and signals). */
export interface TransferFailureContext {
  /** The URL, already redacted. */
  url: string;
  phase: TransferPhase;
  /** The total deadline fired. */
  deadlineExceeded?: boolean;
  /** The caller's AbortSignal fired. */
  cancelled?: boolean;
  totalTimeoutMs?: number;
}

const TIMEOUT_PHASES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'idle',
};

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
const TRUNCATION_CODES = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ECONNRESET',
  'EPIPE',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/**
 * Maps any error of a download to an AppError. An AppError passes through unchanged.
 * Codes: DOWNLOAD_TIMEOUT (details.phase connect/headers/idle/total), CANCELLED, DNS_LOOKUP_FAILED,
 * DOWNLOAD_INCOMPLETE (connection lost mid-body) and DOWNLOAD_FAILED for the rest.
 */
export function toTransferError(error: unknown, context: TransferFailureContext): AppError {
  if (isAppError(error)) return error;
  const { url } = context;
  if (context.deadlineExceeded) {
    return new AppError(
      'DOWNLOAD_TIMEOUT',
      `The download did not finish within ${context.totalTimeoutMs} ms`,
      {
        details: { url, phase: 'total' },
        cause: error,
      },
    );
  }
  if (context.cancelled) return new AppError('CANCELLED', undefined, { details: { url }, cause: error });
  const code = errorCode(error);
  const timeoutPhase = code === undefined ? undefined : TIMEOUT_PHASES[code];
  if (timeoutPhase !== undefined) {
    return new AppError('DOWNLOAD_TIMEOUT', `The download timed out (${timeoutPhase})`, {
      details: { url, phase: timeoutPhase },
      cause: error,
    });
  }
  if (code !== undefined && DNS_CODES.has(code)) {
    return new AppError('DNS_LOOKUP_FAILED', undefined, { details: { url }, cause: error });
  }
  if (context.phase === 'body' && code !== undefined && TRUNCATION_CODES.has(code)) {
    return new AppError('DOWNLOAD_INCOMPLETE', undefined, { details: { url, reason: code }, cause: error });
  }
  return new AppError('DOWNLOAD_FAILED', `The download failed during ${context.phase}`, {
    details: { url, phase: context.phase, ...(code === undefined ? {} : { reason: code }) },
    cause: error,
  });
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const causeCode = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof causeCode === 'string' ? causeCode : undefined;
}
