// Decides who sent a request: V1 or V4, header or presigned, or anonymous; checks the clock skew,
// expiry, STS token and signature. Facts: oss-protocol.md §2.4-§2.7, §2.11, §2.13, §3.5 item 2.
import { timingSafeEqual } from 'node:crypto';
import { OssError } from './oss-error.js';
import { type QueryParams, queryValue } from './query.js';
import {
  type HeaderMap,
  v1CanonicalizedHeaders,
  v1CanonicalizedResource,
  v1Signature,
  v1StringToSign,
} from './signature-v1.js';
import {
  UNSIGNED_PAYLOAD,
  V4_ALGORITHM,
  v4CanonicalRequest,
  v4Signature,
  v4StringToSign,
} from './signature-v4.js';

/** One accepted key pair; with `securityToken` it is an STS credential that must carry that token. */
export interface EmulatorCredential {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** Epoch ms after which the STS token answers `SecurityTokenExpired`. */
  expiresAt?: number;
}

/** What the request proved about its sender. */
export interface AuthResult {
  kind: 'v1' | 'v4' | 'anonymous';
  presigned: boolean;
  accessKeyId?: string;
}

/** The parts of a request the verifier reads. `key` is the decoded object key. */
export interface AuthInput {
  method: string;
  bucket: string | undefined;
  key: string | undefined;
  query: QueryParams;
  headers: HeaderMap;
  /** Server time in epoch ms (after any injected skew). */
  now: number;
  region: string;
  credentials: ReadonlyMap<string, EmulatorCredential>;
}

/** OSS allows 15 minutes between request time and server time (§2.6). */
export const MAX_SKEW_MS = 15 * 60 * 1000;
/** V4 presigned URLs live at most 7 days (§2.7). */
export const MAX_V4_EXPIRES_SECONDS = 604_800;

