import { describe, expect, it } from 'vitest';
import { PartBufferPool, readParts } from '../../../src/oss/part-reader.js';

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
    for (const byte of part) expect(byte).toBe(expected++ & 0xff);
    sizes.push(part.length);
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

describe('PartBufferPool', () => {
  it('hands a released buffer out again instead of allocating', () => {
    const pool = new PartBufferPool(16);
    const a = pool.acquire();
    pool.release(a);
    expect(pool.acquire().buffer).toBe(a.buffer);
    expect(pool.acquire().buffer).not.toBe(a.buffer);
  });
});
