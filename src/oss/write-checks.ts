// Checks and results shared by every write: CRC-64 comparison against `x-oss-hash-crc64ecma`, the
// PutResult shape, and the stand-in response used when HEAD proves a lost write succeeded.
import { AppError } from '../errors.js';
import type { ObjectMeta, PutResult } from './object-headers.js';
import type { OssTextResponse } from './transport.js';

/** The OSS_CRC_MISMATCH error of one operation (computed vs reported decimal CRC-64). */
export function crcMismatch(
  operation: string,
  key: string,
  computed: string,
  reported: string,
  retryable: boolean,
): AppError {
  return new AppError(
    'OSS_CRC_MISMATCH',
    `${operation}: the CRC-64 reported by OSS differs from the data sent.`,
    {
      details: { operation, key, computedCrc64: computed, ossCrc64: reported },
      retryable,
    },
  );
}

/** Throws OSS_CRC_MISMATCH when the response reports a CRC-64 other than `expected`. */
export function checkCrc(
  operation: string,
  key: string,
  response: OssTextResponse,
  expected: bigint,
  retryable = true,
): void {
  const reported = response.headers['x-oss-hash-crc64ecma'];
  if (reported !== undefined && reported !== expected.toString()) {
    throw crcMismatch(operation, key, expected.toString(), reported, retryable);
  }
}

/** A stand-in response built from HEAD, for a write proven to have succeeded earlier. */
export function syntheticResponse(meta: ObjectMeta): OssTextResponse {
  const headers: Record<string, string> = { etag: `"${meta.etag}"` };
  if (meta.crc64) headers['x-oss-hash-crc64ecma'] = meta.crc64;
  if (meta.requestId) headers['x-oss-request-id'] = meta.requestId;
  return { status: 200, headers, text: '' };
}

/** The PutResult of a write. */
export function putResult(
  key: string,
  response: OssTextResponse,
  etag: string,
  crc: bigint,
  size: number,
  multipart: boolean,
): PutResult {
  const out: PutResult = { key, etag: etag.replace(/^"|"$/g, ''), crc64: crc.toString(), size, multipart };
  if (response.headers['x-oss-request-id']) out.requestId = response.headers['x-oss-request-id'];
  return out;
}