function isoCompact(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Parses `yyyymmddTHHMMSSZ`; `undefined` when malformed. */
export function parseIsoCompact(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(ms) ? undefined : ms;
}

function parseAnyDate(text: string): number | undefined {
  const iso = parseIsoCompact(text);
  if (iso !== undefined) return iso;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function checkSkew(requestTime: number, raw: string, now: number): void {
  if (Math.abs(requestTime - now) > MAX_SKEW_MS) {
    throw new OssError('RequestTimeTooSkewed', {
      extra: { RequestTime: raw, ServerTime: new Date(now).toISOString().replace(/\.\d{3}Z$/, '.000Z') },
    });
  }
}

function lookup(input: AuthInput, accessKeyId: string, token: string | undefined): EmulatorCredential {
  const credential = input.credentials.get(accessKeyId);
  if (!credential) throw new OssError('InvalidAccessKeyId', { extra: { OSSAccessKeyId: accessKeyId } });
  if ((credential.securityToken ?? '') !== (token ?? '')) throw new OssError('InvalidSecurityToken');
  if (credential.expiresAt !== undefined && input.now > credential.expiresAt) {
    throw new OssError('SecurityTokenExpired');
  }
  return credential;
}

function bytesHex(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

function compareSignature(
  expected: string,
  provided: string,
  details: { accessKeyId: string; stringToSign: string; canonicalRequest?: string },
): void {
  const a = Buffer.from(expected);
  const b = Buffer.from(provided);
  if (a.length === b.length && timingSafeEqual(a, b)) return;
  // Real OSS echoes the StringToSign (a debugging aid, §2.11); clients must redact it.
  const extra: Record<string, string> = {
    OSSAccessKeyId: details.accessKeyId,
    SignatureProvided: provided,
    StringToSign: details.stringToSign,
    StringToSignBytes: bytesHex(details.stringToSign),
  };
  if (details.canonicalRequest !== undefined) extra.CanonicalRequest = details.canonicalRequest;
  throw new OssError('SignatureDoesNotMatch', { extra });
}

function verifyV1(
  input: AuthInput,
  accessKeyId: string,
  signature: string,
  date: string,
  token?: string,
): void {
  const credential = lookup(input, accessKeyId, token);
  const stringToSign = v1StringToSign({
    method: input.method,
    contentMd5: input.headers.get('content-md5') ?? '',
    contentType: input.headers.get('content-type') ?? '',
    date,
    canonicalizedHeaders: v1CanonicalizedHeaders(input.headers),
    canonicalizedResource: v1CanonicalizedResource(input.bucket, input.key, input.query),
  });
  compareSignature(v1Signature(credential.accessKeySecret, stringToSign), signature, {
    accessKeyId,
    stringToSign,
  });
}

function parseCredentialScope(scope: string, region: string): { accessKeyId: string; day: string } {
  const parts = scope.split('/');
  if (parts.length !== 5 || parts[4] !== 'aliyun_v4_request' || parts[3] !== 'oss') {
    throw new OssError('InvalidArgument', {
      message: 'Invalid credential scope in the V4 signature.',
      ec: '0002-00000204',
    });
  }
  if (parts[2] !== region) {
    throw new OssError('InvalidArgument', {
      message: `Invalid signing region in the V4 credential: expected "${region}".`,
      ec: '0002-00000206',
    });
  }
  return { accessKeyId: parts[0]!, day: parts[1]! };
}

function parseAdditionalHeaders(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  const names = text.split(';');
  const valid = names.every((n, i) => n !== '' && n === n.toLowerCase() && (i === 0 || names[i - 1]! < n));
  if (!valid) {
    throw new OssError('InvalidArgument', {
      message: 'AdditionalHeaders is malformed.',
      ec: '0002-00000210',
    });
  }
  return names;
}

function verifyV4(
  input: AuthInput,
  fields: {
    credential: string;
    signature: string;
    isoDate: string;
    additional: string | undefined;
    token?: string;
  },
): string {
  const { accessKeyId, day } = parseCredentialScope(fields.credential, input.region);
  if (fields.isoDate.slice(0, 8) !== day) {
    throw new OssError('InvalidArgument', {
      message: 'The x-oss-date does not match the credential date.',
      ec: '0002-00000207',
    });
  }
  const additionalHeaders = parseAdditionalHeaders(fields.additional);
  const credential = lookup(input, accessKeyId, fields.token);
  const canonicalRequest = v4CanonicalRequest({ ...input, additionalHeaders });
  const stringToSign = v4StringToSign(
    fields.isoDate,
    fields.credential.split('/').slice(1).join('/'),
    canonicalRequest,
  );
  const expected = v4Signature(
    credential.accessKeySecret,
    { day, region: input.region, product: 'oss' },
    stringToSign,
  );
  compareSignature(expected, fields.signature, { accessKeyId, stringToSign, canonicalRequest });
  return accessKeyId;
}

function v4Header(input: AuthInput, authorization: string): AuthResult {
  const fields = new Map<string, string>();
  for (const part of authorization.slice(V4_ALGORITHM.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signature = fields.get('Signature');
  if (!credential || !signature) {
    throw new OssError('InvalidArgument', {
      message: 'The V4 Authorization header is malformed.',
      ec: '0002-00000203',
    });
  }
  if (input.headers.get('x-oss-content-sha256') !== UNSIGNED_PAYLOAD) {
    throw new OssError('InvalidArgument', {
      message: 'x-oss-content-sha256 must be UNSIGNED-PAYLOAD.',
      ec: '0002-00000214',
    });
  }
  const isoDate = input.headers.get('x-oss-date') ?? '';
  const time = parseIsoCompact(isoDate);
  if (time === undefined) {
    throw new OssError('AccessDenied', {
      message: 'x-oss-date must be yyyymmddTHHMMSSZ for V4.',
      ec: '0002-00000503',
    });
  }
  checkSkew(time, isoDate, input.now);
  const accessKeyId = verifyV4(input, {
    credential,
    signature,
    isoDate,
    additional: fields.get('AdditionalHeaders'),
    ...tokenField(input.headers.get('x-oss-security-token')),
  });
  return { kind: 'v4', presigned: false, accessKeyId };
}

function tokenField(token: string | undefined): { token?: string } {
  return token === undefined ? {} : { token };
}

function v4Query(input: AuthInput): AuthResult {
  const q = (name: string): string => queryValue(input.query, name) ?? '';
  if (q('x-oss-signature-version') !== V4_ALGORITHM) {
    throw new OssError('InvalidArgument', { message: 'x-oss-signature-version must be OSS4-HMAC-SHA256.' });
  }
  const isoDate = q('x-oss-date');
  const time = parseIsoCompact(isoDate);
  const expires = Number(q('x-oss-expires'));
  if (time === undefined)
    throw new OssError('InvalidArgument', { message: 'x-oss-date is malformed.', ec: '0002-00000503' });
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_V4_EXPIRES_SECONDS) {
    throw new OssError('InvalidArgument', {
      message: 'x-oss-expires must be an integer from 1 to 604800.',
      ec: '0002-00000232',
      extra: { ArgumentName: 'x-oss-expires', ArgumentValue: q('x-oss-expires') },
    });
  }
  if (time - input.now > MAX_SKEW_MS) checkSkew(time, isoDate, input.now);
  if (input.now > time + expires * 1000) {
    throw new OssError('AccessDenied', {
      message: 'Request has expired.',
      ec: '0002-00000069',
      extra: {
        Expires: new Date(time + expires * 1000).toISOString(),
        ServerTime: new Date(input.now).toISOString(),
      },
    });
  }
  const accessKeyId = verifyV4(input, {
    credential: q('x-oss-credential'),
    signature: q('x-oss-signature'),
    isoDate,
    additional: queryValue(input.query, 'x-oss-additional-headers'),
    ...tokenField(queryValue(input.query, 'x-oss-security-token')),
  });
  return { kind: 'v4', presigned: true, accessKeyId };
}

function v1Header(input: AuthInput, authorization: string): AuthResult {
  const m = /^OSS ([^:]+):(.+)$/.exec(authorization);
  if (!m) throw new OssError('InvalidArgument', { message: 'The V1 Authorization header is malformed.' });
  const date = input.headers.get('date') ?? input.headers.get('x-oss-date');
  const time = date === undefined ? undefined : parseAnyDate(date);
  if (date === undefined || time === undefined) {
    throw new OssError('AccessDenied', {
      message: 'A valid Date or x-oss-date header is required.',
      ec: '0002-00000502',
    });
  }
  checkSkew(time, date, input.now);
  verifyV1(input, m[1]!, m[2]!, date, input.headers.get('x-oss-security-token'));
  return { kind: 'v1', presigned: false, accessKeyId: m[1]! };
}

function v1Query(input: AuthInput): AuthResult {
  const accessKeyId = queryValue(input.query, 'OSSAccessKeyId') ?? '';
  const expires = queryValue(input.query, 'Expires') ?? '';
  const seconds = Number(expires);
  if (!/^\d+$/.test(expires))
    throw new OssError('InvalidArgument', { message: 'Expires must be unix seconds.' });
  if (input.now > seconds * 1000) {
    throw new OssError('AccessDenied', {
      message: 'Request has expired.',
      ec: '0002-00000069',
      extra: {
        Expires: new Date(seconds * 1000).toISOString(),
        ServerTime: new Date(input.now).toISOString(),
      },
    });
  }
  const token = queryValue(input.query, 'security-token');
  verifyV1(input, accessKeyId, queryValue(input.query, 'Signature') ?? '', expires, token);
  return { kind: 'v1', presigned: true, accessKeyId };
}

/**
 * Authenticates one request. Throws `OssError` (InvalidAccessKeyId, SignatureDoesNotMatch,
 * RequestTimeTooSkewed, AccessDenied "Request has expired.", InvalidSecurityToken, SecurityTokenExpired,
 * InvalidArgument) when a signature is present but wrong; returns `anonymous` when none is present.
 */
export function authenticate(input: AuthInput): AuthResult {
  const authorization = input.headers.get('authorization');
  if (authorization !== undefined) {
    if (authorization.startsWith(`${V4_ALGORITHM} `)) return v4Header(input, authorization);
    if (authorization.startsWith('OSS ')) return v1Header(input, authorization);
    throw new OssError('InvalidArgument', { message: 'Unsupported Authorization scheme.' });
  }
  const names = new Set(input.query.map(([name]) => name));
  if (names.has('x-oss-signature') || names.has('x-oss-signature-version')) return v4Query(input);
  if (names.has('Signature') || names.has('OSSAccessKeyId')) return v1Query(input);
  return { kind: 'anonymous', presigned: false };
}

/** ISO compact date for V4 (`yyyymmddTHHMMSSZ`) of an epoch-ms time; handy for tests and callers. */
export const toIsoCompact = isoCompact;
