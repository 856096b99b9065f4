// Request-to-metadata and metadata-to-response mapping shared by the object and multipart handlers:
// key rules, forbid-overwrite, stored entity headers, user metadata, Content-MD5, ETags.
import type { Exchange } from './exchange.js';
import { OssError } from './oss-error.js';
import { queryValue } from './query.js';
import type { ObjectMeta } from './store.js';
import type { ObjectTemplate } from './upload-store.js';

/** Entity headers stored on write and echoed on GET/HEAD (§2.9). */
const STORED_HEADERS = [
  'content-disposition',
  'content-encoding',
  'cache-control',
  'expires',
  'content-language',
];
const STORAGE_CLASSES = new Set(['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive']);
const OBJECT_ACLS = new Set(['default', 'private', 'public-read', 'public-read-write']);
/** Total size cap of user metadata names + values (§2.9, EC 0011-00000002). */
const MAX_USER_META_BYTES = 8 * 1024;
const MAX_KEY_BYTES = 1023;

/** Enforces the key rules of §2.2: 1-1023 UTF-8 bytes, no leading `/` or `\`. Returns the key. */
export function requireKey(key: string | undefined): string {
  if (key === undefined || key === '') {
    throw new OssError('InvalidObjectName', {
      message: 'The object name must not be empty.',
      ec: '0016-00000001',
    });
  }
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new OssError('InvalidObjectName', {
      message: 'The object name is longer than 1023 bytes.',
      ec: '0016-00000002',
    });
  }
  if (key.startsWith('/') || key.startsWith('\\')) {
    throw new OssError('InvalidObjectName', {
      message: 'The object name must not start with "/" or "\\".',
      ec: '0016-00000005',
    });
  }
  return key;
}

/** Parses `x-oss-forbid-overwrite`: absent or `false` → false, `true` → true, else InvalidArgument. */
export function forbidOverwrite(ex: Exchange): boolean {
  const value = ex.headers.get('x-oss-forbid-overwrite');
  if (value === undefined || value.toLowerCase() === 'false') return false;
  if (value.toLowerCase() === 'true') return true;
  throw new OssError('InvalidArgument', {
    message: 'x-oss-forbid-overwrite must be true or false.',
    ec: '0017-00000279',
    extra: { ArgumentName: 'x-oss-forbid-overwrite', ArgumentValue: value },
  });
}

/** Throws 409 FileAlreadyExists when overwriting is forbidden and the key exists. */
export function checkOverwrite(forbid: boolean, existing: ObjectMeta | undefined): void {
  if (forbid && existing) throw new OssError('FileAlreadyExists', { extra: { Key: existing.key } });
}

/** The object fields a write request sets: Content-Type (default application/octet-stream), headers, meta. */
export function templateFromRequest(ex: Exchange): ObjectTemplate {
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = ex.headers.get(name);
    if (value !== undefined) headers[name] = value;
  }
  const userMeta: Record<string, string> = {};
  let metaBytes = 0;
  for (const [name, value] of ex.headers) {
    if (!name.startsWith('x-oss-meta-')) continue;
    userMeta[name] = value;
    metaBytes += name.length - 'x-oss-meta-'.length + Buffer.byteLength(value);
  }
  if (metaBytes > MAX_USER_META_BYTES) {
    throw new OssError('InvalidArgument', { message: 'User metadata exceeds 8 KB.', ec: '0011-00000002' });
  }
  const storageClass = ex.headers.get('x-oss-storage-class') ?? 'Standard';
  if (!STORAGE_CLASSES.has(storageClass)) {
    throw new OssError('InvalidArgument', {
      message: 'Invalid storage class.',
      extra: { ArgumentName: 'x-oss-storage-class', ArgumentValue: storageClass },
    });
  }
  const acl = ex.headers.get('x-oss-object-acl') ?? 'default';
  if (!OBJECT_ACLS.has(acl)) {
    throw new OssError('InvalidArgument', {
      message: 'Invalid object ACL.',
      extra: { ArgumentName: 'x-oss-object-acl', ArgumentValue: acl },
    });
  }
  const contentType = ex.headers.get('content-type') || 'application/octet-stream';
  return { contentType, headers, userMeta, storageClass, acl };
}

/** Throws InvalidDigest when a Content-MD5 header is present and differs from the body's MD5. */
export function checkContentMd5(ex: Exchange, md5: Buffer): void {
  const claimed = ex.headers.get('content-md5');
  if (claimed === undefined) return;
  const bytes = Buffer.from(claimed, 'base64');
  if (bytes.length !== 16 || !bytes.equals(md5)) throw new OssError('InvalidDigest');
}

/** `"<UPPERCASE HEX MD5>"`, the ETag of a PUT body or a part. */
export function md5Etag(md5: Buffer): string {
  return `"${md5.toString('hex').toUpperCase()}"`;
}

/** Headers of a GET/HEAD (or copy) answer for an object. */
export function objectHeaders(meta: ObjectMeta): Record<string, string> {
  return {
    'content-type': meta.contentType,
    etag: meta.etag,
    'last-modified': new Date(meta.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
    'x-oss-hash-crc64ecma': meta.crc64,
    'x-oss-object-type': meta.objectType,
    'x-oss-storage-class': meta.storageClass,
    ...meta.headers,
    ...meta.userMeta,
  };
}

/** Applies `encoding-type=url` to a key in an XML answer (URL-encoding per OSS, `/` kept as `%2F`). */
export function encodeForXml(ex: Exchange, text: string): string {
  return queryValue(ex.query, 'encoding-type') === 'url' ? encodeURIComponent(text) : text;
}

/** Length checks before a body is read: 411 without a length or chunking, EntityTooLarge above `max`. */
export function checkDeclaredLength(ex: Exchange, max: number): void {
  const length = ex.headers.get('content-length');
  if (length === undefined && !ex.headers.has('transfer-encoding'))
    throw new OssError('MissingContentLength');
  if (length !== undefined && Number(length) > max) throw new OssError('EntityTooLarge');
}
