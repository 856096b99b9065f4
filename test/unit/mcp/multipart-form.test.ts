import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boundaryOf, type FormFilePart, parseMultipartForm } from '../../../src/mcp/multipart-form.js';

const BOUNDARY = '----formBoundaryX7';

function body(
  parts: Array<{ name: string; filename?: string; type?: string; content: string | Buffer }>,
): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const type = part.type ? `\r\nContent-Type: ${part.type}` : '';
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`));
    chunks.push(Buffer.from(part.content));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

function chunked(data: Buffer, size: number): Readable {
  const pieces: Buffer[] = [];
  for (let at = 0; at < data.length; at += size) pieces.push(data.subarray(at, at + size));
  return Readable.from(pieces);
}

async function parse(data: Buffer, chunkSize: number, maxFileBytes = 1 << 20) {
  const files: Array<Omit<FormFilePart, 'stream'> & { content: Buffer }> = [];
  const fields = await parseMultipartForm(chunked(data, chunkSize), BOUNDARY, {
    maxFileBytes,
    onFile: async (part) => {
      const collected: Buffer[] = [];
      for await (const chunk of part.stream) collected.push(chunk as Buffer);
      files.push({
        field: part.field,
        filename: part.filename,
        mimeType: part.mimeType,
        content: Buffer.concat(collected),
      });
    },
  });
  return { fields, files };
}

describe('boundaryOf', () => {
  it('reads quoted and bare boundaries of form-data only', () => {
    expect(boundaryOf(`multipart/form-data; boundary=${BOUNDARY}`)).toBe(BOUNDARY);
    expect(boundaryOf('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(boundaryOf('application/json')).toBeUndefined();
    expect(boundaryOf(undefined)).toBeUndefined();
  });
});

describe('parseMultipartForm', () => {
  // Bytes that look like a boundary, CRLFs and every byte value must pass through unchanged.
  const binary = Buffer.concat([
    Buffer.from(`\r\n--${BOUNDARY.slice(0, 8)}\r\n`),
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  ]);
  const data = body([
    { name: 'directory', content: 'uploads/日本' },
    { name: 'file', filename: '报告 1.bin', type: 'application/x-test', content: binary },
    { name: 'flag', content: 'true' },
  ]);

  it.each([1, 2, 7, 41, 4096])(
    'returns fields and file bytes exactly when the body arrives in %i-byte chunks',
    async (size) => {
      const { fields, files } = await parse(data, size);
      expect(fields).toEqual({ directory: 'uploads/日本', flag: 'true' });
      expect(files).toHaveLength(1);
      expect(files[0]).toMatchObject({
        field: 'file',
        filename: '报告 1.bin',
        mimeType: 'application/x-test',
      });
      expect(files[0]!.content.equals(binary)).toBe(true);
    },
  );

  it('rejects a file over the byte limit with FILE_TOO_LARGE', async () => {
    const big = body([{ name: 'file', filename: 'a.bin', content: Buffer.alloc(5000) }]);
    await expect(parse(big, 512, 4096)).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
  });

  it('rejects a body that ends before its closing boundary', async () => {
    const cut = data.subarray(0, data.length - 20);
    await expect(parse(cut, 64)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('rejects a part without a form-data name', async () => {
    const bad = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: attachment\r\n\r\nx\r\n--${BOUNDARY}--\r\n`,
    );
    await expect(parse(bad, 64)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('decodes the browser escapes of quotes in file names', async () => {
    const quoted = body([{ name: 'file', filename: 'say %22hi%22.txt', content: 'x' }]);
    const { files } = await parse(quoted, 16);
    expect(files[0]?.filename).toBe('say "hi".txt');
  });
});
