// Multipart upload operations (oss-protocol.md §2.10): Initiate, UploadPart, UploadPartCopy,
// Complete (order, part size checked at Complete, x-oss-complete-all), Abort, ListParts, ListMultipartUploads.
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { XMLParser } from 'fast-xml-parser';
import { readSegments, writeBodyFile } from './body-file.js';
import { combineCrc64 } from './crc64.js';
import type { Exchange } from './exchange.js';
import type { EmulatorState } from './handler-context.js';
import {
  checkContentMd5,
  checkDeclaredLength,
  checkOverwrite,
  encodeForXml,
  forbidOverwrite,
  md5Etag,
  requireKey,
  templateFromRequest,
} from './object-fields.js';
import { bodyLimits, copySource } from './object-handlers.js';
import { OssError } from './oss-error.js';
import { encodingTypeOf, queryValue } from './query.js';
import type { PartMeta, UploadMeta } from './upload-store.js';
import { toXml } from './xml-writer.js';

/** OSS part numbers run 1..10,000 (oss-protocol.md §2.10). */
export const MAX_PART_NUMBER = 10_000;
/** Cap on a Complete request body: 10,000 parts of about 100 bytes of XML each, with room to spare. */
const MAX_COMPLETE_XML_BYTES = 4 * 1024 * 1024;
const xmlParser = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'Part' });

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The upload named by `?uploadId=` for this bucket and key; throws NoSuchUpload. */
export function requireUpload(ex: Exchange, state: EmulatorState): UploadMeta {
  const key = requireKey(ex.key);
  const uploadId = queryValue(ex.query, 'uploadId') ?? '';
  const upload = state.uploads.get(ex.bucket!, key, uploadId);
  if (!upload) throw new OssError('NoSuchUpload', { extra: { UploadId: uploadId } });
  return upload;
}

/** POST /key?uploads: records the object template (headers, meta, forbid-overwrite). */
export async function initiateMultipartUpload(ex: Exchange, state: EmulatorState): Promise<void> {
  const key = requireKey(ex.key);
  const forbid = forbidOverwrite(ex);
  checkOverwrite(forbid, state.objects.getObject(ex.bucket!, key));
  const upload = await state.uploads.create({
    bucket: ex.bucket!,
    key,
    initiated: ex.now,
    forbidOverwrite: forbid,
    template: templateFromRequest(ex),
  });
  await ex.drain();
  const encoding = encodingTypeOf(ex.query);
  const xml = toXml('InitiateMultipartUploadResult', {
    Bucket: upload.bucket,
    Key: encodeForXml(ex, key),
    UploadId: upload.uploadId,
    EncodingType: encoding,
  });
  await ex.sendXml(xml);
}

function partNumberOf(ex: Exchange): number {
  const raw = queryValue(ex.query, 'partNumber') ?? '';
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > MAX_PART_NUMBER) {
    throw new OssError('InvalidArgument', {
      message: 'Part number must be an integer between 1 and 10000, inclusive.',
      extra: { ArgumentName: 'partNumber', ArgumentValue: raw },
    });
  }
  return value;
}

async function storePart(
  ex: Exchange,
  state: EmulatorState,
  upload: UploadMeta,
  source: AsyncIterable<Uint8Array>,
): Promise<PartMeta> {
  const partNumber = partNumberOf(ex);
  const temp = state.objects.tempPath();
  const written = await writeBodyFile(source, temp, bodyLimits(state));
  try {
    checkContentMd5(ex, written.md5);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  const part = {
    partNumber,
    size: written.size,
    etag: md5Etag(written.md5),
    md5Hex: written.md5.toString('hex'),
    crc64: written.crc64.toString(),
    lastModified: ex.now,
  };
  return state.uploads.putPart(upload, part, temp);
}

/** PUT /key?partNumber=N&uploadId=ID: stores a part; answers its ETag and CRC-64. */
export async function uploadPart(ex: Exchange, state: EmulatorState): Promise<void> {
  const upload = requireUpload(ex, state);
  partNumberOf(ex);
  checkDeclaredLength(ex, state.maxPutBytes);
  const part = await storePart(ex, state, upload, ex.body());
  await ex.send(200, { etag: part.etag, 'x-oss-hash-crc64ecma': part.crc64 });
}

/** PUT /key?partNumber&uploadId with x-oss-copy-source[-range]: a part copied from another object. */
export async function uploadPartCopy(ex: Exchange, state: EmulatorState): Promise<void> {
  const upload = requireUpload(ex, state);
  partNumberOf(ex);
  const source = copySource(ex, state);
  const rangeHeader = ex.headers.get('x-oss-copy-source-range');
  let start = 0;
  let end = source.size - 1;
  if (rangeHeader !== undefined) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(rangeHeader.trim());
    if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) >= source.size) {
      throw new OssError('InvalidArgument', {
        message: 'x-oss-copy-source-range is not a valid range of the source object.',
        extra: { ArgumentName: 'x-oss-copy-source-range', ArgumentValue: rangeHeader },
      });
    }
    start = Number(m[1]);
    end = Number(m[2]);
  }
  await ex.drain();
  const body = readSegments(source.segments, start, end);
  const part = await storePart(ex, state, upload, body);
  const xml = toXml('CopyPartResult', { LastModified: iso(part.lastModified), ETag: part.etag });
  await ex.sendXml(xml, { 'x-oss-hash-crc64ecma': part.crc64 });
}

