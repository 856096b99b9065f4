// OSS-shaped errors for the emulator: the code table (HTTP status, default message, EC) and the
// error XML body of oss-protocol.md §2.11. Sending them on the wire is left to exchange.ts.
import { escapeXml } from './xml-writer.js';

interface ErrorRow {
  status: number;
  message: string;
  /** OSS's "error code" (EC). Values cited in oss-protocol.md §2.2-§2.11; others are emulator-local `0000-…`. */
  ec: string;
}

/** Every OSS error code the emulator can answer with. */
export const OSS_ERRORS = {
  AccessDenied: { status: 403, message: 'You have no right to access this object.', ec: '0003-00000001' },
  EntityTooLarge: {
    status: 400,
    message: 'Your proposed upload exceeds the maximum allowed size.',
    ec: '0024-00000001',
  },
  EntityTooSmall: {
    status: 400,
    message: 'Your proposed upload is smaller than the minimum allowed size.',
    ec: '0042-00000213',
  },
  FileAlreadyExists: {
    status: 409,
    message: 'The object you specified already exists.',
    ec: '0026-00000002',
  },
  InsufficientStorage: { status: 507, message: 'The emulator store is full.', ec: '0000-00000507' },
  InternalError: {
    status: 500,
    message: 'We encountered an internal error. Please try again.',
    ec: '0000-00000500',
  },
  InvalidAccessKeyId: {
    status: 403,
    message: 'The OSS Access Key Id you provided does not exist in our records.',
    ec: '0002-00000902',
  },
  InvalidArgument: { status: 400, message: 'Invalid argument.', ec: '0017-00000001' },
  InvalidBucketName: { status: 400, message: 'The specified bucket is not valid.', ec: '0015-00000001' },
  InvalidDigest: {
    status: 400,
    message: 'The Content-MD5 you specified is not valid.',
    ec: '0010-00000004',
  },
  InvalidObjectName: { status: 400, message: 'The specified object is not valid.', ec: '0016-00000002' },
  InvalidPart: {
    status: 400,
    message:
      "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
    ec: '0042-00000204',
  },
  InvalidPartOrder: {
    status: 400,
    message:
      'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
    ec: '0042-00000209',
  },
  InvalidRange: { status: 416, message: 'The requested range cannot be satisfied.', ec: '0030-00000001' },
  InvalidSecurityToken: {
    status: 403,
    message: 'The security token you provided is invalid.',
    ec: '0002-00000061',
  },
  InvalidURI: { status: 400, message: "Couldn't parse the specified URI.", ec: '0000-00000400' },
  MalformedXML: {
    status: 400,
    message: 'The XML you provided was not well-formed or did not validate against our published schema.',
    ec: '0042-00000202',
  },
  MissingContentLength: {
    status: 411,
    message: 'You must provide the Content-Length HTTP header.',
    ec: '0000-00000411',
  },
  MethodNotAllowed: {
    status: 405,
    message: 'The specified method is not allowed against this resource.',
    ec: '0000-00000405',
  },
  NoSuchBucket: { status: 404, message: 'The specified bucket does not exist.', ec: '0015-00000101' },
  NoSuchKey: { status: 404, message: 'The specified key does not exist.', ec: '0026-00000001' },
  NoSuchUpload: {
    status: 404,
    message:
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    ec: '0042-00000002',
  },
  NotImplemented: {
    status: 501,
    message: 'The emulator does not implement this operation.',
    ec: '0000-00000501',
  },
  PreconditionFailed: {
    status: 412,
    message: 'At least one of the pre-conditions you specified did not hold.',
    ec: '0025-00000004',
  },
  RequestTimeTooSkewed: {
    status: 403,
    message: 'The difference between the request time and the current time is too large.',
    ec: '0002-00000504',
  },
  SecondLevelDomainForbidden: {
    status: 403,
    message: 'The bucket you are attempting to access must be addressed using OSS third level domain.',
    ec: '0003-00000405',
  },
  SecurityTokenExpired: {
    status: 403,
    message: 'The security token you provided has expired.',
    ec: '0002-00000062',
  },
  ServiceUnavailable: { status: 503, message: 'Please reduce your request rate.', ec: '0000-00000503' },
  SignatureDoesNotMatch: {
    status: 403,
    message:
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    ec: '0002-00000040',
  },
} as const satisfies Record<string, ErrorRow>;

/** An OSS error code known to the emulator. */
export type OssErrorCode = keyof typeof OSS_ERRORS;

/**
 * An error the emulator answers with. `extra` adds elements after `HostId` (e.g. `Key`, `StringToSign`,
 * `ServerTime`); `status`, `message` and `ec` override the table row.
 */
export class OssError extends Error {
  override readonly name = 'OssError';
  readonly code: string;
  readonly status: number;
  readonly ec: string;
  readonly extra: Record<string, string>;

  constructor(
    code: OssErrorCode | string,
    options: { message?: string; status?: number; ec?: string; extra?: Record<string, string> } = {},
  ) {
    const row: ErrorRow | undefined = (OSS_ERRORS as Record<string, ErrorRow>)[code];
    super(options.message ?? row?.message ?? code);
    this.code = code;
    this.status = options.status ?? row?.status ?? 500;
    this.ec = options.ec ?? row?.ec ?? '0000-00000000';
    this.extra = options.extra ?? {};
  }
}

/**
 * What the emulator answers for `error`: the error itself when it is an OssError, else InternalError,
 * after logging the unexpected failure with `log`.
 */
export function toOssError(error: unknown, log: (line: string) => void): OssError {
  if (error instanceof OssError) return error;
  log(`emulator internal error: ${error instanceof Error ? error.message : String(error)}`);
  return new OssError('InternalError');
}

/** The error XML body of §2.11: Code, Message, RequestId, HostId, extras, EC, RecommendDoc. */
export function errorXml(error: OssError, requestId: string, hostId: string): string {
  const extras = Object.entries(error.extra)
    .map(([name, value]) => `  <${name}>${escapeXml(value)}</${name}>\n`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n' +
    `  <Code>${escapeXml(error.code)}</Code>\n` +
    `  <Message>${escapeXml(error.message)}</Message>\n` +
    `  <RequestId>${requestId}</RequestId>\n` +
    `  <HostId>${escapeXml(hostId)}</HostId>\n` +
    extras +
    `  <EC>${error.ec}</EC>\n` +
    `  <RecommendDoc>https://api.aliyun.com/troubleshoot?q=${error.ec}</RecommendDoc>\n` +
    '</Error>\n'
  );
}
