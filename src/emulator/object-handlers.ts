// PutObject, GetObject, HeadObject, DeleteObject, CopyObject and GetObjectAcl (oss-protocol.md §2.9).
import { rm } from 'node:fs/promises';
import { readSegments, writeBodyFile } from './body-file.js';
import type { Exchange } from './exchange.js';
import type { EmulatorState } from './handler-context.js';
import {
  checkContentMd5,
  checkDeclaredLength,
  checkOverwrite,
  forbidOverwrite,
  md5Etag,
  objectHeaders,
  requireKey,
  templateFromRequest,
} from './object-fields.js';
import { OssError } from './oss-error.js';
import { queryValue } from './query.js';
import type { ObjectMeta } from './store.js';
import { toXml } from './xml-writer.js';

/** `response-*` query overrides honoured on signed GETs (§2.9). */
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

/** Store limits for a body about to be written. */
export function bodyLimits(state: EmulatorState): { maxBytes: number; storeRemainingBytes: number } {
  return { maxBytes: state.maxPutBytes, storeRemainingBytes: state.maxStoreBytes - state.objects.usedBytes };
}

/** PUT /key: streams the body to disk, checks Content-MD5 and forbid-overwrite, stores metadata. */
export async function putObject(ex: Exchange, state: EmulatorState): Promise<void> {
  const bucket = ex.bucket!;
  const key = requireKey(ex.key);
  const forbid = forbidOverwrite(ex);
  checkOverwrite(forbid, state.objects.getObject(bucket, key));
  const template = templateFromRequest(ex);
  checkDeclaredLength(ex, state.maxPutBytes);
  const temp = state.objects.tempPath();
  const written = await writeBodyFile(ex.body(), temp, bodyLimits(state));
  try {
    checkContentMd5(ex, written.md5);
    checkOverwrite(forbid, state.objects.getObject(bucket, key));
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  const segment = await state.objects.adoptFile(temp, written.size);
  const meta: ObjectMeta = {
    key,
    size: written.size,
    etag: md5Etag(written.md5),
    crc64: written.crc64.toString(),
    lastModified: ex.now,
    ...template,
    objectType: 'Normal',
    segments: [segment],
  };
  await state.objects.putObject(bucket, meta, { forbidOverwrite: forbid });
  await ex.send(200, {
    etag: meta.etag,
    'x-oss-hash-crc64ecma': meta.crc64,
    'content-md5': written.md5.toString('base64'),
  });
}

/** The object or NoSuchKey. */
export function requireObject(ex: Exchange, state: EmulatorState): ObjectMeta {
  const key = requireKey(ex.key);
  const meta = state.objects.getObject(ex.bucket!, key);
  if (!meta) throw new OssError('NoSuchKey', { extra: { Key: key } });
  return meta;
}

function sameEtag(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || t.replace(/^W\//, '').replace(/"/g, '') === etag.replace(/"/g, ''));
}

/** Conditional GET/HEAD per §2.9: 412 for If-Match/If-Unmodified-Since, 304 for the other two. */
function checkConditions(ex: Exchange, meta: ObjectMeta): 'ok' | 'not-modified' {
  const modifiedSecs = Math.floor(meta.lastModified / 1000) * 1000;
  const ifMatch = ex.headers.get('if-match');
  if (ifMatch !== undefined && !sameEtag(ifMatch, meta.etag)) {
    throw new OssError('PreconditionFailed', { extra: { Condition: 'If-Match' } });
  }
  const ifUnmodified = Date.parse(ex.headers.get('if-unmodified-since') ?? '');
  if (ifMatch === undefined && !Number.isNaN(ifUnmodified) && modifiedSecs > ifUnmodified) {
    throw new OssError('PreconditionFailed', { extra: { Condition: 'If-Unmodified-Since' } });
  }
  const ifNoneMatch = ex.headers.get('if-none-match');
  if (ifNoneMatch !== undefined) return sameEtag(ifNoneMatch, meta.etag) ? 'not-modified' : 'ok';
  const ifModified = Date.parse(ex.headers.get('if-modified-since') ?? '');
  if (!Number.isNaN(ifModified) && modifiedSecs <= ifModified) return 'not-modified';
  return 'ok';
}

/** Parses a single `bytes=a-b` range; `undefined` = serve the whole object (OSS ignores invalid ranges). */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | undefined {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) throw new OssError('InvalidRange');
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) throw new OssError('InvalidRange');
  return { start, end };
}