async function readSmallBody(ex: Exchange): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ex.body()) {
    size += chunk.length;
    if (size > MAX_COMPLETE_XML_BYTES)
      throw new OssError('MalformedXML', { message: 'The Complete body is too large.' });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function requestedParts(xml: Buffer): Array<{ partNumber: number; etag: string }> {
  let doc: { CompleteMultipartUpload?: { Part?: Array<{ PartNumber?: unknown; ETag?: unknown }> } };
  try {
    doc = xmlParser.parse(xml.toString('utf8'));
  } catch {
    throw new OssError('MalformedXML');
  }
  const parts = doc.CompleteMultipartUpload?.Part;
  if (!Array.isArray(parts) || parts.length === 0) throw new OssError('MalformedXML');
  return parts.map((p) => {
    const partNumber = Number(p.PartNumber);
    if (!Number.isInteger(partNumber) || typeof p.ETag !== 'string') throw new OssError('MalformedXML');
    return { partNumber, etag: p.ETag };
  });
}

function normalEtag(etag: string): string {
  return etag.replace(/"/g, '').trim().toUpperCase();
}

/** POST /key?uploadId=ID: validates the part list and assembles the object without copying data. */
export async function completeMultipartUpload(ex: Exchange, state: EmulatorState): Promise<void> {
  const upload = requireUpload(ex, state);
  const completeAll = ex.headers.get('x-oss-complete-all')?.toLowerCase() === 'yes';
  const body = await readSmallBody(ex);
  checkContentMd5(ex, createHash('md5').update(body).digest());
  let chosen: PartMeta[];
  if (completeAll) {
    if (body.length > 0) {
      throw new OssError('InvalidArgument', { message: 'x-oss-complete-all: yes requires an empty body.' });
    }
    chosen = [...upload.parts.values()].sort((a, b) => a.partNumber - b.partNumber);
  } else {
    const requested = requestedParts(body);
    chosen = requested.map((r, i) => {
      if (i > 0 && r.partNumber <= requested[i - 1]!.partNumber) throw new OssError('InvalidPartOrder');
      const part = upload.parts.get(r.partNumber);
      if (!part || normalEtag(part.etag) !== normalEtag(r.etag)) {
        throw new OssError('InvalidPart', { extra: { PartNumber: String(r.partNumber), ETag: r.etag } });
      }
      return part;
    });
  }
  chosen.forEach((part, i) => {
    if (i < chosen.length - 1 && part.size < state.minPartSizeBytes) {
      throw new OssError('EntityTooSmall', {
        extra: {
          PartNumber: String(part.partNumber),
          ProposedSize: String(part.size),
          MinSizeAllowed: String(state.minPartSizeBytes),
        },
      });
    }
  });
  const forbid = upload.forbidOverwrite || forbidOverwrite(ex);
  checkOverwrite(forbid, state.objects.getObject(upload.bucket, upload.key));
  const etagHash = createHash('md5');
  let crc = 0n;
  let size = 0;
  for (const part of chosen) {
    etagHash.update(Buffer.from(part.md5Hex, 'hex'));
    crc = combineCrc64(crc, BigInt(part.crc64), part.size);
    size += part.size;
  }
  const segments = await state.uploads.takeParts(upload, chosen);
  const etag = `"${etagHash.digest('hex').toUpperCase()}-${chosen.length}"`;
  await state.objects.putObject(
    upload.bucket,
    {
      key: upload.key,
      size,
      etag,
      crc64: crc.toString(),
      lastModified: ex.now,
      ...upload.template,
      objectType: 'Multipart',
      segments,
    },
    { forbidOverwrite: forbid },
  );
  const xml = toXml('CompleteMultipartUploadResult', {
    EncodingType: encodingTypeOf(ex.query),
    Location: `http://${upload.bucket}.oss-${state.region}.aliyuncs.com/${encodeURIComponent(upload.key)}`,
    Bucket: upload.bucket,
    Key: encodeForXml(ex, upload.key),
    ETag: etag,
  });
  await ex.sendXml(xml, { 'x-oss-hash-crc64ecma': crc.toString(), etag });
}

/** DELETE /key?uploadId=ID: drops the upload and its parts (204); later calls get NoSuchUpload. */
export async function abortMultipartUpload(ex: Exchange, state: EmulatorState): Promise<void> {
  await state.uploads.remove(requireUpload(ex, state));
  await ex.send(204, {});
}
