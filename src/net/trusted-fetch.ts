// The fetcher for Dify's own file URLs: the exact URL Dify gave (its api host is internal by design,
// so no SSRF block), no redirects, identity encoding, byte limit and timeouts as for public URLs.
import { Agent, request } from 'undici';
import { redactUrl } from '../config/redact.js';
import { AppError } from '../errors.js';
import { discardBody, type FetchedBody, openFetchedBody } from './fetched-body.js';
import { toTransferError } from './transfer-errors.js';
import { TransferSession } from './transfer-session.js';

/** Defaults of {@link TrustedFetchOptions}. */
export const TRUSTED_FETCH_DEFAULTS = {
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
  totalTimeoutMs: 300_000,
} as const;

/** Options of {@link trustedFetch}. */
export interface TrustedFetchOptions {
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  /** TCP/TLS connect timeout. Default 10 s. */
  connectTimeoutMs?: number;
  /** Time to the response headers. Default 30 s. */
  headersTimeoutMs?: number;
  /** Longest pause between body chunks while the consumer is reading. Default 30 s. */
  idleTimeoutMs?: number;
  /** Deadline for the whole download. Default 300 s. */
  totalTimeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Downloads a Dify file URL (`/files/<id>/file-preview?timestamp&nonce&sign` on FILES_URL).
 * @throws AppError INVALID_ARGUMENT, FILE_URL_RELATIVE (Dify has no FILES_URL set), URL_INVALID,
 *   URL_SCHEME_NOT_ALLOWED, REDIRECT_BLOCKED (any 3xx), DOWNLOAD_FAILED (non-2xx, details.status;
 *   a 403 usually means the signed URL expired after Dify's FILES_ACCESS_TIMEOUT), DOWNLOAD_TIMEOUT,
 *   CONTENT_ENCODING_NOT_ALLOWED, FILE_TOO_LARGE, CANCELLED. The stream fails like guardedFetch's.
 */
export async function trustedFetch(url: string, options: TrustedFetchOptions): Promise<FetchedBody> {
  if (!Number.isFinite(options.maxBytes) || options.maxBytes <= 0) {
    throw new AppError('INVALID_ARGUMENT', 'Option "maxBytes" must be a positive number', {
      details: { name: 'maxBytes' },
    });
  }
  const target = parseDifyUrl(url);
  const shownUrl = redactUrl(target.href);
  const session = new TransferSession({
    dispatcher: new Agent({
      connect: { timeout: options.connectTimeoutMs ?? TRUSTED_FETCH_DEFAULTS.connectTimeoutMs },
      headersTimeout: options.headersTimeoutMs ?? TRUSTED_FETCH_DEFAULTS.headersTimeoutMs,
      bodyTimeout: options.idleTimeoutMs ?? TRUSTED_FETCH_DEFAULTS.idleTimeoutMs,
      connections: 1,
    }),
    totalTimeoutMs: options.totalTimeoutMs ?? TRUSTED_FETCH_DEFAULTS.totalTimeoutMs,
    signal: options.signal,
    shownUrl,
  });
  try {
    const response = await request(target, {
      dispatcher: session.dispatcher,
      method: 'GET',
      headers: { 'accept-encoding': 'identity', accept: '*/*' },
      signal: session.signal,
    });
    if (response.statusCode >= 300 && response.statusCode <= 399) {
      discardBody(response.body);
      throw new AppError(
        'REDIRECT_BLOCKED',
        `Dify's file URL answered HTTP ${response.statusCode}; redirects are not followed`,
        {
          details: { url: shownUrl, status: response.statusCode, reason: 'REDIRECT_NOT_FOLLOWED' },
        },
      );
    }
    if (response.statusCode === 401 || response.statusCode === 403) {
      discardBody(response.body);
      // Dify signs file URLs for FILES_ACCESS_TIMEOUT (300 s by default); a refusal means the link is stale
      // and asking again will not help (security-reliability.md §B40).
      throw new AppError(
        'DOWNLOAD_FAILED',
        `Dify's file URL was refused with HTTP ${response.statusCode}: it has probably expired (Dify's file links last FILES_ACCESS_TIMEOUT, 300 s by default); run the step again to get a fresh link`,
        {
          details: { url: shownUrl, status: response.statusCode, reason: 'SOURCE_URL_EXPIRED' },
          retryable: false,
        },
      );
    }
    return await openFetchedBody(response, {
      maxBytes: options.maxBytes,
      finalUrl: target.href,
      shownUrl,
      failureContext: session.failureContext,
      onClose: session.release,
    }).catch((error: unknown) => {
      discardBody(response.body);
      throw error;
    });
  } catch (error) {
    session.release();
    throw toTransferError(error, { ...session.failureContext(), url: shownUrl, phase: 'headers' });
  }
}

function parseDifyUrl(url: string): URL {
  const trimmed = url.trim();
  if (trimmed.startsWith('/') || !/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) {
    throw new AppError('FILE_URL_RELATIVE', undefined, { details: { url: redactUrl(trimmed) } });
  }
  let target: URL;
  try {
    target = new URL(trimmed);
  } catch (cause) {
    throw new AppError('URL_INVALID', 'The file URL cannot be parsed', { cause });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new AppError(
      'URL_SCHEME_NOT_ALLOWED',
      `Only http and https file URLs are allowed, not ${target.protocol}`,
      {
        details: { url: redactUrl(target.href), scheme: target.protocol },
      },
    );
  }
  return target;
}
