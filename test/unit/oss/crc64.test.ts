import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Crc64Hasher, crc64, crc64Combine } from '../../../src/oss/crc64.js';

const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/oss-signing-vectors.json'), 'utf8'),
) as { crc64: Array<{ utf8: string; decimal: string }> };

/** Bit-at-a-time reference (slow, obviously correct) to check the sliced tables against. */
function referenceCrc64(data: Uint8Array): bigint {
  const poly = 0xc96c5795d7870f42n;
  let crc = 0xffffffffffffffffn;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc ^ 0xffffffffffffffffn;
}

describe('crc64', () => {
  it.each(fixture.crc64.map((c) => [c.utf8, c.decimal] as const))(
    'gives the check value for %j',
    (text, dec) => {
      expect(crc64(new TextEncoder().encode(text)).toString()).toBe(dec);
    },
  );

  it('matches a bit-at-a-time reference for every length from 0 to 40', () => {
    const data = randomBytes(40);
    for (let n = 0; n <= 40; n++)
      expect(crc64(data.subarray(0, n))).toBe(referenceCrc64(data.subarray(0, n)));
  });

  it('continues a running checksum when given the previous value', () => {
    const data = randomBytes(1000);
    expect(crc64(data.subarray(333), crc64(data.subarray(0, 333)))).toBe(crc64(data));
  });
});

describe('crc64Combine', () => {
  it('combines part CRCs into the CRC of the concatenation', () => {
    const parts = [randomBytes(17), randomBytes(4096), randomBytes(1), randomBytes(100_003)];
    let combined = 0n;
    for (const part of parts) combined = crc64Combine(combined, crc64(part), part.length);
    expect(combined).toBe(crc64(Buffer.concat(parts)));
  });

  it('returns the first CRC when the second part is empty', () => {
    expect(crc64Combine(123n, 0n, 0)).toBe(123n);
  });
});

describe('Crc64Hasher', () => {
  it('digests chunks fed in order like one call over all bytes', () => {
    const data = randomBytes(10_000);
    const hasher = new Crc64Hasher();
    for (let i = 0; i < data.length; i += 777) hasher.update(data.subarray(i, i + 777));
    expect(hasher.digest()).toBe(crc64(data));
    expect(hasher.length).toBe(10_000);
  });
});
