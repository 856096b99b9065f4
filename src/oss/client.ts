// The OSS client: one object per bucket with V4 signing, retries, CRC-64 checks and streaming uploads and
// downloads. Operation wire details live in object-operations.ts; orchestration in multipart.ts.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { AppError } from '../errors.js';
import { type OssLocation, objectUrl, resolveLocation } from './addressing.js';
import type { CopyOptions } from './bucket-operations.js';
import {
  CONNECT_TIMEOUT_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_PART_SIZE_BYTES,
  DEFAULT_SINGLE_PUT_THRESHOLD_BYTES,
  IDLE_TIMEOUT_MS,
  intOption,
  MAX_PART_SIZE_BYTES,
  MIB,
  MIN_PART_SIZE_BYTES,
  type OssClientOptions,
  type UploadBody,
} from './client-options.js';
import { partSizeFor, runMultipartUpload } from './multipart.js';
import type { ObjectMeta, PutOptions, PutResult } from './object-headers.js';
import { ObjectOperations } from './object-operations.js';
import { PartBufferPool, readFileParts, readParts, singleOrParts } from './part-reader.js';
import { type PresignOptions, presignUrl } from './presign-url.js';
import type { ListedObject, ListedPart } from './responses.js';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_BASE_MS, DEFAULT_RETRY_CAP_MS } from './retry.js';
import { OssTransport } from './transport.js';

export type { OssClientOptions, UploadBody } from './client-options.js';
export type { ObjectMeta, PutOptions, PutResult } from './object-headers.js';
export type { PresignOptions } from './presign-url.js';
export type { ListedObject, ListedPart } from './responses.js';

/**
 * Client of one OSS bucket.
 * @example
 * const client = new OssClient({ accessKeyId, accessKeySecret, endpoint: 'oss-cn-hangzhou.aliyuncs.com', bucket: 'b' });
 * await client.upload('dir/a.bin', createReadStream('a.bin'));
 */
export class OssClient {
  readonly bucket: string;
  readonly region: string;
  readonly location: OssLocation;
  readonly #options: OssClientOptions;
  readonly #transport: OssTransport;
  readonly #ops: ObjectOperations;
  readonly #partSize: number;
  readonly #concurrency: number;
  readonly #threshold: number;

