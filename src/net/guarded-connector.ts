// The undici connector of the guarded fetcher: resolves the name itself, refuses if ANY answer is not
// public, dials the vetted address (so DNS cannot rebind between check and connect), and checks
// socket.remoteAddress once connected (security-reliability.md §1.7 steps 1-2).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { buildConnector } from 'undici';
import { AppError } from '../errors.js';
import { classifyAddress, isIpLiteral } from './address-policy.js';
import { type AllowedHost, isHostListed, normalizeHost, ssrfBlocked } from './url-policy.js';

/** One DNS answer. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Where the test seam sends a connection: an address and, optionally, another port. */
export interface DialTarget extends ResolvedAddress {
  port?: number;
}

/** Resolves a host name to every address it has (like `dns.lookup(name, {all: true})`). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** Options of {@link createGuardedConnector}. */
export interface GuardedConnectorOptions {
  allowedHosts: readonly AllowedHost[];
  /** Default: the system resolver (`dns.lookup` with `all: true`). */
  resolver?: Resolver | undefined;
  /** TCP (and TLS) connect timeout, also bounding the DNS lookup. */
  connectTimeoutMs: number;
  /**
   * Test seam: maps the vetted address to the one actually dialed, to simulate DNS rebinding or a
   * hijacked route between the check and the connect. Production code leaves it unset.
   */
  dialAddress?: ((checked: ResolvedAddress) => DialTarget) | undefined;
}

/** The system resolver, in the shape of {@link Resolver}. */
export const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => ({ address: answer.address, family: answer.family === 6 ? 6 : 4 }));
};

/**
 * Builds an undici `connect` function enforcing the address rules of address-policy.ts on the
 * address actually connected. Hosts on the allow-list are dialed the same way but not checked.
 * Rejects with SSRF_BLOCKED, DNS_LOOKUP_FAILED, or undici's connect errors.
 */
export function createGuardedConnector(options: GuardedConnectorOptions): buildConnector.connector {
  const base = buildConnector({ timeout: options.connectTimeoutMs });
  const resolver = options.resolver ?? systemResolver;
  return (connectOptions, callback) => {
    const host = normalizeHost(connectOptions.hostname);
    const defaultPort = connectOptions.protocol === 'https:' ? 443 : 80;
    const port = connectOptions.port === '' ? defaultPort : Number(connectOptions.port);
    const listed = isHostListed(host, port, options.allowedHosts);
    vetAddress(host, listed, resolver, options.connectTimeoutMs).then(
      (checked) => {
        const dial: DialTarget = options.dialAddress ? options.dialAddress(checked) : checked;
        const dialPort = dial.port === undefined ? connectOptions.port : String(dial.port);
        base({ ...connectOptions, hostname: dial.address, port: dialPort }, (error, socket) => {
          if (error !== null) {
            callback(error, null);
            return;
          }
          const remote = socket.remoteAddress ?? '';
          const verdict = classifyAddress(remote);
          if (!listed && !verdict.isPublic) {
            socket.destroy();
            callback(ssrfBlocked(`${host}:${port}`, remote, verdict.range), null);
            return;
          }
          callback(null, socket);
        });
      },
      (error: Error) => callback(error, null),
    );
  };
}

async function vetAddress(
  host: string,
  listed: boolean,
  resolver: Resolver,
  timeoutMs: number,
): Promise<ResolvedAddress> {
  const answers = isIpLiteral(host)
    ? [{ address: host, family: isIP(host) === 6 ? 6 : 4 } as ResolvedAddress]
    : await resolveWithin(host, resolver, timeoutMs);
  const first = answers[0];
  if (first === undefined) {
    throw new AppError('DNS_LOOKUP_FAILED', `No address found for ${host}`, { details: { host } });
  }
  if (!listed) {
    // Every answer must be public, so a mixed record set cannot smuggle a private one in.
    for (const answer of answers) {
      const verdict = classifyAddress(answer.address);
      if (!verdict.isPublic) throw ssrfBlocked(host, answer.address, verdict.range);
    }
  }
  return first;
}

async function resolveWithin(
  host: string,
  resolver: Resolver,
  timeoutMs: number,
): Promise<ResolvedAddress[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new AppError('DNS_LOOKUP_FAILED', `Resolving ${host} timed out`, { details: { host } })),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([resolver(host), timeout]);
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new AppError('DNS_LOOKUP_FAILED', `Could not resolve ${host}`, { details: { host }, cause });
  } finally {
    clearTimeout(timer);
  }
}
