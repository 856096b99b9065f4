// A small streaming parser for multipart/form-data (RFC 7578) request bodies, for the page's upload
// form: fields are collected, each file part is handed over as a stream while bytes arrive (backpressure
// honoured), with byte limits. Built on node:stream only; the express stack's parsers do not stream files.
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { AppError } from '../errors.js';

/** One file part, streamed. The handler must consume `stream` fully (or destroy it). */
export interface FormFilePart {
  field: string;
  filename: string;
  mimeType: string;
  stream: Readable;
}

/** Limits and callbacks of {@link parseMultipartForm}. */
export interface MultipartOptions {
  /** Most bytes in one file part; more gives FILE_TOO_LARGE. */
  maxFileBytes: number;
  /** Most bytes in one text field. Default 64 KiB. */
  maxFieldBytes?: number;
  /** Most parts in the body. Default 50. */
  maxParts?: number;
  /** Called for each file part; the parser waits for the returned promise before it resolves. */
  onFile: (part: FormFilePart) => Promise<void>;
}

const MAX_HEADER_BYTES = 8 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a multipart/form-data Content-Type, or undefined. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function headerParam(header: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header);
  if (match?.[1] !== undefined) return match[1].replace(/\\(.)/g, '$1');
  return new RegExp(`;\\s*${name}=([^;\\s]+)`, 'i').exec(header)?.[1];
}

interface PartHead {
  name: string;
  filename: string | undefined;
  mimeType: string;
}

function parsePartHead(raw: string): PartHead {
  let disposition = '';
  let mimeType = 'application/octet-stream';
  for (const line of raw.split('\r\n')) {
    const at = line.indexOf(':');
    if (at === -1) continue;
    const key = line.slice(0, at).trim().toLowerCase();
    const value = line.slice(at + 1).trim();
    if (key === 'content-disposition') disposition = value;
    if (key === 'content-type' && value.length > 0) mimeType = value;
  }
  const name = headerParam(disposition, 'name');
  if (!/^form-data\b/i.test(disposition) || name === undefined) {
    throw new AppError('INVALID_ARGUMENT', 'A form part has no Content-Disposition name');
  }
  // Browsers escape '"' and line breaks in file names as %22, %0D and %0A (HTML living standard).
  const filename = headerParam(disposition, 'filename')
    ?.replace(/%22/g, '"')
    .replace(/%0[AD]/gi, ' ');
  return { name, filename, mimeType };
}

/**
 * Parses a multipart/form-data body. Resolves with the text fields once the body and every file handler
 * are done. Throws AppError INVALID_ARGUMENT for a malformed body, FILE_TOO_LARGE past `maxFileBytes`.
 */
export async function parseMultipartForm(
  source: AsyncIterable<Buffer | Uint8Array>,
  boundary: string,
  options: MultipartOptions,
): Promise<Record<string, string>> {
  const maxFieldBytes = options.maxFieldBytes ?? 64 * 1024;
  const maxParts = options.maxParts ?? 50;
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const fields: Record<string, string> = {};
  const pending: Array<Promise<void>> = [];
  // A leading CRLF lets the first boundary match the same delimiter as every later one.
  let buffer: Buffer = Buffer.from(CRLF);
  // An object, so TypeScript does not narrow the state across the awaits of the loop below.
  const cursor: { state: 'preamble' | 'after-delimiter' | 'head' | 'body' | 'end' } = { state: 'preamble' };
  let parts = 0;
  let head: PartHead | undefined;
  let file: PassThrough | undefined;
  let fieldChunks: Buffer[] = [];
  let partBytes = 0;

  const emit = async (bytes: Buffer): Promise<void> => {
    if (bytes.length === 0 || !head) return;
    partBytes += bytes.length;
    if (file) {
      if (partBytes > options.maxFileBytes) {
        throw new AppError(
          'FILE_TOO_LARGE',
          `The file exceeds the upload limit of ${options.maxFileBytes} bytes`,
        );
      }
      // A handler that failed destroyed its stream; its promise carries the error, so stop writing.
      if (file.destroyed) return;
      if (!file.write(bytes)) await Promise.race([once(file, 'drain'), once(file, 'close')]);
    } else {
      if (partBytes > maxFieldBytes)
        throw new AppError('INVALID_ARGUMENT', `Field "${head.name}" is too long`);
      fieldChunks.push(bytes);
    }
  };

  const finishPart = (): void => {
    if (!head) return;
    if (file) file.end();
    else fields[head.name] = Buffer.concat(fieldChunks).toString('utf8');
    head = undefined;
    file = undefined;
    fieldChunks = [];
  };

  const startPart = (rawHead: string): void => {
    parts += 1;
    if (parts > maxParts) throw new AppError('INVALID_ARGUMENT', 'The form has too many parts');
    head = parsePartHead(rawHead);
    partBytes = 0;
    if (head.filename !== undefined) {
      file = new PassThrough();
      // Errors reach the handler through its own pipeline; this keeps a late one from going unhandled.
      file.on('error', () => undefined);
      const part: FormFilePart = {
        field: head.name,
        filename: head.filename,
        mimeType: head.mimeType,
        stream: file,
      };
      pending.push(options.onFile(part));
    }
  };

  const step = async (): Promise<boolean> => {
    switch (cursor.state) {
      case 'preamble':
      case 'body': {
        const at = buffer.indexOf(delimiter);
        if (at === -1) {
          const keep = Math.max(0, buffer.length - delimiter.length + 1);
          if (cursor.state === 'body') await emit(buffer.subarray(0, keep));
          buffer = buffer.subarray(keep);
          return false;
        }
        if (cursor.state === 'body') await emit(buffer.subarray(0, at));
        finishPart();
        buffer = buffer.subarray(at + delimiter.length);
        cursor.state = 'after-delimiter';
        return true;
      }
      case 'after-delimiter': {
        if (buffer.length < 2) return false;
        const next = buffer.subarray(0, 2).toString('latin1');
        if (next === '--') cursor.state = 'end';
        else if (next === '\r\n') cursor.state = 'head';
        else throw new AppError('INVALID_ARGUMENT', 'Malformed multipart boundary');
        buffer = buffer.subarray(2);
        return true;
      }
      case 'head': {
        const at = buffer.indexOf(HEADER_END);
        if (at === -1) {
          if (buffer.length > MAX_HEADER_BYTES)
            throw new AppError('INVALID_ARGUMENT', 'A form part header is too long');
          return false;
        }
        startPart(buffer.subarray(0, at).toString('utf8'));
        buffer = buffer.subarray(at + HEADER_END.length);
        cursor.state = 'body';
        return true;
      }
      case 'end':
        return false;
    }
  };

  try {
    for await (const chunk of source) {
      if (cursor.state === 'end') continue;
      buffer = buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([buffer, chunk]);
      while (await step()) {
        /* keep stepping while a step made progress */
      }
    }
    if (cursor.state !== 'end')
      throw new AppError('INVALID_ARGUMENT', 'The form body ended before its closing boundary');
  } catch (error) {
    file?.destroy(error as Error);
    await Promise.allSettled(pending);
    throw error;
  }
  await Promise.all(pending);
  return fields;
}
