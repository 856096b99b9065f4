// The multipart requests (Initiate, UploadPart, Complete, Abort, ListParts, ListMultipartUploads), each
// with its CRC-64 check; a lost Complete response is reconciled by HEAD + CRC. Orchestration: multipart.ts.
import { createHash } from 'node:crypto';
import { type AppError, isAppError } from '../errors.js';
import { crc64 } from './crc64.js';
import type { MultipartOperations } from './multipart.js';
import {
  checkKey,
  type ObjectMeta,
  objectHeaders,
  type PutOptions,
  type PutResult,
} from './object-headers.js';
import {
  completeBody,
  type ListedPart,
  parseCompleteResult,
  parseInitiateResult,
  parseListParts,
  parseListUploads,
} from './responses.js';
import type { OssTransport } from './transport.js';
import { checkCrc, putResult, syntheticResponse } from './write-checks.js';

/** Multipart requests of one bucket. */
export class MultipartRequests {
  readonly #transport: OssTransport;
  readonly #headObject: (key: string, signal?: AbortSignal) => Promise<ObjectMeta>;

  constructor(
    transport: OssTransport,
    headObject: (key: string, signal?: AbortSignal) => Promise<ObjectMeta>,
  ) {
    this.#transport = transport;
    this.#headObject = headObject;
  }

