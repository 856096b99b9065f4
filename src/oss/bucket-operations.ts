// Copy and listing operations: CopyObject (UploadPartCopy above 1 GiB) and ListObjectsV2. Split from
// object-operations.ts to keep each file to one job.
import { encodeKey } from './addressing.js';
import { type MultipartOperations, runMultipartUpload } from './multipart.js';
import {
  checkKey,
  type ObjectMeta,
  objectHeaders,
  type PutOptions,
  type PutResult,
} from './object-headers.js';
import { type ListedObject, parseCopyResult, parseListObjectsV2 } from './responses.js';
import type { OssTransport } from './transport.js';

/** Above this size CopyObject is refused by OSS, so copies go part by part (UploadPartCopy). */
export const COPY_OBJECT_LIMIT_BYTES = 1024 * 1024 * 1024;

/** What copy needs from the object operations. */
interface CopyHost {
  headObject(key: string, signal?: AbortSignal): Promise<ObjectMeta>;
  multipartFor(options: PutOptions): MultipartOperations;
}

/** Options of a copy: the object's headers plus where part-by-part copying starts. */
export interface CopyOptions extends PutOptions {
  /** Sources larger than this go by UploadPartCopy. Default {@link COPY_OBJECT_LIMIT_BYTES}. */
  multipartThresholdBytes?: number | undefined;
}

function replacesMetadata(options: PutOptions): boolean {
  return Boolean(options.contentType || options.contentDisposition || options.cacheControl || options.meta);
}

/**
 * Server-side copy inside the bucket. Keeps the source metadata unless content options or `meta` are
 * given (then REPLACE). The CRC-64 of a copy equals the source's.
 */
export async function copyObject(
  transport: OssTransport,
  host: CopyHost,
  sourceKey: string,
  targetKey: string,
  options: CopyOptions,
  copyPartSize: number,
  concurrency: number,
): Promise<PutResult> {
  checkKey(sourceKey);
  checkKey(targetKey);
  const source = await host.headObject(sourceKey, options.signal);
  const copySource = `/${transport.bucket}/${encodeKey(sourceKey)}`;
  const crc = BigInt(source.crc64 ?? '0');
  if (source.size <= (options.multipartThresholdBytes ?? COPY_OBJECT_LIMIT_BYTES)) {
    const headers: Record<string, string> = replacesMetadata(options)
      ? { ...objectHeaders(targetKey, options), 'x-oss-metadata-directive': 'REPLACE' }
      : { 'x-oss-metadata-directive': 'COPY' };
    if (options.forbidOverwrite) headers['x-oss-forbid-overwrite'] = 'true';
    if (options.storageClass) headers['x-oss-storage-class'] = options.storageClass;
    headers['x-oss-copy-source'] = copySource;
    const response = await transport.send({
      operation: 'CopyObject',
      method: 'PUT',
      key: targetKey,
      headers,
      signal: options.signal,
    });
    const out: PutResult = {
      key: targetKey,
      etag: parseCopyResult(response.text, 'CopyObjectResult').etag,
      crc64: response.headers['x-oss-hash-crc64ecma'] ?? crc.toString(),
      size: source.size,
      multipart: false,
    };
    if (response.headers['x-oss-request-id']) out.requestId = response.headers['x-oss-request-id'];
    return out;
  }
  const ops = host.multipartFor({
    ...options,
    contentType: options.contentType ?? source.contentType,
    ...(options.meta || Object.keys(source.meta).length === 0 ? {} : { meta: source.meta }),
  });
  // Ranges instead of bytes: each "part" is an empty marker; the orchestrator only sequences them.
  const ranges = (async function* () {
    for (let start = 0; start < source.size; start += copyPartSize)
      yield { data: Buffer.alloc(0), crc64: 0n };
  })();
  return runMultipartUpload(
    {
      ...ops,
      uploadPart: async (key, uploadId, partNumber, _data, _crc, signal) => {
        const start = (partNumber - 1) * copyPartSize;
        const end = Math.min(source.size, start + copyPartSize) - 1;
        const response = await transport.send({
          operation: 'UploadPartCopy',
          method: 'PUT',
          key,
          query: { partNumber: String(partNumber), uploadId },
          headers: { 'x-oss-copy-source': copySource, 'x-oss-copy-source-range': `bytes=${start}-${end}` },
          signal,
        });
        return { etag: parseCopyResult(response.text, 'CopyPartResult').etag };
      },
      complete: (key, uploadId, parts, _expected, signal) =>
        ops.complete(key, uploadId, parts, { crc64: crc, size: source.size }, signal),
    },
    targetKey,
    ranges,
    { concurrency, signal: options.signal },
  );
}

/** One page of ListObjectsV2. */
export async function listObjectsV2(
  transport: OssTransport,
  options: {
    prefix?: string;
    delimiter?: string;
    maxKeys?: number;
    continuationToken?: string;
    startAfter?: string;
    signal?: AbortSignal;
  },
): Promise<{
  objects: ListedObject[];
  commonPrefixes: string[];
  nextContinuationToken?: string;
  isTruncated: boolean;
}> {
  const query: Record<string, string> = { 'list-type': '2', 'encoding-type': 'url' };
  if (options.prefix) query.prefix = options.prefix;
  if (options.delimiter) query.delimiter = options.delimiter;
  if (options.maxKeys !== undefined) query['max-keys'] = String(options.maxKeys);
  if (options.continuationToken) query['continuation-token'] = options.continuationToken;
  if (options.startAfter) query['start-after'] = options.startAfter;
  const response = await transport.send({
    operation: 'ListObjectsV2',
    method: 'GET',
    key: '',
    query,
    signal: options.signal,
  });
  return parseListObjectsV2(response.text);
}
