// Checks in front of every HTTP route: bearer token (constant-time), and Host/Origin validation against
// DNS rebinding (the SDK's v1 transport leaves this off by default: security-reliability.md §5.2).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Cookie that carries the token for the web page after `?token=` was given once. */
export const TOKEN_COOKIE = 'oss_dify_token';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/** True when `presented` equals `expected`; compares SHA-256 digests so time does not depend on the prefix. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined || presented.length === 0) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The bearer token of a request: `Authorization: Bearer T`, else the page cookie. */
export function presentedToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }
  return cookieValue(req.headers.cookie, TOKEN_COOKIE);
}

/** The value of cookie `name` in a Cookie header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at === -1) continue;
    if (part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Which Host header values (host:port, lower case) a server accepts; `undefined` means any. */
export type HostAllowList = ReadonlySet<string> | undefined;

function bracket(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * The Host values a server bound to `bindHost:port` accepts: the loopback names, the bind address, and
 * `extraHosts` (entries without a port get this port). A wildcard bind (0.0.0.0, ::) with no extra hosts
 * accepts any Host, since the names it is reached by are unknown; the bearer token still guards it.
 */
export function allowedHostsFor(
  bindHost: string,
  port: number,
  extraHosts: readonly string[] = [],
): HostAllowList {
  if (WILDCARD_HOSTS.has(bindHost) && extraHosts.length === 0) return undefined;
  const names = [...LOOPBACK_NAMES, ...(WILDCARD_HOSTS.has(bindHost) ? [] : [bracket(bindHost)])];
  const hosts = new Set(names.map((name) => `${name.toLowerCase()}:${port}`));
  for (const entry of extraHosts) {
    const value = entry.trim().toLowerCase();
    if (value.length === 0) continue;
    hosts.add(/:\d+$/.test(value) && !value.endsWith(']') ? value : `${bracket(value)}:${port}`);
  }
  return hosts;
}

/** True when the Host header names this server (DNS rebinding sends the attacker's name). */
export function hostAllowed(hostHeader: string | undefined, allowed: HostAllowList, port: number): boolean {
  if (allowed === undefined) return true;
  if (!hostHeader) return false;
  const host = hostHeader.trim().toLowerCase();
  const withPort = /:\d+$/.test(host) && !host.endsWith(']') ? host : `${host}:${port}`;
  return allowed.has(withPort);
}

/**
 * True when there is no Origin header (non-browser clients) or it is an http(s) origin whose host is
 * allowed. `Origin: null` (sandboxed frames, file pages) is refused.
 */
export function originAllowed(origin: string | undefined, allowed: HostAllowList): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (allowed === undefined) return true;
  const defaultPort = url.protocol === 'https:' ? 443 : 80;
  const originPort = url.port === '' ? defaultPort : Number(url.port);
  return allowed.has(`${url.hostname.toLowerCase()}:${originPort}`);
}
