// Object metadata in both directions: PutOptions → request headers (Content-Type, x-oss-meta-*, …) and
// response headers → ObjectMeta. Header rules from oss-protocol.md §2.9.
import { lookup } from 'mime-types';
import { AppError } from '../errors.js';
import { unquoteEtag } from './responses.js';

/** Options of every write (PutObject, multipart, copy). */
export interface PutOptions {
  /** Default: guessed from the key's extension, else `application/octet-stream`. */
  contentType?: string | undefined;
  /** ASCII only; encode non-ASCII file names as RFC 6266 `filename*=UTF-8''…`. */
  contentDisposition?: string | undefined;
  cacheControl?: string | undefined;
  /** Sends `x-oss-forbid-overwrite: true`: an existing key fails with OSS_FILE_ALREADY_EXISTS. */
  forbidOverwrite?: boolean | undefined;
  /** `Standard`, `IA`, `Archive`, `ColdArchive` or `DeepColdArchive`. */
  storageClass?: string | undefined;
  /** User metadata: names of letters, digits and `-`; ASCII values. */
  meta?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
  /** Called as bytes are confirmed by OSS (after each PUT or part). */
  onProgress?: ((progress: { loadedBytes: number; totalBytes?: number }) => void) | undefined;
}

/** Outcome of a write. `crc64` is the decimal CRC-64 OSS confirmed (and we checked). */
export interface PutResult {
  key: string;
  etag: string;
  crc64: string;
  size: number;
  requestId?: string;
  multipart: boolean;
}

/** Metadata of a stored object (HeadObject, GetObject). */
export interface ObjectMeta {
  key: string;
  size: number;
  contentType: string;
  etag: string;
  crc64?: string;
  lastModified?: Date;
  storageClass?: string;
  contentDisposition?: string;
  cacheControl?: string;
  meta: Record<string, string>;
  requestId?: string;
}

const META_NAME = /^[A-Za-z0-9-]+$/;
// Printable ASCII plus tab: anything else is rejected by OSS or by Node's header validation.
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

function checkValue(name: string, value: string): string {
  if (!HEADER_VALUE.test(value)) {
    throw new AppError('INVALID_ARGUMENT', `The ${name} value must be printable ASCII; encode it first.`, {
      details: { option: name },
    });
  }
  return value;
}

/** Content-Type for a key: the explicit one, else by extension, else `application/octet-stream`. */
export function contentTypeFor(key: string, explicit?: string): string {
  return explicit || lookup(key) || 'application/octet-stream';
}

/**
 * Request headers for a write. `forMultipartInit` keeps all object headers; parts never get them.
 * @throws AppError INVALID_ARGUMENT for a bad meta name or a non-ASCII header value.
 */
export function objectHeaders(key: string, options: PutOptions = {}): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': checkValue('contentType', contentTypeFor(key, options.contentType)),
  };
  if (options.contentDisposition) {
    headers['content-disposition'] = checkValue('contentDisposition', options.contentDisposition);
  }
  if (options.cacheControl) headers['cache-control'] = checkValue('cacheControl', options.cacheControl);
  if (options.forbidOverwrite) headers['x-oss-forbid-overwrite'] = 'true';
  if (options.storageClass) headers['x-oss-storage-class'] = checkValue('storageClass', options.storageClass);
  for (const [name, value] of Object.entries(options.meta ?? {})) {
    if (!META_NAME.test(name)) {
      throw new AppError('INVALID_ARGUMENT', 'Metadata names may use only letters, digits and "-".', {
        details: { option: 'meta', name },
      });
    }
    headers[`x-oss-meta-${name.toLowerCase()}`] = checkValue(`meta.${name}`, value);
  }
  return headers;
}

/** Object metadata from GET/HEAD response headers (lower-cased names). */
export function metaFromHeaders(key: string, headers: Record<string, string>): ObjectMeta {
  const meta: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-oss-meta-')) meta[name.slice('x-oss-meta-'.length)] = value;
  }
  const out: ObjectMeta = {
    key,
    size: Number(headers['content-length'] ?? 0),
    contentType: headers['content-type'] ?? 'application/octet-stream',
    etag: unquoteEtag(headers.etag),
    meta,
  };
  const range = /\/(\d+)$/.exec(headers['content-range'] ?? '');
  if (range) out.size = Number(range[1]);
  if (headers['x-oss-hash-crc64ecma']) out.crc64 = headers['x-oss-hash-crc64ecma'];
  if (headers['last-modified']) out.lastModified = new Date(headers['last-modified']);
  if (headers['x-oss-storage-class']) out.storageClass = headers['x-oss-storage-class'];
  if (headers['content-disposition']) out.contentDisposition = headers['content-disposition'];
  if (headers['cache-control']) out.cacheControl = headers['cache-control'];
  if (headers['x-oss-request-id']) out.requestId = headers['x-oss-request-id'];
  return out;
}

/**
 * Checks a key against OSS naming rules (1-1023 UTF-8 bytes, not starting with `/` or `\`).
 * @throws AppError KEY_INVALID
 */
export function checkKey(key: string): void {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes < 1 || bytes > 1023 || key.startsWith('/') || key.startsWith('\\')) {
    throw new AppError(
      'KEY_INVALID',
      'An object key must be 1-1023 UTF-8 bytes and not start with "/" or "\\".',
      {
        details: { key: key.slice(0, 200) },
      },
    );
  }
}
