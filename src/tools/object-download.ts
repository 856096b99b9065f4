// Opens one object of the configured bucket for download from a URL: only URLs that address our bucket
// are accepted (B1: nothing is sent anywhere else), the key must be in scope, and the size is checked
// from the GET's Content-Length before any byte of the body is read. One GET rather than HEAD + GET: undici
// closes the connection after every HEAD, so a HEAD costs a fresh TCP (and TLS) handshake per download.
import type { Readable } from 'node:stream';
import { AppError } from '../errors.js';
import { OCTET_STREAM } from './content-type.js';
import type { DownloadSuccess } from './download-result.js';
import { cleanSourceName, lastSegment } from './object-key.js';
import { readLater } from './read-later.js';
import { spoolToTempFile } from './temp-spool.js';
import type { ToolContext } from './tool-context.js';

/** An object ready to stream: its metadata and its body. */
export interface OpenedDownload {
  meta: DownloadSuccess;
  stream: Readable;
}

/**
 * Resolves `url` to a key of the configured bucket, checks scope and size, and opens the GET.
 * @throws AppError URL_NOT_IN_BUCKET (no request sent), KEY_OUT_OF_SCOPE, FILE_TOO_LARGE (from the GET's
 * headers, body unread; with x-oss-process from a HEAD of the source first), OSS_NO_SUCH_KEY,
 * OSS_ACCESS_DENIED and the client's other codes.
 */
export async function openObjectDownload(
  url: string,
  index: number,
  context: ToolContext,
): Promise<OpenedDownload> {
  const parsed = context.urls.parse(url);
  if (!parsed) {
    throw new AppError('URL_NOT_IN_BUCKET', undefined, { details: { bucket: context.bucket } });
  }
  context.scope.check(parsed.key);
  const maxBytes = context.settings.max_download_mb * 1024 * 1024;
  // An x-oss-process result's size is known only once spooled, so a source over the limit is refused first.
  const head = parsed.process
    ? await context.oss.headObject(parsed.key, { signal: context.signal })
    : undefined;
  if (head) refuseOversize(head.size, maxBytes, parsed.key);
  // Aborting the GET (not only destroying the body we get) frees its connection when we refuse it.
  const refusal = new AbortController();
  const object = await context.oss.getObject(parsed.key, {
    signal: AbortSignal.any([context.signal, refusal.signal]),
    ...(parsed.process ? { process: parsed.process } : {}),
  });
  let body: Readable = object.body;
  let size = object.size;
  if (parsed.process) {
    // An x-oss-process result (resized image, …) has its own length, known only once read.
    const spooled = await spoolToTempFile(object.body, context.signal);
    body = spooled.stream;
    size = spooled.size;
  }
  // The GET's own length is the exact size of the blob (checked before the body is read).
  try {
    refuseOversize(size, maxBytes, parsed.key);
  } catch (error) {
    refusal.abort(error);
    body.destroy();
    throw error;
  }
  const contentType = object.contentType || head?.contentType || OCTET_STREAM;
  return {
    stream: readLater(body),
    meta: {
      ok: true,
      index,
      url,
      key: parsed.key,
      bucket: context.bucket,
      filename: cleanSourceName(lastSegment(parsed.key)) || 'download',
      size,
      contentType,
      etag: object.etag ?? head?.etag,
      lastModified: isoDate(object.lastModified ?? head?.lastModified),
    },
  };
}

function refuseOversize(size: number, maxBytes: number, key: string): void {
  if (size > maxBytes) {
    throw new AppError(
      'FILE_TOO_LARGE',
      `The object is ${size} bytes; the limit is ${maxBytes} (max_download_mb)`,
      {
        details: { key, size, max_bytes: maxBytes },
      },
    );
  }
}

function isoDate(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}
