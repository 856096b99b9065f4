// Reuses one OssClient per set of connection settings across invocations, so its keep-alive pool (and the
// clock offset it learnt) outlives a single call: a new client per call costs a TCP (and TLS) handshake
// each time and leaves the previous pool open until its idle timeout.
import { createHash } from 'node:crypto';
import { OssClient, type OssClientOptions } from '../oss/client.js';

/** Clients kept at most by {@link OssClientCache}; the least recently used one is dropped first. */
export const MAX_CACHED_CLIENTS = 8;

/** A small LRU of OssClients keyed by a hash of their connection options (secrets are not kept as keys). */
export class OssClientCache {
  readonly #clients = new Map<string, OssClient>();
  readonly #max: number;
  readonly #create: (options: OssClientOptions) => OssClient;

  /** @param max entries kept (default {@link MAX_CACHED_CLIENTS}); @param create builds a client (tests). */
  constructor(
    max = MAX_CACHED_CLIENTS,
    create: (options: OssClientOptions) => OssClient = (o) => new OssClient(o),
  ) {
    this.#max = Math.max(1, max);
    this.#create = create;
  }

  /** Number of clients held. */
  get size(): number {
    return this.#clients.size;
  }

  /**
   * The client for these options, created on first use. A dropped client is not closed: a call may still
   * be using it, and its idle sockets close on their own after the keep-alive timeout. Options with a
   * custom clock (`now`, tests) always get a fresh client.
   * @throws AppError from the OssClient constructor (CONFIG_REGION_REQUIRED, CONFIG_INVALID, …).
   */
  get(options: OssClientOptions): OssClient {
    if (options.now) return this.#create(options);
    const key = cacheKey(options);
    const found = this.#clients.get(key);
    if (found) {
      this.#clients.delete(key);
      this.#clients.set(key, found);
      return found;
    }
    const client = this.#create(options);
    this.#clients.set(key, client);
    for (const oldest of this.#clients.keys()) {
      if (this.#clients.size <= this.#max) break;
      this.#clients.delete(oldest);
    }
    return client;
  }
}

/** Every option but functions, in a fixed order, hashed. */
function cacheKey(options: OssClientOptions): string {
  const entries = Object.entries(options)
    .filter(([, value]) => value !== undefined && typeof value !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64');
}

/** The cache every invocation's context draws from. */
export const SHARED_OSS_CLIENTS = new OssClientCache();
