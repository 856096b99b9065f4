// Streams a request body (or any byte source) into a file while computing MD5, CRC-64 and size,
// and streams stored segments back out with an optional byte range. Never holds a whole object.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import { Crc64 } from './crc64.js';
import { OssError } from './oss-error.js';

/** What was written: byte count, binary MD5 and CRC-64 of the bytes. */
export interface WrittenBody {
  size: number;
  md5: Buffer;
  crc64: bigint;
}

/** Limits checked while streaming; the first one crossed throws its `OssError`. */
export interface BodyLimits {
  /** Largest accepted body (EntityTooLarge above it). */
  maxBytes: number;
  /** Bytes the store may still take (InsufficientStorage above it). */
  storeRemainingBytes: number;
}

/**
 * Writes `source` to `file` (created or truncated) with backpressure. On any failure the partial file
 * is removed and the error rethrown; the source is not destroyed, so the caller can drain it.
 */
export async function writeBodyFile(
  source: AsyncIterable<Uint8Array>,
  file: string,
  limits: BodyLimits,
): Promise<WrittenBody> {
  const out = createWriteStream(file);
  const md5 = createHash('md5');
  const crc = new Crc64();
  let size = 0;
  try {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > limits.maxBytes) throw new OssError('EntityTooLarge');
      if (size > limits.storeRemainingBytes) throw new OssError('InsufficientStorage');
      md5.update(chunk);
      crc.update(chunk);
      if (!out.write(chunk)) await once(out, 'drain'); // rejects if the file stream errors
    }
    out.end();
    await once(out, 'finish');
    return { size, md5: md5.digest(), crc64: crc.value };
  } catch (error) {
    out.destroy();
    await rm(file, { force: true });
    throw error;
  }
}

/** One stored file holding a slice of an object (a whole PUT body, or one multipart part). */
export interface Segment {
  file: string;
  size: number;
}

/**
 * A readable over the bytes `start..end` (inclusive) of the concatenated segments, opening each
 * file only when its turn comes.
 */
export function readSegments(segments: readonly Segment[], start: number, end: number): Readable {
  async function* generate(): AsyncGenerator<Buffer> {
    let offset = 0;
    for (const segment of segments) {
      const segStart = offset;
      const segEnd = offset + segment.size - 1;
      offset += segment.size;
      if (segment.size === 0 || segEnd < start || segStart > end) continue;
      const from = Math.max(start, segStart) - segStart;
      const to = Math.min(end, segEnd) - segStart;
      for await (const chunk of createReadStream(segment.file, {
        start: from,
        end: to,
        highWaterMark: 256 * 1024,
      })) {
        yield chunk as Buffer;
      }
    }
  }
  return Readable.from(generate(), { objectMode: false });
}

/** Resolves when `stream` drains, closes or errors, removing all three listeners (no listener build-up). */
export function waitForDrain(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}
