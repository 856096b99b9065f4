// OSS Signature V4 (OSS4-HMAC-SHA256) for request headers and presigned URLs, as specified in
// oss-protocol.md §2.6-2.7 (Alibaba Cloud "Include a V4 signature"; Go SDK v2 oss/signer/v4.go). Pure.
import { createHash, createHmac } from 'node:crypto';

/** The only payload hash OSS accepts (§2.3). */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const ALGORITHM = 'OSS4-HMAC-SHA256';
const TERMINATOR = 'aliyun_v4_request';
/** V4 presigned URLs live at most 7 days (upgrade guide, §2.7). */
export const MAX_PRESIGN_EXPIRES_SECONDS = 604_800;

/** RFC 3986 percent-encoding of every byte except `A-Z a-z 0-9 - _ . ~`. */
export function rfc3986Encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `yyyymmddTHHMMSSZ` in UTC, the V4 `x-oss-date` format. */
export function formatV4Date(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Canonical URI: `/bucket/key` RFC 3986-encoded with `/` kept; `/bucket/` for bucket operations. */
export function canonicalUri(bucket?: string, key?: string): string {
  if (!bucket) return '/';
  const encodedKey = (key ?? '').split('/').map(rfc3986Encode).join('/');
  return `/${rfc3986Encode(bucket)}/${encodedKey}`;
}

/** Canonical query: all params encoded, sorted by encoded key (byte order), bare key for an empty value. */
export function canonicalQuery(query: Record<string, string | null | undefined>): string {
  return Object.entries(query)
    .filter(([name]) => name !== 'x-oss-signature')
    .map(([name, value]) => [rfc3986Encode(name), value ? rfc3986Encode(value) : ''] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => (value ? `${name}=${value}` : name))
    .join('&');
}

function isDefaultSigned(name: string): boolean {
  return name.startsWith('x-oss-') || name === 'content-type' || name === 'content-md5';
}

/** Lower-cased, de-duplicated, sorted additional headers that are present and not signed anyway. */
function effectiveAdditional(lowerHeaders: Map<string, string>, additional: string[] = []): string[] {
  const names = new Set(additional.map((name) => name.trim().toLowerCase()).filter((name) => name));
  return [...names].filter((name) => !isDefaultSigned(name) && lowerHeaders.has(name)).sort();
}

function lowerCaseHeaders(headers: Record<string, string>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const trimmed = String(value).trim();
    map.set(lower, map.has(lower) ? `${map.get(lower)},${trimmed}` : trimmed);
  }
  return map;
}

