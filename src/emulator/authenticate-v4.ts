// Signature V4 verification, from the Authorization header or a presigned URL: credential scope,
// AdditionalHeaders, date, expiry, skew and the signature itself. Facts: oss-protocol.md §2.5, §2.7.
import {
  type AuthInput,
  type AuthResult,
  checkSkew,
  compareSignature,
  lookup,
  MAX_SKEW_MS,
  MAX_V4_EXPIRES_SECONDS,
  parseIsoCompact,
  tokenField,
} from './auth-checks.js';
import { OssError } from './oss-error.js';
import { queryValue } from './query.js';
import {
  UNSIGNED_PAYLOAD,
  V4_ALGORITHM,
  v4CanonicalRequest,
  v4Signature,
  v4StringToSign,
} from './signature-v4.js';

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

/** Verifies `Authorization: OSS4-HMAC-SHA256 Credential=…, Signature=…`. */
export function v4Header(input: AuthInput, authorization: string): AuthResult {
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

/** Verifies a V4 presigned URL (`x-oss-signature-version`, `x-oss-date`, `x-oss-expires` …). */
export function v4Query(input: AuthInput): AuthResult {
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
