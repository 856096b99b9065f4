import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { crc64, crc64Combine } from '../../../src/oss/crc64.js';
import { type MultipartOperations, partSizeFor, runMultipartUpload } from '../../../src/oss/multipart.js';

/** In-memory operations recording calls, with a hook per part to fail or hold it. */
function fakeOps(onPart: (partNumber: number) => Promise<void> = async () => {}) {
  const calls: string[] = [];
  let active = 0;
  let maxActive = 0;
  let completedWith: { crc64: bigint; size: number } | undefined;
  const partCrcs: bigint[] = [];
  const ops: MultipartOperations = {
    initiate: async () => {
      calls.push('initiate');
      return 'UPLOAD1';
    },
    uploadPart: async (_key, _id, partNumber, _data, crc) => {
      calls.push(`part${partNumber}`);
      partCrcs[partNumber - 1] = crc;
      active++;
      maxActive = Math.max(maxActive, active);
      try {
        await onPart(partNumber);
      } finally {
        active--;
      }
      return { etag: `E${partNumber}` };
    },
    complete: async (key, _id, parts, expected) => {
      calls.push(`complete:${parts.map((p) => p.partNumber).join(',')}`);
      completedWith = expected;
      return { key, etag: 'X', crc64: expected.crc64.toString(), size: expected.size, multipart: true };
    },
    abort: async (_key, uploadId) => {
      calls.push(`abort:${uploadId}`);
    },
  };
  return { ops, calls, partCrcs, maxActive: () => maxActive, completedWith: () => completedWith };
}

async function* partsOf(count: number, size = 10) {
  for (let i = 0; i < count; i++) {
    const data = Buffer.alloc(size, i);
    yield { data, crc64: crc64(data) };
  }
}

describe('runMultipartUpload', () => {
  it('uploads all parts, completes in order with the whole-object CRC and reports progress', async () => {
    const fake = fakeOps();
    const progress: number[] = [];
    const result = await runMultipartUpload(fake.ops, 'k', partsOf(5), {
      concurrency: 2,
      onProgress: (p) => progress.push(p.loadedBytes),
    });
    const all = Buffer.concat(Array.from({ length: 5 }, (_, i) => Buffer.alloc(10, i)));
    expect(fake.completedWith()).toEqual({ crc64: crc64(all), size: 50 });
    expect(result.crc64).toBe(crc64(all).toString());
    expect(fake.calls.at(-1)).toBe('complete:1,2,3,4,5');
    expect(progress.at(-1)).toBe(50);
  });

  it('sends each part with the CRC its reader computed and combines those, never re-reading the bytes', async () => {
    const fake = fakeOps();
    // CRCs that are not the bytes' own: the orchestrator must pass them through as given.
    async function* labelled() {
      for (let i = 1; i <= 3; i++) yield { data: Buffer.alloc(4), crc64: BigInt(i) };
    }
    await runMultipartUpload(fake.ops, 'k', labelled(), { concurrency: 2 });
    expect(fake.partCrcs).toEqual([1n, 2n, 3n]);
    const combined = crc64Combine(crc64Combine(crc64Combine(0n, 1n, 4), 2n, 4), 3n, 4);
    expect(fake.completedWith()).toEqual({ crc64: combined, size: 12 });
  });

  it('keeps at most `concurrency` parts in flight', async () => {
    const fake = fakeOps(() => new Promise((resolve) => setImmediate(resolve)));
    await runMultipartUpload(fake.ops, 'k', partsOf(12), { concurrency: 3 });
    expect(fake.maxActive()).toBe(3);
  });

  it('aborts the upload and throws the first error with key and upload id when a part fails', async () => {
    const fake = fakeOps(async (n) => {
      if (n === 3) throw new AppError('OSS_ACCESS_DENIED');
    });
    await expect(runMultipartUpload(fake.ops, 'k', partsOf(8), { concurrency: 2 })).rejects.toMatchObject({
      code: 'OSS_ACCESS_DENIED',
      details: { key: 'k', uploadId: 'UPLOAD1' },
    });
    expect(fake.calls).toContain('abort:UPLOAD1');
    expect(fake.calls.some((c) => c.startsWith('complete'))).toBe(false);
  });

  it('aborts and throws CANCELLED when the caller cancels mid-upload', async () => {
    const controller = new AbortController();
    const fake = fakeOps(async (n) => {
      if (n === 2) controller.abort();
    });
    await expect(
      runMultipartUpload(fake.ops, 'k', partsOf(10), { concurrency: 1, signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'CANCELLED', details: { uploadId: 'UPLOAD1' } });
    expect(fake.calls.at(-1)).toBe('abort:UPLOAD1');
  });

  it('aborts when the source stream fails', async () => {
    const fake = fakeOps();
    async function* broken() {
      yield { data: Buffer.alloc(10), crc64: 0n };
      throw new Error('source broke');
    }
    await expect(runMultipartUpload(fake.ops, 'k', broken(), { concurrency: 2 })).rejects.toMatchObject({
      code: 'INTERNAL',
      details: { uploadId: 'UPLOAD1' },
    });
    expect(fake.calls).toContain('abort:UPLOAD1');
  });
});

describe('partSizeFor', () => {
  const MIB = 1024 * 1024;
  it.each([
    [undefined, 8 * MIB, 8 * MIB],
    [700_000, 200 * 1024, 200 * 1024],
    [80_000 * MIB, 8 * MIB, 8 * MIB],
    [100_000 * MIB, 8 * MIB, 10 * MIB],
    [100_000 * MIB + 1, 8 * MIB, 11 * MIB],
  ])('for %s bytes and %i requested gives %i', (size, requested, expected) => {
    expect(partSizeFor(size, requested)).toBe(expected);
    if (size !== undefined) expect(Math.ceil(size / expected)).toBeLessThanOrEqual(10_000);
  });
});
