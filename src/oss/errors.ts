// Turns OSS error responses (XML body, or base64 `x-oss-err` header on bodiless HEAD errors) and transport
// failures into AppErrors with stable codes. Facts: oss-protocol.md §2.11. Never copies StringToSign,
// SignatureProvided, the signed URL or any secret into a message or details.
import { XMLParser } from 'fast-xml-parser';
import { redact } from '../config/redact.js';
import { AppError, type ErrorCode } from '../errors.js';

/** Fields of an OSS `<Error>` document that are safe to keep. */
export interface OssErrorFields {
  code?: string | undefined;
  message?: string | undefined;
  requestId?: string | undefined;
  hostId?: string | undefined;
  ec?: string | undefined;
  endpoint?: string | undefined;
  /** `<ServerTime>` of RequestTimeTooSkewed and expired-URL errors. */
  serverTime?: string | undefined;
}

const parser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, processEntities: true });

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** Parses an OSS error XML document; `undefined` when it is not one. */
export function parseOssErrorXml(xml: string): OssErrorFields | undefined {
  if (!xml.includes('<Error')) return undefined;
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch {
    return undefined;
  }
  const error = (doc as { Error?: Record<string, unknown> } | undefined)?.Error;
  if (!error || typeof error !== 'object') return undefined;
  return {
    code: text(error.Code),
    message: text(error.Message),
    requestId: text(error.RequestId),
    hostId: text(error.HostId),
    ec: text(error.EC),
    endpoint: text(error.Endpoint),
    serverTime: text(error.ServerTime),
  };
}

const WRONG_ENDPOINT_MESSAGE =
  /must be addressed using the specified endpoint|signing region|invalid region/i;

/** Our code for an OSS error code, HTTP status and message (message only distinguishes endpoint errors). */
export function mapOssErrorCode(status: number, ossCode: string | undefined, message = ''): ErrorCode {
  switch (ossCode) {
    case 'AccessDenied':
      return WRONG_ENDPOINT_MESSAGE.test(message) ? 'OSS_WRONG_ENDPOINT' : 'OSS_ACCESS_DENIED';
    case 'InvalidAccessKeyId':
      return 'OSS_INVALID_ACCESS_KEY';
    case 'SignatureDoesNotMatch':
      return 'OSS_SIGNATURE_MISMATCH';
    case 'NoSuchKey':
      return 'OSS_NO_SUCH_KEY';
    case 'NoSuchBucket':
      return 'OSS_NO_SUCH_BUCKET';
    case 'NoSuchUpload':
      return 'OSS_NO_SUCH_UPLOAD';
    case 'FileAlreadyExists':
      return 'OSS_FILE_ALREADY_EXISTS';
    case 'RequestTimeTooSkewed':
      return 'OSS_REQUEST_TIME_SKEWED';
    case 'SecurityTokenExpired':
    case 'InvalidSecurityToken':
    case 'AccessKeyIdAndSecurityTokenNotMatch':
      return 'OSS_SECURITY_TOKEN_INVALID';
    case 'PublicEndpointForbidden':
      return 'OSS_PUBLIC_ENDPOINT_FORBIDDEN';
    case 'SecondLevelDomainForbidden':
      return 'OSS_WRONG_ENDPOINT';
    case 'EntityTooLarge':
      return 'OSS_ENTITY_TOO_LARGE';
    case 'Throttling':
    case 'TooManyRequests':
      return 'OSS_THROTTLED';
    default:
      break;
  }
  if (WRONG_ENDPOINT_MESSAGE.test(message)) return 'OSS_WRONG_ENDPOINT';
  if (status === 429) return 'OSS_THROTTLED';
  if (status >= 500) return 'OSS_SERVER_ERROR';
  if (status === 408 || ossCode === 'RequestTimeout') return 'OSS_NETWORK_ERROR';
  return 'OSS_INVALID_REQUEST';
}

/** True for statuses and OSS codes where sending the same request again can succeed (§4.4). */
export function isRetryableStatus(status: number, ossCode?: string): boolean {
  return status >= 500 || status === 408 || status === 429 || ossCode === 'RequestTimeTooSkewed';
}

function decodeErrHeader(value: string | undefined): string {
  if (!value) return '';
  try {
    return Buffer.from(value, 'base64').toString('utf8');
  } catch {
    return '';
  }
}

/** Minimal view of a response needed to build the error. */
export interface ErrorResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body?: string | undefined;
}

function header(headers: ErrorResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Builds the AppError of a failed OSS response. `details` carry `{ossCode, ossMessage, requestId, ec,
 * status, hostId, operation, key?}` and nothing signed.
 */
export function ossResponseError(
  response: ErrorResponse,
  context: { operation: string; key?: string | undefined },
): AppError {
  const fromBody = response.body ? parseOssErrorXml(response.body) : undefined;
  const fields = fromBody ?? parseOssErrorXml(decodeErrHeader(header(response.headers, 'x-oss-err'))) ?? {};
  const ossCode = fields.code;
  const code = mapOssErrorCode(response.status, ossCode, fields.message);
  const requestId = fields.requestId ?? header(response.headers, 'x-oss-request-id');
  const ec = fields.ec ?? header(response.headers, 'x-oss-ec');
  const details: Record<string, unknown> = {
    operation: context.operation,
    status: response.status,
    ossCode: ossCode ?? (response.status === 404 && context.key ? 'NoSuchKey' : undefined),
    ossMessage: fields.message ? redact(fields.message).slice(0, 300) : undefined,
    requestId,
    ec,
    hostId: fields.hostId,
  };
  if (fields.endpoint) details.endpoint = fields.endpoint;
  if (ossCode === 'RequestTimeTooSkewed') {
    details.serverTime = fields.serverTime ?? header(response.headers, 'date');
  }
  if (context.key !== undefined) details.key = context.key;
  for (const name of Object.keys(details)) if (details[name] === undefined) delete details[name];
  const finalCode =
    code === 'OSS_INVALID_REQUEST' && !ossCode && response.status === 404 && context.key !== undefined
      ? 'OSS_NO_SUCH_KEY'
      : code;
  const suffix = [
    ossCode ? `OSS ${ossCode}` : `HTTP ${response.status}`,
    ec ? `EC ${ec}` : undefined,
    requestId ? `request id ${requestId}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return new AppError(finalCode, `${context.operation} failed: ${baseMessage(finalCode)} (${suffix})`, {
    details,
    retryable: isRetryableStatus(response.status, ossCode),
  });
}

function baseMessage(code: ErrorCode): string {
  return new AppError(code).message;
}

/** Wraps a transport failure (connect, reset, timeout) as a retryable OSS_NETWORK_ERROR. */
export function ossNetworkError(
  cause: unknown,
  context: { operation: string; key?: string | undefined },
): AppError {
  const errorCode = (cause as { code?: unknown } | undefined)?.code;
  return new AppError('OSS_NETWORK_ERROR', `${context.operation} failed: the connection to OSS failed.`, {
    details: {
      operation: context.operation,
      ...(context.key !== undefined ? { key: context.key } : {}),
      ...(typeof errorCode === 'string' ? { errno: errorCode } : {}),
    },
    cause,
    retryable: true,
  });
}