  /**
   * InitiateMultipartUpload. When an attempt's answer was lost and the retry succeeded, the lost attempt
   * may have created an upload whose id we never learnt: {@link abortLostInitiates} removes it.
   */
  async initiate(key: string, options: PutOptions, signal?: AbortSignal): Promise<string> {
    checkKey(key);
    const startedAt = Date.now();
    let lostAnswer = false;
    const lost = (error: AppError): boolean => error.code === 'OSS_NETWORK_ERROR';
    let response: Awaited<ReturnType<OssTransport['send']>>;
    try {
      response = await this.#transport.send({
        operation: 'InitiateMultipartUpload',
        method: 'POST',
        key,
        query: { uploads: '' },
        headers: objectHeaders(key, options),
        signal,
        onRetry: (error) => {
          if (lost(error)) lostAnswer = true;
        },
      });
    } catch (error) {
      // Every attempt failed; those whose answer was lost may each have started an upload all the same.
      if (lostAnswer || (isAppError(error) && lost(error))) {
        await this.abortLostInitiates(key, undefined, Date.now() - startedAt, signal);
      }
      throw error;
    }
    const uploadId = parseInitiateResult(response.text);
    if (lostAnswer) await this.abortLostInitiates(key, uploadId, Date.now() - startedAt, signal);
    return uploadId;
  }

  /**
   * Aborts the uploads of `key` that the server started in the `elapsedMs` (plus 1 s for the second
   * precision of `Initiated`) before `uploadId`, on the server's own clock: those are the ones our lost
   * attempts created. Without `uploadId` (no attempt succeeded) the window ends at the server's time now
   * (our clock plus the measured offset, plus 1 s). Best effort: a failed listing (e.g. no
   * oss:ListMultipartUploads permission) leaves them to a lifecycle rule. A concurrent writer of the same
   * key within that window would lose its upload.
   */
  async abortLostInitiates(
    key: string,
    uploadId: string | undefined,
    elapsedMs: number,
    signal?: AbortSignal,
  ): Promise<void> {
    try {
      const uploads = (await this.listMultipartUploads(key, signal)).filter((u) => u.key === key);
      const end =
        uploadId === undefined
          ? Date.now() + this.#transport.clockOffsetMs + 1000
          : uploads.find((u) => u.uploadId === uploadId)?.initiated?.getTime();
      if (end === undefined) return;
      for (const upload of uploads) {
        const at = upload.initiated?.getTime();
        if (upload.uploadId === uploadId || at === undefined) continue;
        if (at >= end - elapsedMs - 1000 && at <= end) await this.abort(key, upload.uploadId);
      }
    } catch {
      // Best effort, see above.
    }
  }

  /** UploadPart of bytes in memory; re-sent (up to maxAttempts) when OSS reports another CRC-64. */
  async uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    data: Buffer,
    crc: bigint | undefined,
    signal?: AbortSignal,
  ): Promise<{ etag: string; crc64: string }> {
    const expected = crc ?? crc64(data);
    const response = await this.#transport.send({
      operation: 'UploadPart',
      method: 'PUT',
      key,
      query: { partNumber: String(partNumber), uploadId },
      headers: { 'content-length': String(data.length) },
      body: () => data,
      signal,
      verify: (res) => checkCrc('UploadPart', key, res, expected),
    });
    return { etag: (response.headers.etag ?? '').replace(/^"|"$/g, ''), crc64: expected.toString() };
  }

  /**
   * CompleteMultipartUpload. With `expected`, the object CRC is checked; a NoSuchUpload after a lost
   * response is resolved by HEAD + CRC (the first Complete did succeed).
   */
  async complete(
    key: string,
    uploadId: string,
    parts: Array<{ partNumber: number; etag: string }>,
    options: PutOptions,
    expected: { crc64: bigint; size: number } | undefined,
    signal?: AbortSignal,
  ): Promise<PutResult> {
    const xml = Buffer.from(completeBody(parts));
    const headers: Record<string, string> = {
      'content-type': 'application/xml',
      'content-md5': createHash('md5').update(xml).digest('base64'),
    };
    if (options.forbidOverwrite) headers['x-oss-forbid-overwrite'] = 'true';
    const response = await this.#transport.send({
      operation: 'CompleteMultipartUpload',
      method: 'POST',
      key,
      query: { uploadId },
      headers,
      body: () => xml,
      signal,
      verify: (res) => {
        if (expected) checkCrc('CompleteMultipartUpload', key, res, expected.crc64, false);
      },
      reconcile: async (error) => {
        if (!expected || !['OSS_NO_SUCH_UPLOAD', 'OSS_FILE_ALREADY_EXISTS'].includes(error.code))
          return undefined;
        const meta = await this.#headObject(key, signal).catch(() => undefined);
        if (!meta || meta.crc64 !== expected.crc64.toString() || meta.size !== expected.size)
          return undefined;
        return {
          ...syntheticResponse(meta),
          text: `<CompleteMultipartUploadResult><ETag>"${meta.etag}"</ETag></CompleteMultipartUploadResult>`,
        };
      },
    });
    const { etag } = parseCompleteResult(response.text);
    if (expected) return putResult(key, response, etag, expected.crc64, expected.size, true);
    const meta = await this.#headObject(key, signal);
    return putResult(key, response, etag, BigInt(meta.crc64 ?? '0'), meta.size, true);
  }

  /** AbortMultipartUpload; runs even after the caller's signal aborted (bounded by its own timeout). */
  async abort(
    key: string,
    uploadId: string,
    signal: AbortSignal = AbortSignal.timeout(60_000),
  ): Promise<void> {
    await this.#transport.send({
      operation: 'AbortMultipartUpload',
      method: 'DELETE',
      key,
      query: { uploadId },
      signal,
    });
  }

  /** The orchestrator's view, with the object options bound. */
  multipartFor(options: PutOptions): MultipartOperations {
    return {
      initiate: (key, signal) => this.initiate(key, options, signal),
      uploadPart: (key, uploadId, partNumber, data, crc, signal) =>
        this.uploadPart(key, uploadId, partNumber, data, crc, signal),
      complete: (key, uploadId, parts, expected, signal) =>
        this.complete(key, uploadId, parts, options, expected, signal),
      abort: (key, uploadId) => this.abort(key, uploadId),
    };
  }

  /** All parts of an upload, following pages. */
  async listParts(key: string, uploadId: string, signal?: AbortSignal): Promise<ListedPart[]> {
    const parts: ListedPart[] = [];
    let marker: number | undefined;
    for (;;) {
      const query: Record<string, string> = { uploadId };
      if (marker !== undefined) query['part-number-marker'] = String(marker);
      const response = await this.#transport.send({
        operation: 'ListParts',
        method: 'GET',
        key,
        query,
        signal,
      });
      const page = parseListParts(response.text);
      parts.push(...page.parts);
      if (!page.isTruncated || page.nextPartNumberMarker === undefined) return parts;
      marker = page.nextPartNumberMarker;
    }
  }

  /** First page of in-flight multipart uploads. */
  async listMultipartUploads(prefix?: string, signal?: AbortSignal) {
    const query: Record<string, string> = { uploads: '' };
    if (prefix) query.prefix = prefix;
    const response = await this.#transport.send({
      operation: 'ListMultipartUploads',
      method: 'GET',
      query,
      signal,
    });
    return parseListUploads(response.text);
  }
}
