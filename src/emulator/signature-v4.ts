// OSS Signature V4 (OSS4-HMAC-SHA256) canonical request, string-to-sign and signature, for the
// emulator's verifier. Spec: oss-protocol.md §2.6-§2.7 ("Include a V4 signature in the Authorization
// header", alibabacloud.com/help/en/oss/developer-reference/recommend-to-use-signature-version-4).
import { createHash, createHmac } from 'node:crypto';
import type { QueryParams } from './query.js';
import type { HeaderMap } from './signature-v1.js';

/** The algorithm name in the Authorization header and in `x-oss-signature-version`. */
export const V4_ALGORITHM = 'OSS4-HMAC-SHA256';
/** The only payload hash OSS accepts (§2.3). */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** RFC 3986 percent-encoding of UTF-8: all but `A-Z a-z 0-9 - _ . ~` (and `/` when `keepSlash`). */
export function rfc3986Encode(text: string, keepSlash: boolean): string {
  const encoded = encodeURIComponent(text).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `/bucket/key` RFC 3986-encoded with `/` kept; `/bucket/` for bucket requests, `/` for the service. */
export function v4CanonicalUri(bucket: string | undefined, key: string | undefined): string {
  if (bucket === undefined) return '/';
  return `/${bucket}/${rfc3986Encode(key ?? '', true)}`;
}

/** All query parameters except `x-oss-signature`, encoded, sorted by encoded name; empty value → bare name. */
export function v4CanonicalQuery(query: QueryParams): string {
  return query
    .filter(([name]) => name !== 'x-oss-signature')
    .map(([name, value]) => [rfc3986Encode(name, false), rfc3986Encode(value, false)] as const)
    .sort(([a, av], [b, bv]) => byteOrder(a, b) || byteOrder(av, bv))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`))
    .join('&');
}

/** The six-part canonical request of §2.6. `additionalHeaders` are lowercase names as sent by the client. */
export function v4CanonicalRequest(input: {
  method: string;
  bucket: string | undefined;
  key: string | undefined;
  query: QueryParams;
  headers: HeaderMap;
  additionalHeaders: readonly string[];
}): string {
  const extra = new Set(input.additionalHeaders);
  const headerLines = [...input.headers.entries()]
    .filter(
      ([name]) =>
        name.startsWith('x-oss-') || name === 'content-type' || name === 'content-md5' || extra.has(name),
    )
    .sort(([a], [b]) => byteOrder(a, b))
    .map(([name, value]) => `${name}:${value.trim()}\n`)
    .join('');
  return [
    input.method,
    v4CanonicalUri(input.bucket, input.key),
    v4CanonicalQuery(input.query),
    headerLines,
    input.additionalHeaders.join(';'),
    UNSIGNED_PAYLOAD,
  ].join('\n');
}

/** `OSS4-HMAC-SHA256\n<iso date>\n<scope>\n<hex sha256(canonical request)>`. */
export function v4StringToSign(isoDate: string, scope: string, canonicalRequest: string): string {
  const hash = createHash('sha256').update(canonicalRequest, 'utf8').digest('hex');
  return `${V4_ALGORITHM}\n${isoDate}\n${scope}\n${hash}`;
}

/** hex(HMAC chain over "aliyun_v4"+secret → day → region → product → "aliyun_v4_request" → stringToSign). */
export function v4Signature(
  secret: string,
  scope: { day: string; region: string; product: string },
  stringToSign: string,
): string {
  const kDate = createHmac('sha256', `aliyun_v4${secret}`).update(scope.day).digest();
  const kRegion = createHmac('sha256', kDate).update(scope.region).digest();
  const kProduct = createHmac('sha256', kRegion).update(scope.product).digest();
  const kSigning = createHmac('sha256', kProduct).update('aliyun_v4_request').digest();
  return createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
}
