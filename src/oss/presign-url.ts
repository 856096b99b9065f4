// Builds a V4 presigned object URL for a location, optionally on another host (the public endpoint while
// the client talks to `-internal`, or the custom domain): V4 signs `/bucket/key`, not the host.
import { type OssLocation, objectUrl, regionFromEndpoint, resolveLocation } from './addressing.js';
import { intOption } from './client-options.js';
import { MAX_PRESIGN_EXPIRES_SECONDS, presignV4 } from './signer.js';

/** What to presign. */
export interface PresignOptions {
  key: string;
  /** Default GET. */
  method?: 'GET' | 'PUT' | 'HEAD';
  /** Default 3600; 1..604800 (V4 cap of 7 days). */
  expiresSeconds?: number;
  /** Headers the URL's user must send exactly (e.g. Content-Type of a PUT). */
  headers?: Record<string, string>;
  /** Extra signed query, e.g. `response-content-disposition`. */
  query?: Record<string, string>;
  /** Host (or URL) to put in the URL instead of the client's endpoint; a non-OSS host is a custom domain. */
  publicHost?: string;
}

/**
 * A presigned URL and its expiry.
 * @throws AppError INVALID_ARGUMENT when expiresSeconds is outside 1..604800
 */
export function presignUrl(
  options: PresignOptions,
  signer: {
    location: OssLocation;
    accessKeyId: string;
    accessKeySecret: string;
    securityToken?: string | undefined;
    nowMs: number;
  },
): { url: string; expiresAt: Date } {
  const expiresSeconds = intOption(
    'expiresSeconds',
    options.expiresSeconds,
    3600,
    1,
    MAX_PRESIGN_EXPIRES_SECONDS,
  );
  const base = signer.location;
  const date = new Date(signer.nowMs);
  const signed = presignV4({
    method: options.method ?? 'GET',
    bucket: base.bucket,
    key: options.key,
    query: options.query,
    headers: options.headers,
    accessKeyId: signer.accessKeyId,
    accessKeySecret: signer.accessKeySecret,
    securityToken: signer.securityToken,
    region: base.region,
    date,
    expiresSeconds,
  });
  let loc = base;
  if (options.publicHost) {
    const isOss =
      regionFromEndpoint(options.publicHost) !== undefined || /oss-accelerate/.test(options.publicHost);
    loc = resolveLocation({
      endpoint: options.publicHost,
      bucket: base.bucket,
      region: base.region,
      cname: !isOss,
    });
  }
  const signedAtMs = Math.floor(date.getTime() / 1000) * 1000;
  return {
    url: `${objectUrl(loc, options.key)}?${signed.queryString}`,
    expiresAt: new Date(signedAtMs + expiresSeconds * 1000),
  };
}
