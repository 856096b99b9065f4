// Cuts any byte stream into parts of exactly `partSize` bytes (the last may be shorter), copying into one
// buffer per part so memory stays at one part per reader whatever chunk sizes the source yields. A file is
// read straight into the part buffers instead (no intermediate chunks, no copy). Either way each part's
// CRC-64 is computed piece by piece as the bytes arrive, while they are still in the CPU cache: a second
// pass over a finished 8 MiB part reads it back from memory and, on a 2-core machine shared with the
// server, measurably slowed both (bench/upload.ts, README "Benchmarks").
import { open } from 'node:fs/promises';
import { crc64 } from './crc64.js';

/** One part's bytes with their CRC-64/XZ, as UploadPart sends and checks them. */
export interface PartBytes {
  data: Buffer;
  crc64: bigint;
}

/**
 * Bytes per positioned read of a file part: small enough that the CRC pass right after each read finds
 * them in the L2 cache (256 KiB of a typical 512 KiB-1 MiB), large enough to keep reads few.
 */
export const FILE_READ_BYTES = 256 * 1024;

/**
 * Reuses part buffers so memory stays flat: a fresh 8 MiB buffer per part leaves garbage that V8 frees
 * only at its next GC, which made peak RSS grow well past partSize x (concurrency + 1).
 */
export class PartBufferPool {
  readonly #free: ArrayBuffer[] = [];
  readonly #size: number;

  constructor(partSize: number) {
    this.#size = partSize;
  }

  /** A buffer of `partSize` bytes, recycled when one is free. */
  acquire(): Buffer {
    const free = this.#free.pop();
    return free ? Buffer.from(free, 0, this.#size) : Buffer.allocUnsafeSlow(this.#size);
  }

  /** Gives a part's memory back once nothing reads it any more. */
  release(part: Buffer): void {
    if (part.buffer.byteLength === this.#size && part.byteOffset === 0 && this.#free.length < 32) {
      this.#free.push(part.buffer as ArrayBuffer);
    }
  }
}

/** Yields consecutive parts of `partSize` bytes (from `pool`); yields nothing for an empty source. */
export async function* readParts(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  partSize: number,
  pool: PartBufferPool = new PartBufferPool(partSize),
): AsyncGenerator<PartBytes> {
  let part = pool.acquire();
  let filled = 0;
  let crc = 0n;
  for await (const chunk of source) {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(partSize - filled, chunk.length - offset);
      const piece = chunk.subarray(offset, offset + take);
      part.set(piece, filled);
      crc = crc64(piece, crc);
      filled += take;
      offset += take;
      if (filled === partSize) {
        yield { data: part, crc64: crc };
        part = pool.acquire();
        filled = 0;
        crc = 0n;
      }
    }
  }
  if (filled > 0) yield { data: part.subarray(0, filled), crc64: crc };
  else pool.release(part);
}

/**
 * Yields consecutive parts of a file, each read directly into a buffer from `pool` by positioned reads of
 * {@link FILE_READ_BYTES}, so no intermediate chunk is allocated or copied.
 * @throws the file system error (ENOENT …), or an Error when the file is shorter than `size`.
 */
export async function* readFileParts(
  path: string,
  size: number,
  partSize: number,
  pool: PartBufferPool = new PartBufferPool(partSize),
): AsyncGenerator<PartBytes> {
  const file = await open(path, 'r');
  try {
    for (let position = 0; position < size; position += partSize) {
      const part = pool.acquire();
      const length = Math.min(partSize, size - position);
      let filled = 0;
      let crc = 0n;
      while (filled < length) {
        const want = Math.min(FILE_READ_BYTES, length - filled);
        const { bytesRead } = await file.read(part, filled, want, position + filled);
        if (bytesRead === 0) throw new Error(`${path} ended at ${position + filled} of ${size} bytes`);
        crc = crc64(part.subarray(filled, filled + bytesRead), crc);
        filled += bytesRead;
      }
      yield { data: length === partSize ? part : part.subarray(0, length), crc64: crc };
    }
  } finally {
    await file.close();
  }
}

/**
 * Reads up to two parts ahead: `{ single }` (empty for an empty source) when the source held at most one
 * part, so one PUT can send it with the CRC already computed; otherwise `{ parts }`, every part in order,
 * for a multipart upload.
 */
export async function singleOrParts(
  reader: AsyncGenerator<PartBytes>,
): Promise<{ single: PartBytes } | { parts: AsyncGenerator<PartBytes> }> {
  const first = await reader.next();
  if (first.done) return { single: { data: Buffer.alloc(0), crc64: 0n } };
  const second = await reader.next();
  if (second.done) return { single: first.value };
  return {
    parts: (async function* () {
      try {
        yield first.value;
        yield second.value;
        yield* reader;
      } finally {
        // Stopped early (a failed upload returns its parts): let the reader close its file too.
        await reader.return(undefined);
      }
    })(),
  };
}