  /** @throws AppError CONFIG_REGION_REQUIRED, CONFIG_INVALID, CONFIG_MISSING_CREDENTIALS, INVALID_ARGUMENT */
  constructor(options: OssClientOptions) {
    if (!options.accessKeyId || !options.accessKeySecret || !options.endpoint || !options.bucket) {
      throw new AppError('CONFIG_MISSING_CREDENTIALS');
    }
    this.location = resolveLocation(options);
    this.bucket = this.location.bucket;
    this.region = this.location.region;
    this.#options = options;
    this.#partSize = intOption(
      'partSizeBytes',
      options.partSizeBytes,
      DEFAULT_PART_SIZE_BYTES,
      MIN_PART_SIZE_BYTES,
      MAX_PART_SIZE_BYTES,
    );
    this.#concurrency = intOption('concurrency', options.concurrency, DEFAULT_CONCURRENCY, 1, 16);
    this.#threshold = intOption(
      'singlePutThresholdBytes',
      options.singlePutThresholdBytes,
      DEFAULT_SINGLE_PUT_THRESHOLD_BYTES,
      0,
      5 * 1024 * MIB,
    );
    this.#transport = new OssTransport({
      accessKeyId: options.accessKeyId,
      accessKeySecret: options.accessKeySecret,
      securityToken: options.securityToken,
      location: this.location,
      maxAttempts: intOption('maxAttempts', options.maxAttempts, DEFAULT_MAX_ATTEMPTS, 1, 10),
      retryBaseMs: intOption('retryBaseMs', options.retryBaseMs, DEFAULT_RETRY_BASE_MS, 0, 60_000),
      retryCapMs: intOption('retryCapMs', options.retryCapMs, DEFAULT_RETRY_CAP_MS, 0, 600_000),
      connectTimeoutMs: intOption(
        'connectTimeoutMs',
        options.connectTimeoutMs,
        CONNECT_TIMEOUT_MS,
        1,
        600_000,
      ),
      idleTimeoutMs: intOption('idleTimeoutMs', options.idleTimeoutMs, IDLE_TIMEOUT_MS, 1, 3_600_000),
      now: options.now ?? Date.now,
    });
    this.#ops = new ObjectOperations(this.#transport);
  }

  /** Milliseconds added to the local clock when signing, learnt from RequestTimeTooSkewed. */
  get clockOffsetMs(): number {
    return this.#transport.clockOffsetMs;
  }

  /**
   * One PUT. A Uint8Array is retried as needed; a stream is sent once (use {@link upload} for retries).
   * CRC-64 is always compared with OSS's. @throws AppError OSS_* codes, KEY_INVALID, CANCELLED
   */
  putObject(key: string, body: UploadBody, options: PutOptions & { size?: number } = {}): Promise<PutResult> {
    if (body instanceof Uint8Array) return this.#ops.putObject(key, { data: body }, options);
    const stream = body instanceof Readable ? body : Readable.from(body);
    return this.#ops.putObject(key, { stream: () => stream, size: options.size, replayable: false }, options);
  }

  /**
   * Uploads any body: one PUT when the size is known and at most the single-PUT threshold, else a
   * multipart upload read from the stream (unknown length is fine). Memory ~ partSize x (concurrency + 1).
   * A failed or cancelled multipart upload is aborted; the error carries `details.key`/`details.uploadId`.
   */
  async upload(
    key: string,
    body: UploadBody | { path: string },
    options: PutOptions & { size?: number; partSizeBytes?: number; concurrency?: number } = {},
  ): Promise<PutResult> {
    // A path is read part by part straight into the part buffers (readFileParts); anything else is cut.
    let source: AsyncIterable<Uint8Array> | Iterable<Uint8Array> | string;
    let size = options.size;
    if (body instanceof Uint8Array) {
      size = body.length;
      if (size <= this.#threshold) return this.#ops.putObject(key, { data: body }, options);
      source = [body];
    } else if ('path' in body && typeof body.path === 'string') {
      const path = body.path;
      size = (await stat(path)).size;
      if (size <= this.#threshold) {
        return this.#ops.putObject(
          key,
          { stream: () => createReadStream(path), size, replayable: true },
          options,
        );
      }
      source = path;
    } else {
      source = body as AsyncIterable<Uint8Array>;
    }
    const requested = intOption(
      'partSizeBytes',
      options.partSizeBytes,
      this.#partSize,
      MIN_PART_SIZE_BYTES,
      MAX_PART_SIZE_BYTES,
    );
    const partSize = partSizeFor(size, requested);
    const concurrency = intOption('concurrency', options.concurrency, this.#concurrency, 1, 16);
    const firstSize = size !== undefined && size <= this.#threshold ? Math.max(size, 1) : partSize;
    const pool = new PartBufferPool(firstSize);
    const reader =
      typeof source === 'string'
        ? readFileParts(source, size ?? 0, firstSize, pool)
        : readParts(source, firstSize, pool);
    const read = await singleOrParts(reader);
    if ('single' in read) return this.#ops.putObject(key, read.single, options);
    return runMultipartUpload(this.#ops.multipart.multipartFor(options), key, read.parts, {
      concurrency,
      signal: options.signal,
      totalBytes: size,
      onProgress: options.onProgress,
      releasePart: (part) => pool.release(part),
    });
  }

  /** Streams an object (Range gives 206; a full read is CRC-checked as it streams). */
  getObject(
    key: string,
    options: { range?: [number, number?]; signal?: AbortSignal; ifMatch?: string; process?: string } = {},
  ): Promise<ObjectMeta & { body: Readable; status: number }> {
    return this.#ops.getObject(key, options);
  }

  /** Metadata of an object; errors decoded from `x-oss-err`. */
  headObject(key: string, options: { signal?: AbortSignal } = {}): Promise<ObjectMeta> {
    return this.#ops.headObject(key, options.signal);
  }

  /** Deletes an object (OSS answers 204 even when it did not exist). */
  deleteObject(key: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    return this.#ops.deleteObject(key, options.signal);
  }

  /**
   * Server-side copy within the bucket; UploadPartCopy above `multipartThresholdBytes` (default 1 GiB),
   * in parts of `partSizeBytes` (default 8 x the client's part size).
   */
  copyObject(
    sourceKey: string,
    targetKey: string,
    options: CopyOptions & { partSizeBytes?: number } = {},
  ): Promise<PutResult> {
    const partSize = intOption(
      'partSizeBytes',
      options.partSizeBytes,
      this.#partSize * 8,
      MIN_PART_SIZE_BYTES,
      MAX_PART_SIZE_BYTES,
    );
    return this.#ops.copyObject(sourceKey, targetKey, options, partSize, this.#concurrency);
  }

  /** One page of ListObjectsV2. */
  listObjectsV2(
    options: {
      prefix?: string;
      delimiter?: string;
      maxKeys?: number;
      continuationToken?: string;
      startAfter?: string;
      signal?: AbortSignal;
    } = {},
  ): Promise<{
    objects: ListedObject[];
    commonPrefixes: string[];
    nextContinuationToken?: string;
    isTruncated: boolean;
  }> {
    return this.#ops.listObjectsV2(options);
  }

  /**
   * A V4 presigned URL. `publicHost` signs for another host (the public endpoint while the client uses
   * `-internal`, or the custom domain); V4 does not sign the host, so the signature is the same.
   * @throws AppError INVALID_ARGUMENT when expiresSeconds is outside 1..604800
   */
  presign(options: PresignOptions): { url: string; expiresAt: Date } {
    return presignUrl(options, {
      location: this.location,
      accessKeyId: this.#options.accessKeyId,
      accessKeySecret: this.#options.accessKeySecret,
      securityToken: this.#options.securityToken,
      nowMs: (this.#options.now ?? Date.now)() + this.#transport.clockOffsetMs,
    });
  }

  /** Unsigned URL of an object on the configured endpoint. */
  objectUrl(key: string): string {
    return objectUrl(this.location, key);
  }

  /** InitiateMultipartUpload with the object's headers; returns the upload id. */
  initiateMultipartUpload(key: string, options: PutOptions = {}): Promise<string> {
    return this.#ops.multipart.initiate(key, options, options.signal);
  }

  /** UploadPart; the part's CRC-64 is checked and the part re-sent on mismatch. */
  uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    data: Uint8Array,
    options: { signal?: AbortSignal } = {},
  ) {
    return this.#ops.multipart.uploadPart(
      key,
      uploadId,
      partNumber,
      Buffer.from(data.buffer, data.byteOffset, data.length),
      undefined,
      options.signal,
    );
  }

  /** CompleteMultipartUpload with the given parts (sorted for you). */
  completeMultipartUpload(
    key: string,
    uploadId: string,
    parts: Array<{ partNumber: number; etag: string }>,
    options: PutOptions = {},
  ): Promise<PutResult> {
    return this.#ops.multipart.complete(key, uploadId, parts, options, undefined, options.signal);
  }

  /** AbortMultipartUpload (parts are deleted). */
  abortMultipartUpload(key: string, uploadId: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    return this.#ops.multipart.abort(key, uploadId, options.signal);
  }

  /** All parts of an upload (pages followed). */
  listParts(key: string, uploadId: string, options: { signal?: AbortSignal } = {}): Promise<ListedPart[]> {
    return this.#ops.multipart.listParts(key, uploadId, options.signal);
  }

  /** In-flight multipart uploads of the bucket (first page, up to 1000). */
  listMultipartUploads(options: { prefix?: string; signal?: AbortSignal } = {}) {
    return this.#ops.multipart.listMultipartUploads(options.prefix, options.signal);
  }

  /** Closes pooled connections. */
  close(): Promise<void> {
    return this.#transport.close();
  }
}
