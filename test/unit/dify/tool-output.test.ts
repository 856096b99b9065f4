import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ToolResponseChunk } from '../../../src/dify/protocol.js';
import { sendBlob, sendToolMessage, splitText } from '../../../src/dify/tool-output.js';
import { mergeBlobChunks } from '../../conformance/driver.js';

const signal = new AbortController().signal;

function collect(): { chunks: ToolResponseChunk[]; send: (...c: ToolResponseChunk[]) => Promise<void> } {
  const chunks: ToolResponseChunk[] = [];
  return { chunks, send: async (...c) => void chunks.push(...c) };
}

const blob = (pieces: Buffer[], size: number) => ({
  type: 'blob' as const,
  stream: Readable.from(pieces),
  size,
  filename: 'f.bin',
  mimeType: '',
});

describe('splitText', () => {
  it('keeps short text whole and never splits a surrogate pair', () => {
    expect(splitText('abc', 2)).toEqual(['ab', 'c']);
    expect(splitText('a😀b', 2)).toEqual(['a', '😀', 'b']);
    expect(splitText('short')).toEqual(['short']);
  });
});

describe('sendToolMessage', () => {
  it('sends long text as several text chunks that concatenate to the original', async () => {
    const { chunks, send } = collect();
    const text = 'x'.repeat(1024 * 1024 + 5);
    await sendToolMessage({ type: 'text', text }, send, signal);
    expect(chunks.length).toBe(3);
    expect(chunks.map((c) => c.message.text).join('')).toBe(text);
  });
});

describe('sendBlob', () => {
  it('cuts odd-sized pieces into 8192-byte chunks with exact total_length and a final empty chunk', async () => {
    const { chunks, send } = collect();
    const data = Buffer.from(Array.from({ length: 20_001 }, (_, i) => i % 256));
    const pieces = [
      data.subarray(0, 3),
      data.subarray(3, 9000),
      data.subarray(9000, 9001),
      data.subarray(9001),
    ];
    await sendBlob(blob(pieces, data.length), send, signal);
    expect(chunks.map((c) => Buffer.from(String(c.message.blob), 'base64').length)).toEqual([
      8192, 8192, 3617, 0,
    ]);
    const [merged] = mergeBlobChunks(chunks);
    expect(merged?.bytes.equals(data)).toBe(true);
    expect(merged?.meta).toEqual({ mime_type: 'application/octet-stream', filename: 'f.bin' });
  });

  it('sends only the end chunk for an empty blob', async () => {
    const { chunks, send } = collect();
    await sendBlob(blob([], 0), send, signal);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.message).toMatchObject({ sequence: 0, total_length: 0, blob: '', end: true });
  });

  it.each([
    ['fewer', [Buffer.alloc(10)], 11],
    ['more', [Buffer.alloc(10), Buffer.alloc(10)], 15],
  ])(
    'throws DIFY_BLOB_SIZE_MISMATCH when the stream yields %s bytes than declared',
    async (_label, pieces, size) => {
      const { chunks, send } = collect();
      await expect(sendBlob(blob(pieces, size), send, signal)).rejects.toMatchObject({
        code: 'DIFY_BLOB_SIZE_MISMATCH',
      });
      expect(chunks.some((c) => c.message.end === true)).toBe(false);
    },
  );

  it('reads the source only as fast as chunks are accepted', async () => {
    let produced = 0;
    const total = 4 * 1024 * 1024;
    const source = new Readable({
      highWaterMark: 16 * 1024,
      read() {
        if (produced >= total) {
          this.push(null);
          return;
        }
        produced += 4096;
        this.push(Buffer.alloc(4096));
      },
    });
    let sent = 0;
    let maxAhead = 0;
    const send = async (...batch: ToolResponseChunk[]): Promise<void> => {
      for (const c of batch) sent += Buffer.from(String(c.message.blob), 'base64').length;
      maxAhead = Math.max(maxAhead, produced - sent);
      await new Promise((resolve) => setImmediate(resolve));
    };
    await sendBlob(
      { type: 'blob', stream: source, size: total, filename: 'f', mimeType: 'x/y' },
      send,
      signal,
    );
    expect(sent).toBe(total);
    expect(maxAhead).toBeLessThan(160 * 1024);
  });
});
