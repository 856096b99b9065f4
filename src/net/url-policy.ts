// The pre-flight rules for a public URL (security-reliability.md §1.5), run on the first URL and on
// every redirect hop: scheme, userinfo, host allow-list, port, literal addresses and local names.
// The connector (guarded-connector.ts) repeats the address rule on what DNS actually returned.

import { redactUrl } from '../config/redact.js';
import { AppError } from '../errors.js';
import { classifyAddress, isIpLiteral } from './address-policy.js';

/** One allow-list entry: a host (ports 80/443) or an exact host:port. */
export interface AllowedHost {
  host: string;
  port?: number;
}

/** A URL that passed {@link checkPublicUrl}. */
export interface CheckedUrl {
  url: URL;
  /** Lower-case host without brackets or a trailing dot. */
  host: string;
  port: number;
  /** True when the host matched the allow-list: then its address is trusted on purpose. */
  listed: boolean;
}

const DEFAULT_PORTS = new Set([80, 443]);
// Names that only ever mean "this machine" or "this private network" (security-reliability.md §1.5).
const LOCAL_NAME = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$|^(metadata|instance-data)$/;

/** Normalises a host for comparison: lower case, no IPv6 brackets, no trailing dot. */
export function normalizeHost(host: string): string {
  const lower = host.trim().toLowerCase();
  const bare = lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
  return bare.endsWith('.') ? bare.slice(0, -1) : bare;
}

/**
 * Parses `public_download_allowed_hosts` entries: `host`, `host:port`, `[v6]` or `[v6]:port`.
 * @throws AppError CONFIG_INVALID for an entry that is neither.
 */
export function parseAllowedHosts(entries: readonly string[]): AllowedHost[] {
  return entries.map((entry) => {
    const match = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(entry.trim());
    const port = match?.[2] === undefined ? undefined : Number(match[2]);
    if (!match?.[1] || (port !== undefined && (port < 1 || port > 65_535))) {
      throw new AppError('CONFIG_INVALID', `Allowed host "${entry}" is not a host or host:port`, {
        details: { field: 'public_download_allowed_hosts' },
      });
    }
    const host = normalizeHost(match[1]);
    return port === undefined ? { host } : { host, port };
  });
}

/** True when host:port matches an entry (a port-less entry covers ports 80 and 443 only). */
export function isHostListed(host: string, port: number, allowed: readonly AllowedHost[]): boolean {
  const bare = normalizeHost(host);
  return allowed.some(
    (entry) =>
      entry.host === bare && (entry.port === undefined ? DEFAULT_PORTS.has(port) : entry.port === port),
  );
}

/**
 * Checks a URL against the public-download rules. WHATWG URL parsing runs first, so decimal, octal,
 * hex and short IPv4 forms (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`) are judged as the dotted
 * address they normalise to.
 * @param allowedHosts when non-empty, ONLY these hosts are fetched, and their addresses are trusted.
 * @throws AppError URL_INVALID, URL_SCHEME_NOT_ALLOWED, URL_CREDENTIALS_NOT_ALLOWED,
 *   URL_HOST_NOT_ALLOWED, URL_PORT_NOT_ALLOWED or SSRF_BLOCKED.
 */
export function checkPublicUrl(input: string | URL, allowedHosts: readonly AllowedHost[]): CheckedUrl {
  const url = parseUrl(input);
  const shown = redactUrl(url.href);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError(
      'URL_SCHEME_NOT_ALLOWED',
      `Only http and https URLs are allowed, not ${url.protocol}`,
      {
        details: { url: shown, scheme: url.protocol },
      },
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new AppError('URL_CREDENTIALS_NOT_ALLOWED', undefined, { details: { url: shown } });
  }
  const host = normalizeHost(url.hostname);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const listed = allowedHosts.length > 0 && isHostListed(host, port, allowedHosts);
  if (allowedHosts.length > 0 && !listed) {
    throw new AppError('URL_HOST_NOT_ALLOWED', `Host ${host}:${port} is not in the allowed host list`, {
      details: { url: shown, host, port },
    });
  }
  if (!listed && !DEFAULT_PORTS.has(port)) {
    throw new AppError('URL_PORT_NOT_ALLOWED', `Port ${port} is not allowed (only 80 and 443)`, {
      details: { url: shown, port },
    });
  }
  if (!listed) assertPublicHost(host, shown);
  return { url, host, port, listed };
}

/**
 * Checks redirect hop number `hop` (1-based) from `current` to `location` (relative or absolute):
 * at most `maxRedirects` hops, no https→http downgrade, then every rule of {@link checkPublicUrl}.
 * @throws AppError REDIRECT_BLOCKED (details.reason TOO_MANY_REDIRECTS or INSECURE_REDIRECT), or the
 *   code of the failed URL rule (the caller reports it as REDIRECT_BLOCKED with that reason).
 */
export function checkRedirect(
  current: CheckedUrl,
  location: string,
  hop: number,
  maxRedirects: number,
  allowedHosts: readonly AllowedHost[],
): CheckedUrl {
  const from = redactUrl(current.url.href);
  if (hop > maxRedirects) {
    throw new AppError('REDIRECT_BLOCKED', `More than ${maxRedirects} redirects`, {
      details: { url: from, hop, reason: 'TOO_MANY_REDIRECTS' },
    });
  }
  let target: URL;
  try {
    target = new URL(location, current.url);
  } catch (cause) {
    throw new AppError('URL_INVALID', 'The redirect target cannot be parsed', {
      details: { url: from },
      cause,
    });
  }
  if (current.url.protocol === 'https:' && target.protocol === 'http:') {
    throw new AppError('REDIRECT_BLOCKED', 'A redirect from https to http was refused', {
      details: { url: from, hop, reason: 'INSECURE_REDIRECT', location: redactUrl(target.href) },
    });
  }
  return checkPublicUrl(target, allowedHosts);
}

function parseUrl(input: string | URL): URL {
  if (input instanceof URL) return new URL(input.href);
  try {
    return new URL(input);
  } catch (cause) {
    throw new AppError('URL_INVALID', 'The URL cannot be parsed', { cause });
  }
}

function assertPublicHost(host: string, shown: string): void {
  if (isIpLiteral(host)) {
    const verdict = classifyAddress(host);
    if (!verdict.isPublic) throw ssrfBlocked(shown, host, verdict.range);
    return;
  }
  // A dot-less name is completed by the resolver's search domains, i.e. it is a local name.
  if (LOCAL_NAME.test(host) || !host.includes('.')) throw ssrfBlocked(shown, host, 'localName');
}

/** The SSRF_BLOCKED error, naming the host and the range that blocked it. */
export function ssrfBlocked(shownUrl: string, host: string, range: string): AppError {
  return new AppError('SSRF_BLOCKED', `Blocked: ${host} is not a public address (${range})`, {
    details: { url: shownUrl, host, range },
  });
}