function canonicalHeaders(lowerHeaders: Map<string, string>, additional: string[]): string {
  return [...lowerHeaders.keys()]
    .filter((name) => isDefaultSigned(name) || additional.includes(name))
    .sort()
    .map((name) => `${name}:${lowerHeaders.get(name)}\n`)
    .join('');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function signingKey(secret: string, day: string, region: string, product: string): Buffer {
  return hmac(hmac(hmac(hmac(`aliyun_v4${secret}`, day), region), product), TERMINATOR);
}

interface SignCore {
  method: string;
  bucket?: string | undefined;
  key?: string | undefined;
  query: Record<string, string | null | undefined>;
  lowerHeaders: Map<string, string>;
  additional: string[];
  accessKeySecret: string;
  region: string;
  product: string;
  isoDate: string;
}

function computeSignature(core: SignCore): {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
} {
  const canonicalRequest = [
    core.method.toUpperCase(),
    canonicalUri(core.bucket, core.key),
    canonicalQuery(core.query),
    canonicalHeaders(core.lowerHeaders, core.additional),
    core.additional.join(';'),
    UNSIGNED_PAYLOAD,
  ].join('\n');
  const day = core.isoDate.slice(0, 8);
  const scope = `${day}/${core.region}/${core.product}/${TERMINATOR}`;
  const stringToSign = [
    ALGORITHM,
    core.isoDate,
    scope,
    createHash('sha256').update(canonicalRequest, 'utf8').digest('hex'),
  ].join('\n');
  const signature = createHmac('sha256', signingKey(core.accessKeySecret, day, core.region, core.product))
    .update(stringToSign, 'utf8')
    .digest('hex');
  return { canonicalRequest, stringToSign, signature };
}

/** Inputs of a V4 signature; `product` is `oss` except for CloudBox (`oss-cloudbox`). */
export interface SignV4Input {
  method: string;
  bucket?: string | undefined;
  key?: string | undefined;
  query: Record<string, string | null | undefined>;
  headers: Record<string, string>;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string | undefined;
  region: string;
  date: Date;
  additionalHeaders?: string[] | undefined;
  product?: string | undefined;
}

/**
 * Signs a request in the Authorization header. Adds `x-oss-date`, `x-oss-content-sha256` and (with STS)
 * `x-oss-security-token` to the returned `headers`, which also carry `authorization`. The canonical
 * request and string to sign are returned for tests only: never log or put them in errors.
 */
export function signV4Headers(input: SignV4Input): {
  authorization: string;
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
} {
  const isoDate = formatV4Date(input.date);
  const headers: Record<string, string> = { ...input.headers };
  const present = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  if (!present.has('x-oss-date')) headers['x-oss-date'] = isoDate;
  if (!present.has('x-oss-content-sha256')) headers['x-oss-content-sha256'] = UNSIGNED_PAYLOAD;
  if (input.securityToken && !present.has('x-oss-security-token')) {
    headers['x-oss-security-token'] = input.securityToken;
  }
  const lowerHeaders = lowerCaseHeaders(headers);
  const additional = effectiveAdditional(lowerHeaders, input.additionalHeaders);
  const product = input.product ?? 'oss';
  const { canonicalRequest, stringToSign, signature } = computeSignature({
    method: input.method,
    bucket: input.bucket,
    key: input.key,
    query: input.query,
    lowerHeaders,
    additional,
    accessKeySecret: input.accessKeySecret,
    region: input.region,
    product,
    isoDate: lowerHeaders.get('x-oss-date') ?? isoDate,
  });
  const credential = `${input.accessKeyId}/${isoDate.slice(0, 8)}/${input.region}/${product}/${TERMINATOR}`;
  const authorization = `${ALGORITHM} Credential=${credential},${
    additional.length > 0 ? `AdditionalHeaders=${additional.join(';')},` : ''
  }Signature=${signature}`;
  headers.authorization = authorization;
  return { authorization, headers, canonicalRequest, stringToSign };
}

/** Inputs of a V4 presigned URL. */
export interface PresignV4Input {
  method: string;
  bucket: string;
  key: string;
  query?: Record<string, string | null | undefined> | undefined;
  headers?: Record<string, string> | undefined;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string | undefined;
  region: string;
  date: Date;
  expiresSeconds: number;
  additionalHeaders?: string[] | undefined;
  product?: string | undefined;
}

/**
 * Presigns a request (V4 query form). Returns the full query (caller's params plus `x-oss-*` auth params
 * and `x-oss-signature`) and `queryString`, already encoded, to append after `?`. Headers passed here
 * (Content-Type, `x-oss-*`) must be sent exactly so by whoever uses the URL.
 */
export function presignV4(input: PresignV4Input): {
  query: Record<string, string>;
  queryString: string;
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
} {
  const isoDate = formatV4Date(input.date);
  const product = input.product ?? 'oss';
  const lowerHeaders = lowerCaseHeaders(input.headers ?? {});
  const additional = effectiveAdditional(lowerHeaders, input.additionalHeaders);
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.query ?? {})) query[name] = value ?? '';
  query['x-oss-signature-version'] = ALGORITHM;
  query['x-oss-credential'] =
    `${input.accessKeyId}/${isoDate.slice(0, 8)}/${input.region}/${product}/${TERMINATOR}`;
  query['x-oss-date'] = isoDate;
  query['x-oss-expires'] = String(input.expiresSeconds);
  if (additional.length > 0) query['x-oss-additional-headers'] = additional.join(';');
  if (input.securityToken) query['x-oss-security-token'] = input.securityToken;
  const { canonicalRequest, stringToSign, signature } = computeSignature({
    method: input.method,
    bucket: input.bucket,
    key: input.key,
    query,
    lowerHeaders,
    additional,
    accessKeySecret: input.accessKeySecret,
    region: input.region,
    product,
    isoDate,
  });
  query['x-oss-signature'] = signature;
  return {
    query,
    queryString: `${canonicalQuery(query)}&x-oss-signature=${signature}`,
    signature,
    canonicalRequest,
    stringToSign,
  };
}
