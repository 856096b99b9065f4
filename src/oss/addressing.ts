// Where an OSS request goes: endpoint and region parsing, URL styles (virtual-hosted, path for local
// servers, custom domain), key encoding, and mapping a user-supplied URL back to a key in our bucket.
// Facts from oss-protocol.md §2.1-2.2 (Alibaba Cloud "Regions and endpoints", "Object naming conventions").
import { isIP } from 'node:net';
import { AppError } from '../errors.js';

/** How a request addresses the bucket: `bucket.host` (real OSS), `host/bucket` (local servers), or a CNAME. */
export type AddressingStyle = 'virtual' | 'path' | 'cname';

/** A resolved place to send requests for one bucket. */
export interface OssLocation {
  scheme: 'https' | 'http';
  /** Host name without the bucket label and without the port. */
  host: string;
  port?: number;
  style: AddressingStyle;
  bucket: string;
  /** V4 signing region, e.g. `cn-hangzhou`. */
  region: string;
}

const OSS_HOST = /^oss-([a-z0-9-]+?)(-internal)?\.aliyuncs\.com$/;
const DUAL_STACK_HOST = /^([a-z]{2}-[a-z0-9-]+)\.oss\.aliyuncs\.com$/;
const ACCELERATE = new Set(['accelerate', 'accelerate-overseas']);
/** Bucket naming rule for existing buckets (ali-oss checkBucketName.js, oss-protocol.md §1.5). */
const BUCKET_NAME = /^[a-z0-9_][a-z0-9_-]{1,61}[a-z0-9_]$/;

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon > -1 && host.indexOf(':') === colon ? host.slice(0, colon) : host;
}

/**
 * The V4 region of an OSS endpoint host: `oss-cn-hangzhou[-internal].aliyuncs.com` and the dual-stack
 * `cn-hangzhou.oss.aliyuncs.com` give `cn-hangzhou`; a bucket label or port in front is ignored.
 * Acceleration endpoints, custom domains and IPs give `undefined`.
 */
export function regionFromEndpoint(host: string): string | undefined {
  const name = stripPort(host.trim().toLowerCase()).replace(/\.$/, '');
  const labels = name.split('.');
  for (let start = 0; start < labels.length; start++) {
    const tail = labels.slice(start).join('.');
    const oss = OSS_HOST.exec(tail);
    if (oss) return ACCELERATE.has(oss[1]!) ? undefined : oss[1];
    const dual = DUAL_STACK_HOST.exec(tail);
    if (dual) return dual[1];
  }
  return undefined;
}

/** The public twin of an internal endpoint host (`oss-cn-hangzhou-internal...` -> `oss-cn-hangzhou...`). */
export function publicEndpointHost(host: string): string {
  return host.replace(/(^|\.)(oss-[a-z0-9-]+?)-internal\.aliyuncs\.com(:\d+)?$/i, '$1$2.aliyuncs.com$3');
}

function isLocalHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return isIP(bare) !== 0 || bare === 'localhost' || bare.endsWith('.localhost');
}

/**
 * Resolves the endpoint setting into a location. `endpoint` is a bare host (https, virtual-hosted) or a
 * URL with scheme and port; an IP or `localhost` means path style (local emulator); `cname` means the
 * endpoint is the bucket's custom domain. A leading `<bucket>.` on an OSS host is tolerated.
 * @throws AppError CONFIG_INVALID for a malformed endpoint or bucket name; CONFIG_REGION_REQUIRED when the
 * region is neither given nor derivable (never defaulted silently).
 */
export function resolveLocation(opts: {
  endpoint: string;
  bucket: string;
  region?: string | undefined;
  cname?: boolean | undefined;
}): OssLocation {
  const raw = opts.endpoint.trim();
  if (!BUCKET_NAME.test(opts.bucket)) {
    throw new AppError('CONFIG_INVALID', 'The bucket name is not a valid OSS bucket name.', {
      details: { setting: 'bucket', bucket: opts.bucket },
    });
  }
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch (cause) {
    throw new AppError('CONFIG_INVALID', 'The OSS endpoint is not a host name or URL.', {
      details: { setting: 'endpoint' },
      cause,
    });
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname || url.username) {
    throw new AppError('CONFIG_INVALID', 'The OSS endpoint must be an http(s) host without credentials.', {
      details: { setting: 'endpoint' },
    });
  }
  let host = url.hostname.toLowerCase();
  const style: AddressingStyle = opts.cname ? 'cname' : isLocalHost(host) ? 'path' : 'virtual';
  if (style === 'virtual' && host.startsWith(`${opts.bucket}.`) && regionFromEndpoint(host)) {
    host = host.slice(opts.bucket.length + 1);
  }
  const region = opts.region?.trim() || (style === 'cname' ? undefined : regionFromEndpoint(host));
  if (!region) {
    throw new AppError('CONFIG_REGION_REQUIRED', undefined, { details: { endpoint: host } });
  }
  const location: OssLocation = {
    scheme: url.protocol === 'http:' ? 'http' : 'https',
    host,
    style,
    bucket: opts.bucket,
    region: region.replace(/^oss-/, ''),
  };
  if (url.port) location.port = Number(url.port);
  return location;
}

