// Orchestrates a multipart upload from a stream of parts: Initiate, bounded parallel UploadPart, Complete,
// and Abort on any failure or cancel. Memory is about partSize x (concurrency + 1): `concurrency` parts in
// flight plus the one the reader is filling. The shape follows aws-sdk-js-v3 lib-storage (see STYLE.md §7).
import { AppError, isAppError, toAppError } from '../errors.js';
import { crc64Combine } from './crc64.js';
import type { PutResult } from './object-headers.js';
import type { PartBytes } from './part-reader.js';
import { cancelled } from './retry.js';

/** OSS allows part numbers 1..10000 (oss-protocol.md §2.10). */
export const MAX_PARTS = 10_000;

const MIB = 1024 * 1024;

/**
 * Part size for an upload of `size` bytes (unknown: `undefined`): `partSize`, raised when needed to
 * ceil(size / 10000) rounded up to whole MiB so the upload stays within 10,000 parts (§4.4).
 */
export function partSizeFor(size: number | undefined, partSize: number): number {
  if (size === undefined || Math.ceil(size / MAX_PARTS) <= partSize) return partSize;
  return Math.ceil(size / MAX_PARTS / MIB) * MIB;
}

/** The primitives the orchestrator needs; OssClient provides them. */
export interface MultipartOperations {
  initiate(key: string, signal: AbortSignal): Promise<string>;
  uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    data: Buffer,
    crc: bigint,
    signal: AbortSignal,
  ): Promise<{ etag: string }>;
  complete(
    key: string,
    uploadId: string,
    parts: Array<{ partNumber: number; etag: string }>,
    expected: { crc64: bigint; size: number },
    signal: AbortSignal,
  ): Promise<PutResult>;
  abort(key: string, uploadId: string): Promise<void>;
}

/** Options of one orchestrated upload. */
export interface MultipartRunOptions {
  /** Parts uploading at once (1..16). */
  concurrency: number;
  signal?: AbortSignal | undefined;
  totalBytes?: number | undefined;
  onProgress?: ((progress: { loadedBytes: number; totalBytes?: number }) => void) | undefined;
  /** Called with each part's bytes once its upload settled, so the reader can reuse the memory. */
  releasePart?: ((part: Buffer) => void) | undefined;
}

function withUpload(error: unknown, key: string, uploadId: string | undefined): AppError {
  const app = toAppError(error);
  return new AppError(app.code, app.message, {
    details: { ...app.details, key, ...(uploadId ? { uploadId } : {}) },
    cause: app.cause ?? (isAppError(error) ? undefined : error),
    retryable: app.retryable,
  });
}

/**
 * Uploads `parts` (in order, each with the CRC-64 its reader computed) as one object. On failure or cancel
 * it waits for parts in flight, aborts the upload so nothing is left behind, and throws the first error
 * with `details.key` and `details.uploadId`.
 * @throws AppError OSS_ENTITY_TOO_LARGE past 10,000 parts; CANCELLED; any OSS error of the steps.
 */
export async function runMultipartUpload(
  ops: MultipartOperations,
  key: string,
  parts: AsyncIterator<PartBytes>,
  options: MultipartRunOptions,
): Promise<PutResult> {
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(cancelled(options.signal));
  if (options.signal?.aborted) throw cancelled(options.signal);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let uploadId: string | undefined;
  try {
    uploadId = await ops.initiate(key, controller.signal);
    const id = uploadId;
    const done: Array<{ partNumber: number; etag: string }> = [];
    const inFlight = new Set<Promise<void>>();
    let firstError: unknown;
    let combined = 0n;
    let size = 0;
    let loaded = 0;
    for (let partNumber = 1; ; partNumber++) {
      while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
      if (firstError !== undefined || controller.signal.aborted) break;
      const next = await parts.next();
      if (next.done) break;
      if (partNumber > MAX_PARTS) {
        firstError = new AppError(
          'OSS_ENTITY_TOO_LARGE',
          'The stream needs more than 10,000 parts: raise partSizeBytes.',
        );
        break;
      }
      const { data, crc64: crc } = next.value;
      combined = crc64Combine(combined, crc, data.length);
      size += data.length;
      const task = ops
        .uploadPart(key, id, partNumber, data, crc, controller.signal)
        .then(({ etag }) => {
          done.push({ partNumber, etag });
          loaded += data.length;
          options.onProgress?.({
            loadedBytes: loaded,
            ...(options.totalBytes !== undefined ? { totalBytes: options.totalBytes } : {}),
          });
        })
        .catch((error: unknown) => {
          if (firstError === undefined) firstError = error;
          controller.abort(error);
        })
        .finally(() => {
          inFlight.delete(task);
          options.releasePart?.(data);
        });
      inFlight.add(task);
    }
    await Promise.all(inFlight);
    if (firstError === undefined && controller.signal.aborted) firstError = controller.signal.reason;
    if (firstError !== undefined) throw firstError;
    return await ops.complete(key, id, done, { crc64: combined, size }, controller.signal);
  } catch (error) {
    const failure = options.signal?.aborted ? cancelled(options.signal) : error;
    if (uploadId !== undefined) {
      await ops.abort(key, uploadId).catch(() => undefined);
    }
    await parts.return?.(undefined);
    throw withUpload(failure, key, uploadId);
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}
