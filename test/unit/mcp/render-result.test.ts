import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { keyForBlob, renderToolResult } from '../../../src/mcp/render-result.js';
import type { ToolMessage } from '../../../src/tools/tool-declaration.js';

async function* from(messages: ToolMessage[], failWith?: Error): AsyncGenerator<ToolMessage> {
  yield* messages;
  if (failWith) throw failWith;
}

function blob(bytes: Buffer, filename = 'a.bin'): ToolMessage & { stream: Readable } {
  return {
    type: 'blob',
    stream: Readable.from([bytes]),
    size: bytes.length,
    filename,
    mimeType: 'application/pdf',
  };
}

describe('renderToolResult', () => {
  it('puts the text first, the last JSON object in structuredContent and the JSON as text', async () => {
    const result = await renderToolResult(
      from([
        { type: 'text', text: 'Uploaded 1 file' },
        { type: 'json', json: { status: 'success', n: 1 } },
      ]),
      { embedMaxBytes: 100 },
    );
    expect(result).toEqual({
      content: [
        { type: 'text', text: 'Uploaded 1 file' },
        { type: 'text', text: '{"status":"success","n":1}' },
      ],
      structuredContent: { status: 'success', n: 1 },
    });
  });

  it('embeds a blob at the cap as a base64 resource', async () => {
    const bytes = Buffer.from('%PDF-1.7 exactly');
    const result = await renderToolResult(from([blob(bytes)]), { embedMaxBytes: bytes.length });
    expect(result.content[0]).toEqual({
      type: 'resource',
      resource: {
        uri: 'oss-dify:///blobs/a.bin',
        mimeType: 'application/pdf',
        blob: bytes.toString('base64'),
      },
    });
  });

  it('links a blob above the cap without reading its stream', async () => {
    const big = blob(Buffer.alloc(101));
    const result = await renderToolResult(from([big, { type: 'json', json: { key: 'dir/a.bin' } }]), {
      embedMaxBytes: 100,
      linkFor: async (oversize, jsons) => `https://signed.example/${keyForBlob(oversize.filename, jsons)}`,
    });
    expect(big.stream.destroyed).toBe(true);
    expect(result.content).toContainEqual(
      expect.objectContaining({
        type: 'resource_link',
        uri: 'https://signed.example/dir/a.bin',
        name: 'a.bin',
        size: 101,
      }),
    );
    expect(result.content.some((block) => block.type === 'resource')).toBe(false);
  });

  it('pairs each link with the blob that follows it in a batch', async () => {
    const result = await renderToolResult(
      from([
        { type: 'link', url: 'https://signed.example/small' },
        blob(Buffer.alloc(10), 'small.bin'),
        { type: 'link', url: 'https://signed.example/big' },
        blob(Buffer.alloc(500), 'big.bin'),
      ]),
      { embedMaxBytes: 100 },
    );
    const kinds = result.content.map((block) => block.type);
    expect(kinds).toEqual(['resource', 'resource_link', 'text']);
    expect(result.content[1]).toMatchObject({ uri: 'https://signed.example/big', name: 'big.bin' });
  });

  it('says a blob above the cap was not embedded when no link exists', async () => {
    const result = await renderToolResult(from([blob(Buffer.alloc(10))]), { embedMaxBytes: 0 });
    expect(JSON.stringify(result.content)).toMatch(/not embedded/);
  });

  it('keeps the text produced before a failure in the isError result', async () => {
    const result = await renderToolResult(
      from([{ type: 'text', text: 'Stored as dir/a.txt' }], new AppError('OSS_CRC_MISMATCH')),
      { embedMaxBytes: 0 },
    );
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([
      { type: 'text', text: 'Stored as dir/a.txt' },
      { type: 'text', text: 'OSS_CRC_MISMATCH: The CRC-64 of the stored data does not match the data sent.' },
    ]);
  });

  it('reports a non-AppError as INTERNAL without its message', async () => {
    const result = await renderToolResult(from([], new TypeError('secret detail')), { embedMaxBytes: 0 });
    expect(result.content).toEqual([{ type: 'text', text: 'INTERNAL: An internal error occurred.' }]);
  });
});

describe('keyForBlob', () => {
  it('finds the key of a single download and of a batch item by filename', () => {
    expect(keyForBlob('a.bin', [{ key: 'd/a.bin', filename: 'a.bin' }])).toBe('d/a.bin');
    expect(
      keyForBlob('b.bin', [
        {
          files: [
            { filename: 'a.bin', key: 'd/a.bin' },
            { filename: 'b.bin', key: 'd/b.bin' },
          ],
        },
      ]),
    ).toBe('d/b.bin');
    expect(keyForBlob('c.bin', [{ files: [] }])).toBeUndefined();
  });
});