/** RFC 3986 encoding of an object key for a URL path, keeping `/` (spaces, `+`, `~`, `()`, CJK round-trip). */
export function encodeKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

/** `scheme://authority` of the location as requests are sent (bucket label included when virtual). */
export function originOf(loc: OssLocation, host = loc.host): string {
  const name = loc.style === 'virtual' ? `${loc.bucket}.${host}` : host;
  return `${loc.scheme}://${name}${loc.port ? `:${loc.port}` : ''}`;
}

/** Request path of an object (or of the bucket when `key` is empty) for this location. */
export function pathOf(loc: OssLocation, key: string): string {
  return loc.style === 'path' ? `/${loc.bucket}/${encodeKey(key)}` : `/${encodeKey(key)}`;
}

/** The unsigned URL of an object. */
export function objectUrl(loc: OssLocation, key: string): string {
  return `${originOf(loc)}${pathOf(loc, key)}`;
}

function decodePath(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

function hostOfSetting(value: string): string | undefined {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`).host.toLowerCase();
  } catch {
    return undefined;
  }
}

function keyResult(key: string | undefined, url: URL): { key: string; process?: string } | undefined {
  if (!key) return undefined;
  const process = url.searchParams.get('x-oss-process');
  return process ? { key, process } : { key };
}

/**
 * Maps a URL back to a key in the configured bucket, or `undefined` when it addresses anything else.
 * Accepts `oss://bucket/key`; virtual-hosted URLs on any OSS endpoint of the region (public, internal,
 * dual-stack, acceleration); the custom domain; and the configured endpoint's own path-style or
 * virtual-hosted URLs. Signed or unsigned: the query is ignored except `x-oss-process`.
 */
export function parseObjectUrl(
  url: string,
  opts: { bucket: string; region: string; endpoint: string; customDomain?: string | undefined },
): { key: string; process?: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  // A URL with user:password@ is not one OSS hands out; refuse it rather than drop the credentials.
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  const bucket = opts.bucket;
  if (parsed.protocol === 'oss:') {
    if (parsed.hostname !== bucket) return undefined;
    return keyResult(decodePath(parsed.pathname.slice(1)), parsed);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  const hostname = parsed.hostname.toLowerCase();
  const authority = parsed.host.toLowerCase();
  const rawPath = parsed.pathname;
  const regionHosts = [
    `oss-${opts.region}.aliyuncs.com`,
    `oss-${opts.region}-internal.aliyuncs.com`,
    `${opts.region}.oss.aliyuncs.com`,
    'oss-accelerate.aliyuncs.com',
    'oss-accelerate-overseas.aliyuncs.com',
  ];
  if (regionHosts.some((h) => hostname === `${bucket}.${h}`)) {
    return keyResult(decodePath(rawPath.slice(1)), parsed);
  }
  const domain = opts.customDomain ? hostOfSetting(opts.customDomain) : undefined;
  if (domain && (authority === domain || hostname === domain)) {
    return keyResult(decodePath(rawPath.slice(1)), parsed);
  }
  let loc: OssLocation;
  try {
    loc = resolveLocation({ endpoint: opts.endpoint, bucket, region: opts.region });
  } catch {
    return undefined;
  }
  const own = new URL(originOf(loc));
  if (own.host.toLowerCase() !== authority) return undefined;
  if (loc.style === 'path') {
    const prefix = `/${bucket}/`;
    return rawPath.startsWith(prefix)
      ? keyResult(decodePath(rawPath.slice(prefix.length)), parsed)
      : undefined;
  }
  return keyResult(decodePath(rawPath.slice(1)), parsed);
}
