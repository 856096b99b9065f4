// What a handler receives besides its parameters, built once per invocation from the settings: the OSS
// client, returned-URL helpers (custom domain, public twin of an -internal endpoint), the fetchers, the
// key scope, a clock and a signal. Handlers never read the environment or open sockets themselves.

import { registerSecrets } from '../config/redact.js';
import type { Settings } from '../config/settings.js';
import { hasConnection } from '../config/settings.js';
import { AppError } from '../errors.js';
import { guardedFetch } from '../net/guarded-fetch.js';
import { trustedFetch } from '../net/trusted-fetch.js';
import {
  encodeKey,
  type OssLocation,
  objectUrl,
  parseObjectUrl,
  publicEndpointHost,
  resolveLocation,
} from '../oss/addressing.js';
import type { OssClient } from '../oss/client.js';
import { SHARED_OSS_CLIENTS } from './client-cache.js';
import { assertKeyInScope, scopePrefix } from './object-key.js';
import type { Logger, TransferProgress } from './tool-declaration.js';

/** The face that invoked a tool; handlers never branch on it except for local-path rules. */
export type Face = 'dify' | 'mcp' | 'cli';

/** The fetchers a handler may use (tests may pass their own). */
export interface Fetchers {
  trusted: typeof trustedFetch;
  guarded: typeof guardedFetch;
}

/** URLs handed back to the caller, always on the public endpoint or the custom domain. */
export interface ObjectUrls {
  /** The unsigned URL of a key (custom domain > public endpoint), key percent-encoded per segment (B6). */
  publicUrl(key: string): string;
  /** A V4 presigned GET URL on the same host as {@link publicUrl}. */
  signedUrl(key: string, expiresSeconds: number): Promise<{ url: string; expiresAt: string }>;
  /** The key a URL addresses in the configured bucket, or undefined for anything else (B1). */
  parse(url: string): { key: string; process?: string } | undefined;
}

/** The key_prefix_scope of this invocation. */
export interface KeyScope {
  /** '' (whole bucket) or the scope with a trailing `/`. */
  prefix: string;
  /** @throws AppError KEY_OUT_OF_SCOPE when `key` is outside the scope. */
  check(key: string): void;
}

/** Context of one tool invocation. */
export interface ToolContext {
  settings: Settings;
  face: Face;
  signal: AbortSignal;
  logger: Logger;
  now: () => Date;
  onProgress?: (progress: TransferProgress) => void;
  /** The OSS client; reading it without connection settings throws CONFIG_MISSING_CREDENTIALS. */
  readonly oss: OssClient;
  /** The configured bucket ('' without connection settings). */
  bucket: string;
  readonly urls: ObjectUrls;
  fetchers: Fetchers;
  scope: KeyScope;
}

/** Options to build a context; faces pass these to invokeTool. `oss` and `fetchers` are test seams. */
export interface ToolContextOptions {
  settings: Settings;
  face: Face;
  signal?: AbortSignal;
  logger?: Logger;
  onProgress?: (progress: TransferProgress) => void;
  now?: () => Date;
  oss?: OssClient;
  fetchers?: Partial<Fetchers>;
}

const SILENT: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Builds the context of one invocation. Registers the secrets for redaction. The OSS client and URL
 * helpers are created on first use, so get_public_file_by_url works without OSS settings.
 * @throws AppError CONFIG_INVALID / CONFIG_REGION_REQUIRED (on first use of `oss`/`urls`) for bad settings.
 */
export async function createToolContext(options: ToolContextOptions): Promise<ToolContext> {
  const { settings } = options;
  registerSecrets(settings.access_key_secret, settings.security_token, settings.access_key_id);
  const prefix = scopePrefix(settings.key_prefix_scope);
  let connection: { client: OssClient; location: OssLocation } | undefined;
  const connect = (): { client: OssClient; location: OssLocation } => {
    connection ??= openConnection(settings, options.oss);
    return connection;
  };
  const urls: ObjectUrls = {
    publicUrl: (key) => publicObjectUrl(settings, connect().location, key),
    signedUrl: async (key, expiresSeconds) => {
      const { client } = connect();
      const host = publicHost(settings, connect().location);
      const signed = client.presign({
        key,
        method: 'GET',
        expiresSeconds,
        ...(host ? { publicHost: host } : {}),
      });
      return { url: signed.url, expiresAt: new Date(signed.expiresAt).toISOString() };
    },
    parse: (url) =>
      parseObjectUrl(url, {
        bucket: settings.bucket ?? '',
        region: connect().location.region,
        endpoint: settings.endpoint ?? '',
        customDomain: settings.custom_domain,
      }),
  };
  const context: ToolContext = {
    settings,
    face: options.face,
    signal: options.signal ?? new AbortController().signal,
    logger: options.logger ?? SILENT,
    now: options.now ?? (() => new Date()),
    get oss() {
      return connect().client;
    },
    bucket: settings.bucket ?? '',
    urls,
    fetchers: {
      trusted: options.fetchers?.trusted ?? trustedFetch,
      guarded: options.fetchers?.guarded ?? guardedFetch,
    },
    scope: { prefix, check: (key) => assertKeyInScope(key, settings.key_prefix_scope) },
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  return context;
}

function openConnection(settings: Settings, given?: OssClient): { client: OssClient; location: OssLocation } {
  if (!hasConnection(settings)) {
    throw new AppError('CONFIG_MISSING_CREDENTIALS', undefined, { details: { missing: 'all' } });
  }
  const endpoint = settings.endpoint!;
  const bucket = settings.bucket!;
  const location = resolveLocation({ endpoint, bucket, region: settings.region });
  const client =
    given ??
    SHARED_OSS_CLIENTS.get({
      accessKeyId: settings.access_key_id!,
      accessKeySecret: settings.access_key_secret!,
      ...(settings.security_token ? { securityToken: settings.security_token } : {}),
      endpoint,
      bucket,
      region: location.region,
    });
  return { client, location };
}

/**
 * The host presigned URLs are made for: the custom domain, else the public twin of an `-internal`
 * endpoint, else undefined (the configured endpoint itself, scheme and port kept).
 */
function publicHost(settings: Settings, location: OssLocation): string | undefined {
  if (settings.custom_domain) return settings.custom_domain;
  const host = publicEndpointHost(location.host);
  if (host === location.host) return undefined;
  return location.port ? `${host}:${location.port}` : host;
}

function publicObjectUrl(settings: Settings, location: OssLocation, key: string): string {
  if (settings.custom_domain) return `${customDomainOrigin(settings.custom_domain).origin}/${encodeKey(key)}`;
  return objectUrl({ ...location, host: publicEndpointHost(location.host) }, key);
}

function customDomainOrigin(domain: string): URL {
  return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(domain) ? domain : `https://${domain}`);
}
