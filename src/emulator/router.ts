// Maps a request (method, bucket/key presence, sub-resources) to an OSS operation and its handler,
// and applies ACLs to anonymous requests (oss-protocol.md §2.12).
import {
  getBucketAcl,
  getBucketInfo,
  getBucketLocation,
  listBuckets,
  listObjects,
  listObjectsV2,
} from './bucket-handlers.js';
import type { OpName } from './faults.js';
import type { Handler } from './handler-context.js';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  initiateMultipartUpload,
  uploadPart,
  uploadPartCopy,
} from './multipart-handlers.js';
import { listMultipartUploads, listParts } from './multipart-listings.js';
import {
  copyObject,
  deleteObject,
  getObject,
  getObjectAcl,
  headObject,
  putObject,
} from './object-handlers.js';
import { OssError } from './oss-error.js';
import { type QueryParams, queryHas, queryValue } from './query.js';
import type { HeaderMap } from './signature-v1.js';
import type { BucketAcl } from './store.js';

/** The operation a request asks for; `Unknown` for anything the emulator does not serve. */
export function routeOp(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  query: QueryParams,
  headers: HeaderMap,
): OpName {
  const has = (name: string): boolean => queryHas(query, name);
  if (bucket === undefined) return method === 'GET' ? 'ListBuckets' : 'Unknown';
  if (key === undefined) {
    if (method !== 'GET') return 'Unknown';
    if (has('acl')) return 'GetBucketAcl';
    if (has('bucketInfo')) return 'GetBucketInfo';
    if (has('location')) return 'GetBucketLocation';
    if (has('uploads')) return 'ListMultipartUploads';
    return queryValue(query, 'list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
  }
  const copy = headers.has('x-oss-copy-source');
  switch (method) {
    case 'PUT':
      if (has('uploadId') && has('partNumber')) return copy ? 'UploadPartCopy' : 'UploadPart';
      if (has('acl')) return 'Unknown';
      return copy ? 'CopyObject' : 'PutObject';
    case 'GET':
      if (has('uploadId')) return 'ListParts';
      return has('acl') ? 'GetObjectAcl' : 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'DELETE':
      return has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    case 'POST':
      if (has('uploads')) return 'InitiateMultipartUpload';
      return has('uploadId') ? 'CompleteMultipartUpload' : 'Unknown';
    default:
      return 'Unknown';
  }
}

/** The handler of each operation the emulator implements. */
export const HANDLERS: Partial<Record<OpName, Handler>> = {
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  CopyObject: copyObject,
  GetObjectAcl: getObjectAcl,
  InitiateMultipartUpload: initiateMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
  ListMultipartUploads: listMultipartUploads,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  GetBucketInfo: getBucketInfo,
  GetBucketAcl: getBucketAcl,
  GetBucketLocation: getBucketLocation,
  ListBuckets: listBuckets,
};

const ANONYMOUS_READS = new Set<OpName>(['GetObject', 'HeadObject', 'ListObjects', 'ListObjectsV2']);
const ANONYMOUS_WRITES = new Set<OpName>([
  'PutObject',
  'DeleteObject',
  'CopyObject',
  'InitiateMultipartUpload',
  'UploadPart',
  'UploadPartCopy',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'ListParts',
]);

/**
 * Throws AccessDenied unless an anonymous request is allowed: reads need a public-read(-write) object
 * or bucket ACL (an object's `default` inherits the bucket's), writes need public-read-write.
 */
export function checkAnonymousAccess(
  op: OpName,
  bucketAcl: BucketAcl | undefined,
  objectAcl: string | undefined,
): void {
  const effective = objectAcl === undefined || objectAcl === 'default' ? bucketAcl : objectAcl;
  const readable = effective === 'public-read' || effective === 'public-read-write';
  if (ANONYMOUS_READS.has(op) && readable) return;
  if (ANONYMOUS_WRITES.has(op) && bucketAcl === 'public-read-write') return;
  throw new OssError('AccessDenied', {
    message: 'You have no right to access this object because of bucket acl.',
    ec: '0003-00000001',
  });
}
