// Content sniffing: file-type on the first bytes of a stream (bounded; file-type >= 21.3.2 fixes the
// OOXML zip-bomb GHSA-j47w-4g3g-c36v), and a peek that hands the same bytes on to the real consumer.
import { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';

/** Bytes file-type needs for nearly every format it knows (its own sample size). */
export const SNIFF_BYTES = 4100;

/**
 * Detects a MIME type from magic bytes. Text formats (txt, csv, json, html, svg) have none and give
 * undefined; only the bytes passed in are examined.
 */
export async function sniffMime(head: Uint8Array): Promise<string | undefined> {
  if (head.length === 0) return undefined;
  try {
    return (await fileTypeFromBuffer(head.subarray(0, SNIFF_BYTES)))?.mime;
  } catch {
    return undefined;
  }
}

/**
 * Reads up to `bytes` from the start of `stream` and returns them with a stream that still yields
 * every byte from the first one (the head is put back in front). Errors of the source before the
 * head is complete reject the promise; later errors surface on the returned stream.
 */
export function peekHead(stream: Readable, bytes: number): Promise<{ head: Uint8Array; stream: Readable }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let collected = 0;
    const cleanup = (): void => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onEnd = (): void => {
      cleanup();
      const head = Buffer.concat(chunks);
      // The source has ended, so it cannot take the bytes back: hand them on in a fresh stream.
      resolve({ head, stream: Readable.from(head.length === 0 ? [] : [head], { objectMode: false }) });
    };
    const onReadable = (): void => {
      let chunk: Buffer | null = stream.read() as Buffer | null;
      while (chunk !== null) {
        chunks.push(chunk);
        collected += chunk.length;
        if (collected >= bytes) {
          cleanup();
          const head = Buffer.concat(chunks);
          stream.unshift(head);
          resolve({ head: head.subarray(0, bytes), stream });
          return;
        }
        chunk = stream.read() as Buffer | null;
      }
    };
    stream.on('readable', onReadable);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}
