// The fetcher for PUBLIC URLs (get_public_file_by_url, upload_from_url, CLI/MCP URL inputs): SSRF
// guard on the address actually connected, every redirect hop re-checked, identity encoding only,
// byte limits while streaming, and connect/headers/idle/total timeouts (security-reliability.md §1-§2).
import { Agent, request } from 'undici';
import { redactUrl } from '../config/redact.js';
import { AppError } from '../errors.js';
import { discardBody, type FetchedBody, headerValue, openFetchedBody } from './fetched-body.js';
import {
  createGuardedConnector,
  type DialTarget,
  type ResolvedAddress,
  type Resolver,
} from './guarded-connector.js';
import { toTransferError } from './transfer-errors.js';
import { TransferSession } from './transfer-session.js';
import { type CheckedUrl, checkPublicUrl, checkRedirect, parseAllowedHosts } from './url-policy.js';

/** Defaults of {@link GuardedFetchOptions}. */
export const GUARDED_FETCH_DEFAULTS = {
  maxRedirects: 5,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
  totalTimeoutMs: 300_000,
  userAgent: 'dify-plugin-aliyun-oss (+guarded-fetch)',
} as const;

/** Options of {@link guardedFetch}. */
export interface GuardedFetchOptions {
  /** Largest body accepted, in bytes (checked against Content-Length and counted while streaming). */
  maxBytes: number;
  /**
   * `settings.public_download_allowed_hosts`: `host` (ports 80/443) or `host:port`. When non-empty,
   * ONLY these hosts are fetched, and a listed private or loopback host is allowed on purpose.
   */
  allowedHosts?: readonly string[];
  /** Redirects followed, each re-checked. Default 5; one more gives REDIRECT_BLOCKED. */
  maxRedirects?: number;
  /** TCP/TLS connect (and DNS) timeout. Default 10 s. */
  connectTimeoutMs?: number;
  /** Time to the response headers. Default 30 s. */
  headersTimeoutMs?: number;
  /** Longest pause between body chunks while the consumer is reading. Default 30 s. */
  idleTimeoutMs?: number;
  /** Deadline for the whole download, body included. Default 300 s. */
  totalTimeoutMs?: number;
  /** Name resolver (tests inject one). Default: the system resolver. */
  resolver?: Resolver;
  signal?: AbortSignal;
  userAgent?: string;
  /** Test seam, see {@link createGuardedConnector}: maps the vetted address to the one dialed. */
  dialAddress?: (checked: ResolvedAddress) => DialTarget;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Downloads a public URL as a stream. Never decompresses; environment proxies are not used (the
 * dispatcher is our own), so the address check sees the real target.
 * @throws AppError INVALID_ARGUMENT, URL_INVALID, URL_SCHEME_NOT_ALLOWED, URL_CREDENTIALS_NOT_ALLOWED,
 *   URL_HOST_NOT_ALLOWED, URL_PORT_NOT_ALLOWED, SSRF_BLOCKED, REDIRECT_BLOCKED (too many hops, an
 *   https→http downgrade, or a hop failing any rule above; details.reason names it), DNS_LOOKUP_FAILED,
 *   DOWNLOAD_TIMEOUT, DOWNLOAD_FAILED (non-2xx, details.status), CONTENT_ENCODING_NOT_ALLOWED,
 *   FILE_TOO_LARGE, CANCELLED. The stream itself fails with FILE_TOO_LARGE, DOWNLOAD_INCOMPLETE,
 *   DOWNLOAD_TIMEOUT or CANCELLED.
 */
export async function guardedFetch(url: string, options: GuardedFetchOptions): Promise<FetchedBody> {
  const settings = { ...GUARDED_FETCH_DEFAULTS, ...definedOnly(options) };
  assertPositive('maxBytes', options.maxBytes);
  const allowedHosts = parseAllowedHosts(options.allowedHosts ?? []);
  let current: CheckedUrl = checkPublicUrl(url, allowedHosts);
  const session = new TransferSession({
    dispatcher: new Agent({
      connect: createGuardedConnector({
        allowedHosts,
        resolver: options.resolver,
        connectTimeoutMs: settings.connectTimeoutMs,
        dialAddress: options.dialAddress,
      }),
      headersTimeout: settings.headersTimeoutMs,
      bodyTimeout: settings.idleTimeoutMs,
      connections: 1,
    }),
    totalTimeoutMs: settings.totalTimeoutMs,
    signal: options.signal,
    shownUrl: redactUrl(current.url.href),
  });
  let hop = 0;
  try {
    for (;;) {
      const shownUrl = redactUrl(current.url.href);
      const response = await request(current.url, {
        dispatcher: session.dispatcher,
        method: 'GET',
        headers: { 'accept-encoding': 'identity', accept: '*/*', 'user-agent': settings.userAgent },
        signal: session.signal,
      }).catch((error: unknown) => {
        throw toTransferError(error, { ...session.failureContext(), url: shownUrl, phase: 'headers' });
      });
      const location = headerValue(response.headers, 'location');
      if (!REDIRECT_STATUSES.has(response.statusCode) || location === undefined) {
        return await openFetchedBody(response, {
          maxBytes: options.maxBytes,
          finalUrl: current.url.href,
          shownUrl,
          failureContext: session.failureContext,
          onClose: session.release,
        }).catch((error: unknown) => {
          discardBody(response.body);
          throw error;
        });
      }
      discardBody(response.body);
      hop += 1;
      current = checkRedirect(current, location, hop, settings.maxRedirects, allowedHosts);
    }
  } catch (error) {
    session.release();
    const appError = toTransferError(error, {
      ...session.failureContext(),
      url: redactUrl(url),
      phase: 'headers',
    });
    throw hop > 0 && POLICY_CODES.has(appError.code) ? redirectRefused(appError, hop) : appError;
  }
}

const POLICY_CODES = new Set<string>([
  'URL_INVALID',
  'URL_SCHEME_NOT_ALLOWED',
  'URL_CREDENTIALS_NOT_ALLOWED',
  'URL_HOST_NOT_ALLOWED',
  'URL_PORT_NOT_ALLOWED',
  'SSRF_BLOCKED',
]);

function redirectRefused(error: AppError, hop: number): AppError {
  return new AppError('REDIRECT_BLOCKED', `Redirect hop ${hop} was refused: ${error.message}`, {
    details: { ...error.details, hop, reason: error.code },
    cause: error,
  });
}

function assertPositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new AppError('INVALID_ARGUMENT', `Option "${name}" must be a positive number`, {
      details: { name },
    });
  }
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
