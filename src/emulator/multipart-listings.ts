// The two multipart listings (oss-protocol.md §2.10): ListParts of one upload and ListMultipartUploads of
// a bucket, both paged by markers as OSS pages them.
import type { Exchange } from './exchange.js';
import type { EmulatorState } from './handler-context.js';
import { MAX_PART_NUMBER, requireUpload } from './multipart-handlers.js';
import { encodeForXml } from './object-fields.js';
import { encodingTypeOf, intQueryValue, queryValue } from './query.js';
import { toXml, type XmlElement } from './xml-writer.js';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** GET /key?uploadId=ID: the uploaded parts, paged by part-number-marker / max-parts. */
export async function listParts(ex: Exchange, state: EmulatorState): Promise<void> {
  const upload = requireUpload(ex, state);
  const maxParts = intQueryValue(ex.query, 'max-parts', 1000, 1, 1000);
  const marker = intQueryValue(ex.query, 'part-number-marker', 0, 0, MAX_PART_NUMBER);
  const all = [...upload.parts.values()]
    .filter((p) => p.partNumber > marker)
    .sort((a, b) => a.partNumber - b.partNumber);
  const page = all.slice(0, maxParts);
  const truncated = all.length > page.length;
  const xml = toXml('ListPartsResult', {
    EncodingType: encodingTypeOf(ex.query),
    Bucket: upload.bucket,
    Key: encodeForXml(ex, upload.key),
    UploadId: upload.uploadId,
    PartNumberMarker: marker,
    NextPartNumberMarker: page.at(-1)?.partNumber ?? marker,
    MaxParts: maxParts,
    IsTruncated: truncated,
    Part: page.map(
      (p): XmlElement => ({
        PartNumber: p.partNumber,
        LastModified: iso(p.lastModified),
        ETag: p.etag,
        HashCrc64ecma: p.crc64,
        Size: p.size,
      }),
    ),
  });
  await ex.sendXml(xml);
}

/** GET /?uploads: uploads in progress, filtered by prefix and paged by key-marker/upload-id-marker. */
export async function listMultipartUploads(ex: Exchange, state: EmulatorState): Promise<void> {
  const prefix = queryValue(ex.query, 'prefix') ?? '';
  const keyMarker = queryValue(ex.query, 'key-marker') ?? '';
  const idMarker = queryValue(ex.query, 'upload-id-marker') ?? '';
  const maxUploads = intQueryValue(ex.query, 'max-uploads', 1000, 1, 1000);
  const all = state.uploads
    .list(ex.bucket!)
    .filter((u) => u.key.startsWith(prefix))
    .filter(
      (u) =>
        keyMarker === '' ||
        u.key > keyMarker ||
        (u.key === keyMarker && idMarker !== '' && u.uploadId > idMarker),
    );
  const page = all.slice(0, maxUploads);
  const last = page.at(-1);
  const xml = toXml('ListMultipartUploadsResult', {
    EncodingType: encodingTypeOf(ex.query),
    Bucket: ex.bucket,
    KeyMarker: encodeForXml(ex, keyMarker),
    UploadIdMarker: idMarker,
    NextKeyMarker: encodeForXml(ex, last?.key ?? ''),
    NextUploadIdMarker: last?.uploadId ?? '',
    Delimiter: queryValue(ex.query, 'delimiter') ?? '',
    Prefix: encodeForXml(ex, prefix),
    MaxUploads: maxUploads,
    IsTruncated: all.length > page.length,
    Upload: page.map(
      (u): XmlElement => ({
        Key: encodeForXml(ex, u.key),
        UploadId: u.uploadId,
        Initiated: iso(u.initiated),
      }),
    ),
  });
  await ex.sendXml(xml);
}
