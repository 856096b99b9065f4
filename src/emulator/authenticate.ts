// Decides who sent a request: V1 or V4, header or presigned, or anonymous; checks the clock skew,
// expiry, STS token and signature. V1 is verified here, V4 in authenticate-v4.ts, the shared checks are
// in auth-checks.ts. Facts: oss-protocol.md §2.4-§2.7, §2.11, §2.13, §3.5 item 2.
import {
  type AuthInput,
  type AuthResult,
  checkSkew,
  compareSignature,
  lookup,
  parseAnyDate,
} from './auth-checks.js';
import { v4Header, v4Query } from './authenticate-v4.js';
import { OssError } from './oss-error.js';
import { queryValue } from './query.js';
import {
  v1CanonicalizedHeaders,
  v1CanonicalizedResource,
  v1Signature,
  v1StringToSign,
} from './signature-v1.js';
import { V4_ALGORITHM } from './signature-v4.js';

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
