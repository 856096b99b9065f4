// Parses the XML bodies of successful OSS responses (multipart, listings, copy) into plain objects.
// Shapes from oss-protocol.md §2.10 and the OSS API reference; unknown elements are ignored.
import { XMLParser } from 'fast-xml-parser';
import { AppError } from '../errors.js';

const parser = new XMLParser({
  parseTagValue: false,
  ignoreAttributes: true,
  processEntities: true,
  isArray: (name) => ['Contents', 'CommonPrefixes', 'Part', 'Upload'].includes(name),
});

type Node = Record<string, unknown>;

function root(xml: string, name: string, operation: string): Node {
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (cause) {
    throw new AppError('OSS_INVALID_REQUEST', `${operation} returned malformed XML.`, { cause });
  }
  const node = (doc as Node | undefined)?.[name];
  if (!node || typeof node !== 'object') {
    throw new AppError('OSS_INVALID_REQUEST', `${operation} returned no ${name} element.`, {
      details: { operation },
    });
  }
  return node as Node;
}

function str(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function list(value: unknown): Node[] {
  return Array.isArray(value) ? (value as Node[]) : [];
}

/** OSS ETags come quoted; we hand them out bare. */
export function unquoteEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^(W\/)?"|"$/g, '');
}

/** `<InitiateMultipartUploadResult>` → upload id. */
export function parseInitiateResult(xml: string): string {
  const uploadId = str(root(xml, 'InitiateMultipartUploadResult', 'InitiateMultipartUpload').UploadId);
  if (!uploadId) throw new AppError('OSS_INVALID_REQUEST', 'InitiateMultipartUpload returned no UploadId.');
  return uploadId;
}

/** `<CompleteMultipartUploadResult>` → ETag. */
export function parseCompleteResult(xml: string): { etag: string } {
  return {
    etag: unquoteEtag(str(root(xml, 'CompleteMultipartUploadResult', 'CompleteMultipartUpload').ETag)),
  };
}

/** `<CopyObjectResult>` / `<CopyPartResult>` → ETag. */
export function parseCopyResult(
  xml: string,
  element: 'CopyObjectResult' | 'CopyPartResult',
): { etag: string } {
  return { etag: unquoteEtag(str(root(xml, element, element).ETag)) };
}

/** One uploaded part as ListParts reports it. */
export interface ListedPart {
  partNumber: number;
  etag: string;
  size: number;
  crc64?: string;
  lastModified?: Date;
}

/** `<ListPartsResult>` → parts and the paging marker. */
export function parseListParts(xml: string): {
  parts: ListedPart[];
  isTruncated: boolean;
  nextPartNumberMarker?: number;
} {
  const node = root(xml, 'ListPartsResult', 'ListParts');
  const parts = list(node.Part).map((part) => {
    const out: ListedPart = {
      partNumber: Number(str(part.PartNumber)),
      etag: unquoteEtag(str(part.ETag)),
      size: Number(str(part.Size)),
    };
    if (str(part.HashCrc64ecma)) out.crc64 = str(part.HashCrc64ecma);
    if (str(part.LastModified)) out.lastModified = new Date(str(part.LastModified));
    return out;
  });
  const next = Number(str(node.NextPartNumberMarker));
  return {
    parts,
    isTruncated: str(node.IsTruncated) === 'true',
    ...(Number.isFinite(next) && next > 0 ? { nextPartNumberMarker: next } : {}),
  };
}

/** `<ListMultipartUploadsResult>` → in-flight uploads. */
export function parseListUploads(xml: string): Array<{ key: string; uploadId: string; initiated?: Date }> {
  const node = root(xml, 'ListMultipartUploadsResult', 'ListMultipartUploads');
  return list(node.Upload).map((upload) => ({
    key: str(upload.Key),
    uploadId: str(upload.UploadId),
    ...(str(upload.Initiated) ? { initiated: new Date(str(upload.Initiated)) } : {}),
  }));
}

/** One object of a listing. */
export interface ListedObject {
  key: string;
  size: number;
  lastModified: Date;
  etag: string;
  storageClass?: string;
}

/** `<ListBucketResult>` of ListObjectsV2. */
export function parseListObjectsV2(xml: string): {
  objects: ListedObject[];
  commonPrefixes: string[];
  nextContinuationToken?: string;
  isTruncated: boolean;
} {
  const node = root(xml, 'ListBucketResult', 'ListObjectsV2');
  const decode = str(node.EncodingType) === 'url' ? (s: string) => decodeURIComponent(s) : (s: string) => s;
  const objects = list(node.Contents).map((item) => {
    const out: ListedObject = {
      key: decode(str(item.Key)),
      size: Number(str(item.Size)),
      lastModified: new Date(str(item.LastModified)),
      etag: unquoteEtag(str(item.ETag)),
    };
    if (str(item.StorageClass)) out.storageClass = str(item.StorageClass);
    return out;
  });
  const token = str(node.NextContinuationToken);
  return {
    objects,
    commonPrefixes: list(node.CommonPrefixes).map((p) => decode(str(p.Prefix))),
    isTruncated: str(node.IsTruncated) === 'true',
    ...(token ? { nextContinuationToken: token } : {}),
  };
}

/** XML body of CompleteMultipartUpload (parts ascending). */
export function completeBody(parts: Array<{ partNumber: number; etag: string }>): string {
  const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  const items = sorted
    .map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>"${unquoteEtag(p.etag)}"</ETag></Part>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload>${items}</CompleteMultipartUpload>`;
}
