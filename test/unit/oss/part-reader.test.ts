import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crc64 } from '../../../src/oss/crc64.js';
import {
  FILE_READ_BYTES,
  PartBufferPool,
  type PartBytes,
  readFileParts,
  readParts,
  singleOrParts,
} from '../../../src/oss/part-reader.js';

async function collect(chunks: number[], partSize: number): Promise<number[]> {
  async function* source() {
    let value = 0;
    for (const size of chunks) {
      const chunk = new Uint8Array(size);
      for (let i = 0; i < size; i++) chunk[i] = value++ & 0xff;
      yield chunk;
    }
  }
  const sizes: number[] = [];
  let expected = 0;
  for await (const part of readParts(source(), partSize)) {
    for (const byte of part.data) expect(byte).toBe(expected++ & 0xff);
    // Computed piece by piece across chunk boundaries, it must equal the CRC of the whole part.
    expect(part.crc64).toBe(crc64(part.data));
    sizes.push(part.data.length);
  }
  return sizes;
}

describe('readParts', () => {
  it('cuts uneven chunks into full parts and a short last part, bytes in order', async () => {
    expect(await collect([3, 10, 1, 7], 5)).toEqual([5, 5, 5, 5, 1]);
  });

  it('splits one chunk larger than several parts', async () => {
    expect(await collect([23], 10)).toEqual([10, 10, 3]);
  });

  it('yields nothing for an empty source and no empty tail on an exact boundary', async () => {
    expect(await collect([], 4)).toEqual([]);
    expect(await collect([0, 8], 4)).toEqual([4, 4]);
  });
});

describe('readParts CRC', () => {
  it('gives each part the CRC of its bytes when many small chunks cross the CRC steps', async () => {
    const data = randomBytes(3 * 200_000 + 12_345);
    async function* chunks() {
      for (let at = 0; at < data.length; at += 777) yield data.subarray(at, at + 777);
    }
    const crcs: bigint[] = [];
    const sizes: number[] = [];
    for await (const part of readParts(chunks(), 200_000)) {
      crcs.push(part.crc64);
      sizes.push(part.data.length);
    }
    expect(sizes).toEqual([200_000, 200_000, 200_000, 12_345]);
    expect(crcs).toEqual(sizes.map((_, i) => crc64(data.subarray(i * 200_000, (i + 1) * 200_000))));
  });
});

describe('PartBufferPool', () => {
  it('hands a released buffer out again instead of allocating', () => {
    const pool = new PartBufferPool(16);
    const a = pool.acquire();
    pool.release(a);
    expect(pool.acquire().buffer).toBe(a.buffer);
    expect(pool.acquire().buffer).not.toBe(a.buffer);
  });
});

describe('readFileParts', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parts-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Writes `data` to a file in the test's directory and returns its path. */
  async function fileOf(data: Uint8Array): Promise<string> {
    const path = join(dir, 'f');
    await writeFile(path, data);
    return path;
  }

  it('reads a file into parts of exactly partSize bytes, the last shorter, byte-exact', async () => {
    const data = randomBytes(10 * 1024 + 7);
    const path = await fileOf(data);
    const pool = new PartBufferPool(4096);
    const parts: Buffer[] = [];
    for await (const part of readFileParts(path, data.length, 4096, pool)) {
      expect(part.crc64).toBe(crc64(part.data));
      parts.push(Buffer.from(part.data));
      pool.release(part.data);
    }
    expect(parts.map((p) => p.length)).toEqual([4096, 4096, 2055]);
    expect(Buffer.concat(parts).equals(data)).toBe(true);
  });

  it('reads a part larger than one positioned read in several, with the CRC of the whole part', async () => {
    const partSize = 2 * FILE_READ_BYTES + 1000;
    const data = randomBytes(partSize + FILE_READ_BYTES + 5);
    const path = await fileOf(data);
    const parts: Array<{ data: Buffer; crc64: bigint }> = [];
    for await (const part of readFileParts(path, data.length, partSize)) {
      parts.push({ data: Buffer.from(part.data), crc64: part.crc64 });
    }
    expect(parts.map((p) => p.data.length)).toEqual([partSize, data.length - partSize]);
    expect(parts.map((p) => p.crc64)).toEqual([
      crc64(data.subarray(0, partSize)),
      crc64(data.subarray(partSize)),
    ]);
  });

  it('fails when the file is shorter than the size it was given', async () => {
    const path = await fileOf(Buffer.alloc(100));
    const read = async () => {
      for await (const _part of readFileParts(path, 5000, 4096)) {
        // consume
      }
    };
    await expect(read()).rejects.toThrow(/ended at 100 of 5000 bytes/);
  });
});

describe('singleOrParts', () => {
  /** A reader of `count` parts that records whether it was closed (its `finally` ran). */
  function reader(count: number) {
    const state = { closed: false };
    async function* parts(): AsyncGenerator<PartBytes> {
      try {
        for (let i = 0; i < count; i++) {
          const data = Buffer.alloc(4, i);
          yield { data, crc64: crc64(data) };
        }
      } finally {
        state.closed = true;
      }
    }
    return { parts: parts(), state };
  }

  it('gives one buffer for zero or one part, so a single PUT can send it', async () => {
    const empty = await singleOrParts(reader(0).parts);
    expect('single' in empty && empty.single).toEqual({ data: Buffer.alloc(0), crc64: 0n });
    const one = await singleOrParts(reader(1).parts);
    expect('single' in one && [...one.single.data]).toEqual([0, 0, 0, 0]);
    expect('single' in one && one.single.crc64).toBe(crc64(Buffer.alloc(4, 0)));
  });

  it('gives every part in order from the second one on', async () => {
    const read = await singleOrParts(reader(3).parts);
    if (!('parts' in read)) throw new Error('expected parts');
    const firstBytes: number[] = [];
    for await (const part of read.parts) firstBytes.push(part.data[0]!);
    expect(firstBytes).toEqual([0, 1, 2]);
  });

  it('closes the underlying reader when the upload stops after the first part', async () => {
    const { parts, state } = reader(5);
    const read = await singleOrParts(parts);
    if (!('parts' in read)) throw new Error('expected parts');
    await read.parts.next();
    await read.parts.return(undefined);
    // Without this a file reader would keep its descriptor open until garbage collection.
    expect(state.closed).toBe(true);
  });
});
