import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { peekHead, SNIFF_BYTES, sniffMime } from '../../../src/net/sniff.js';
import { readAll } from './local-server.js';

// PNG signature (RFC 2083 §12.12) followed by an IHDR chunk header.
const PNG_HEAD = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

describe('sniffMime', () => {
  it('detects a PNG from its magic bytes', async () => {
    expect(await sniffMime(PNG_HEAD)).toBe('image/png');
  });

  it('detects a PDF from its magic bytes', async () => {
    expect(await sniffMime(Buffer.from('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n', 'latin1'))).toBe(
      'application/pdf',
    );
  });

  it('gives undefined for text and for empty input', async () => {
    expect(await sniffMime(Buffer.from('name,age\nann,3\n'))).toBeUndefined();
    expect(await sniffMime(new Uint8Array(0))).toBeUndefined();
  });
});

describe('peekHead', () => {
  it('returns the first bytes and a stream that still yields every byte', async () => {
    const data = Buffer.alloc(20_000);
    for (let i = 0; i < data.length; i++) data[i] = i % 251;
    const source = Readable.from([data.subarray(0, 1000), data.subarray(1000, 9000), data.subarray(9000)], {
      objectMode: false,
    });
    const { head, stream } = await peekHead(source, SNIFF_BYTES);
    expect(Buffer.from(head)).toEqual(data.subarray(0, SNIFF_BYTES));
    expect(await readAll(stream)).toEqual(data);
  });

  it('hands on a body shorter than the peek size', async () => {
    const { head, stream } = await peekHead(Readable.from([Buffer.from('tiny')], { objectMode: false }), 100);
    expect(Buffer.from(head).toString()).toBe('tiny');
    expect((await readAll(stream)).toString()).toBe('tiny');
  });

  it('rejects when the source fails before the head is complete', async () => {
    const source = new Readable({
      read() {
        this.destroy(Object.assign(new Error('boom'), { code: 'E_TEST' }));
      },
    });
    await expect(peekHead(source, 10)).rejects.toMatchObject({ code: 'E_TEST' });
  });
});
