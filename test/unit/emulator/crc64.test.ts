import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Crc64, combineCrc64, crc64 } from '../../../src/emulator/crc64.js';

// Check values: oss-protocol.md §2.10, shipped in the shared fixture.
const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/oss-signing-vectors.json'), 'utf8'),
) as { crc64: Array<{ utf8: string; decimal: string }> };

describe('crc64', () => {
  it.each(fixture.crc64.map((c) => [c.utf8.slice(0, 20), c] as const))(
    'gives the OSS check value for %j',
    (_, c) => {
      expect(crc64(Buffer.from(c.utf8, 'utf8')).toString()).toBe(c.decimal);
    },
  );

  it('gives the same value whatever the chunking', () => {
    const data = randomBytes(100_003);
    const running = new Crc64();
    for (let at = 0; at < data.length; at += 777) running.update(data.subarray(at, at + 777));
    expect(running.value).toBe(crc64(data));
    expect(running.toString()).toBe(crc64(data).toString(10));
  });
});

describe('combineCrc64', () => {
  it('equals the CRC of the concatenation for unequal parts', () => {
    const a = randomBytes(4099);
    const b = randomBytes(65_537);
    expect(combineCrc64(crc64(a), crc64(b), b.length)).toBe(crc64(Buffer.concat([a, b])));
  });

  it('leaves the first CRC unchanged when the second part is empty', () => {
    const a = Buffer.from('123456789');
    expect(combineCrc64(crc64(a), 0n, 0)).toBe(crc64(a));
  });

  it('starts from zero for an empty first part', () => {
    const b = randomBytes(10);
    expect(combineCrc64(0n, crc64(b), b.length)).toBe(crc64(b));
  });
});
