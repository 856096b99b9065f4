// Cuts any byte stream into parts of exactly `partSize` bytes (the last may be shorter), copying into one
// buffer per part so memory stays at one part per reader whatever chunk sizes the source yields. A file is
// read straight into the part buffers instead (no intermediate chunks, no copy).
import { open } from 'node:fs/promises';

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
  source: AsyncIterable<Uint8Array>,
  partSize: number,
  pool: PartBufferPool = new PartBufferPool(partSize),
): AsyncGenerator<Buffer> {
  let part = pool.acquire();
  let filled = 0;
  for await (const chunk of source) {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(partSize - filled, chunk.length - offset);
      part.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === partSize) {
        yield part;
        part = pool.acquire();
        filled = 0;
      }
    }
  }
  if (filled > 0) yield part.subarray(0, filled);
  else pool.release(part);
}

/**
 * Yields consecutive parts of a file, each read directly into a buffer from `pool` (one positioned read
 * per part), so no intermediate chunk is allocated or copied.
 * @throws the file system error (ENOENT …), or an Error when the file is shorter than `size`.
 */
export async function* readFileParts(
  path: string,
  size: number,
  partSize: number,
  pool: PartBufferPool = new PartBufferPool(partSize),
): AsyncGenerator<Buffer> {
  const file = await open(path, 'r');
  try {
    for (let position = 0; position < size; position += partSize) {
      const part = pool.acquire();
      const length = Math.min(partSize, size - position);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await file.read(part, filled, length - filled, position + filled);
        if (bytesRead === 0) throw new Error(`${path} ended at ${position + filled} of ${size} bytes`);
        filled += bytesRead;
      }
      yield length === partSize ? part : part.subarray(0, length);
    }
  } finally {
    await file.close();
  }
}
