// The WebAssembly register loop: the committed module matches its source, and large inputs (more than
// one 1 MiB pass through the module's memory) agree with the independent combine arithmetic.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCrc64Wasm } from '../../../scripts/gen-crc64-wasm.js';
import { Crc64Hasher, crc64, crc64Combine } from '../../../src/oss/crc64.js';

describe('crc64 (WebAssembly loop)', () => {
  it('ships the module compiled from crc64.wat (run `npm run gen:crc64` when this fails)', async () => {
    const committed = readFileSync(join(import.meta.dirname, '../../../src/oss/crc64-wasm.ts'), 'utf8');
    expect(await renderCrc64Wasm()).toBe(committed);
  });

  it('agrees with crc64Combine across the 1 MiB pass boundary', () => {
    const data = randomBytes(3 * 1024 * 1024 + 13);
    const cut = 1024 * 1024 + 5;
    const combined = crc64Combine(crc64(data.subarray(0, cut)), crc64(data.subarray(cut)), data.length - cut);
    expect(crc64(data)).toBe(combined);
  });

  it('gives the same result fed in odd-sized chunks through the hasher', () => {
    const data = randomBytes(2 * 1024 * 1024 + 777);
    const hasher = new Crc64Hasher();
    for (let at = 0, step = 1; at < data.length; at += step, step = (step * 7 + 3) % 300_001) {
      hasher.update(data.subarray(at, at + step));
    }
    expect(hasher.digest()).toBe(crc64(data));
    expect(hasher.length).toBe(data.length);
  });
});