async function serveObject(ex: Exchange, state: EmulatorState, withBody: boolean): Promise<void> {
  const meta = requireObject(ex, state);
  const headers = objectHeaders(meta);
  if (checkConditions(ex, meta) === 'not-modified') {
    await ex.send(304, { etag: meta.etag, 'last-modified': headers['last-modified']! });
    return;
  }
  if (ex.auth !== 'anonymous') {
    for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
      const value = queryValue(ex.query, param);
      if (value !== undefined) headers[header] = value;
    }
  }
  const range = parseRange(ex.headers.get('range'), meta.size);
  const start = range?.start ?? 0;
  const end = range?.end ?? meta.size - 1;
  headers['content-length'] = String(end - start + 1);
  if (range) headers['content-range'] = `bytes ${start}-${end}/${meta.size}`;
  const body = withBody && meta.size > 0 ? readSegments(meta.segments, start, end) : undefined;
  await ex.send(range ? 206 : 200, headers, body);
}

/** GET /key with Range, conditions and response-* overrides; streams from disk. */
export function getObject(ex: Exchange, state: EmulatorState): Promise<void> {
  return serveObject(ex, state, true);
}

/** HEAD /key: the GET headers without a body. */
export function headObject(ex: Exchange, state: EmulatorState): Promise<void> {
  return serveObject(ex, state, false);
}

/** DELETE /key: 204 whether or not the key existed. */
export async function deleteObject(ex: Exchange, state: EmulatorState): Promise<void> {
  await state.objects.deleteObject(ex.bucket!, requireKey(ex.key));
  await ex.send(204, {});
}

/** Parses `x-oss-copy-source` (`/bucket/key`, URL-encoded) into the source object. */
export function copySource(ex: Exchange, state: EmulatorState): ObjectMeta {
  const raw = ex.headers.get('x-oss-copy-source') ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new OssError('InvalidArgument', { message: 'x-oss-copy-source is not valid URL encoding.' });
  }
  const path = decoded.startsWith('/') ? decoded.slice(1) : decoded;
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) {
    throw new OssError('InvalidArgument', { message: 'x-oss-copy-source must be /bucket/key.' });
  }
  const bucket = path.slice(0, slash);
  const key = path.slice(slash + 1);
  const sourceBucket = state.objects.bucket(bucket);
  if (!sourceBucket) throw new OssError('NoSuchBucket', { extra: { BucketName: bucket } });
  if (ex.auth === 'anonymous' && sourceBucket.acl === 'private') throw new OssError('AccessDenied');
  const meta = state.objects.getObject(bucket, key);
  if (!meta) throw new OssError('NoSuchKey', { extra: { Key: key } });
  const ifMatch = ex.headers.get('x-oss-copy-source-if-match');
  const ifNoneMatch = ex.headers.get('x-oss-copy-source-if-none-match');
  if (
    (ifMatch !== undefined && !sameEtag(ifMatch, meta.etag)) ||
    (ifNoneMatch !== undefined && sameEtag(ifNoneMatch, meta.etag))
  ) {
    throw new OssError('PreconditionFailed', { extra: { Condition: 'x-oss-copy-source-if-match' } });
  }
  return meta;
}

/** PUT /key with x-oss-copy-source: server-side copy, metadata COPY (default) or REPLACE. */
export async function copyObject(ex: Exchange, state: EmulatorState): Promise<void> {
  const key = requireKey(ex.key);
  const source = copySource(ex, state);
  const forbid = forbidOverwrite(ex);
  checkOverwrite(forbid, state.objects.getObject(ex.bucket!, key));
  const directive = (ex.headers.get('x-oss-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw new OssError('InvalidArgument', {
      message: 'x-oss-metadata-directive must be COPY or REPLACE.',
      extra: { ArgumentName: 'x-oss-metadata-directive', ArgumentValue: directive },
    });
  }
  const template =
    directive === 'REPLACE'
      ? templateFromRequest(ex)
      : { ...source, storageClass: ex.headers.get('x-oss-storage-class') ?? source.storageClass };
  const meta: ObjectMeta = {
    key,
    size: source.size,
    etag: source.etag,
    crc64: source.crc64,
    lastModified: ex.now,
    contentType: template.contentType,
    headers: template.headers,
    userMeta: template.userMeta,
    storageClass: template.storageClass,
    acl: ex.headers.get('x-oss-object-acl') ?? template.acl,
    objectType: source.objectType,
    segments: await state.objects.copySegments(source.segments),
  };
  await state.objects.putObject(ex.bucket!, meta, { forbidOverwrite: forbid });
  const xml = toXml('CopyObjectResult', {
    ETag: meta.etag,
    LastModified: new Date(meta.lastModified).toISOString(),
  });
  await ex.sendXml(xml, { 'x-oss-hash-crc64ecma': meta.crc64 });
}

/** GET /key?acl: the object's canned ACL (`default` inherits the bucket's). */
export async function getObjectAcl(ex: Exchange, state: EmulatorState): Promise<void> {
  const meta = requireObject(ex, state);
  const xml = toXml('AccessControlPolicy', {
    Owner: { ID: 'emulator', DisplayName: 'emulator' },
    AccessControlList: { Grant: meta.acl },
  });
  await ex.sendXml(xml);
}
