// Options and defaults of OssClient (oss-protocol.md §4.4), and the integer option check.
import type { Readable } from 'node:stream';
import { AppError } from '../errors.js';

/** One mebibyte in bytes. */
export const MIB = 1024 * 1024;
/** Defaults (oss-protocol.md §4.4). */
export const DEFAULT_PART_SIZE_BYTES = 8 * MIB;
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_SINGLE_PUT_THRESHOLD_BYTES = 32 * MIB;
export const CONNECT_TIMEOUT_MS = 10_000;
export const IDLE_TIMEOUT_MS = 60_000;
/** OSS part size limits: 100 KiB (except the last part) to 5 GiB. */
export const MIN_PART_SIZE_BYTES = 100 * 1024;
export const MAX_PART_SIZE_BYTES = 5 * 1024 * MIB;

/** Client options; sizes in bytes, times in ms. */
export interface OssClientOptions {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string | undefined;
  /** Bare host (https, virtual-hosted) or URL with scheme and port; IP/localhost = path style. */
  endpoint: string;
  bucket: string;
  /** V4 region; required when the endpoint does not name one (custom domain, IP). */
  region?: string | undefined;
  /** The endpoint is the bucket's custom domain. */
  cname?: boolean | undefined;
  /** Default 8 MiB; raised automatically to stay under 10,000 parts. */
  partSizeBytes?: number | undefined;
  /** Parts in flight, default 4 (1..16). */
  concurrency?: number | undefined;
  /** Known sizes up to this go as one PUT, default 32 MiB. */
  singlePutThresholdBytes?: number | undefined;
  /** Attempts per request, default 3. */
  maxAttempts?: number | undefined;
  /** Backoff base (default 200) and cap (default 20000). */
  retryBaseMs?: number | undefined;
  retryCapMs?: number | undefined;
  /** Default 10000. */
  connectTimeoutMs?: number | undefined;
  /** No-progress timeout for headers and body, default 60000. */
  idleTimeoutMs?: number | undefined;
  /** Clock in epoch ms (tests), default Date.now. */
  now?: (() => number) | undefined;
}

/** A body to upload. */
export type UploadBody = Uint8Array | Readable | AsyncIterable<Uint8Array>;

/** Validates an integer option. @throws AppError INVALID_ARGUMENT naming the option */
export function intOption(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new AppError('INVALID_ARGUMENT', `Option ${name} must be an integer from ${min} to ${max}.`, {
      details: { option: name },
    });
  }
  return v;
}
