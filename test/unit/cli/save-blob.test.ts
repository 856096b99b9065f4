import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { safeFileName, saveBlob } from '../../../src/cli/save-blob.js';
import { AppError } from '../../../src/errors.js';
import type { BlobMessage, TransferProgress } from '../../../src/tools/tool-declaration.js';
import { patternBytes } from './fake-cli-tools.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-save-blob-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const blob = (bytes: Buffer, filename: string, size = bytes.length): BlobMessage => ({
  type: 'blob',
  stream: Readable.from([bytes.subarray(0, bytes.length >> 1), bytes.subarray(bytes.length >> 1)]),
  size,
  filename,
  mimeType: 'application/octet-stream',
});

describe('safeFileName', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\x\\a.txt', 'a.txt'],
    ['报告 #1.txt', '报告 #1.txt'],
    ['a\u0000b\nc.txt', 'a_b_c.txt'],
    ['what?.txt', 'what_.txt'],
    ['.hidden', 'hidden'],
    ['..', 'download'],
    ['', 'download'],
  ])('turns %j into %j', (name, expected) => {
    expect(safeFileName(name)).toBe(expected);
  });

  it('shortens a long name to 255 bytes keeping its extension', () => {
    const name = safeFileName(`${'文'.repeat(200)}.txt`);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(name.endsWith('文.txt')).toBe(true);
  });
});

describe('saveBlob', () => {
  it('writes the bytes under the safe name and reports progress up to the size', async () => {
    const bytes = patternBytes(70_000);
    const events: TransferProgress[] = [];
    const saved = await saveBlob(blob(bytes, 'sub/数据 #1.bin'), {
      outDir: join(dir, 'new'),
      onProgress: (p) => events.push(p),
    });
    expect(saved).toEqual({ path: join(dir, 'new', '数据 #1.bin'), size: 70_000 });
    expect(readFileSync(saved.path).equals(bytes)).toBe(true);
    expect(events.at(-1)).toEqual({ loadedBytes: 70_000, totalBytes: 70_000, label: '数据 #1.bin' });
  });

  it('never overwrites an existing file and picks name-1, name-2', async () => {
    writeFileSync(join(dir, 'a.txt'), 'old');
    const first = await saveBlob(blob(Buffer.from('one'), 'a.txt'), { outDir: dir });
    const second = await saveBlob(blob(Buffer.from('two'), 'a.txt'), { outDir: dir });
    expect([first.path, second.path]).toEqual([join(dir, 'a-1.txt'), join(dir, 'a-2.txt')]);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('old');
    expect(readFileSync(second.path, 'utf8')).toBe('two');
  });

  it('fails with DOWNLOAD_FAILED and removes the file when fewer bytes arrive than announced', async () => {
    await expect(saveBlob(blob(Buffer.from('short'), 'a.txt', 99), { outDir: dir })).rejects.toMatchObject({
      code: 'DOWNLOAD_FAILED',
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps the stream error code and removes the partial file when the source fails', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.from('part'));
        this.destroy(Object.assign(new Error('too big'), { name: 'AppError', code: 'FILE_TOO_LARGE' }));
      },
    });
    const message: BlobMessage = {
      type: 'blob',
      stream: failing,
      size: 10,
      filename: 'x.bin',
      mimeType: 'a/b',
    };
    await expect(saveBlob(message, { outDir: dir })).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('stops with CANCELLED when the signal aborts', async () => {
    const controller = new AbortController();
    const endless = new Readable({
      read() {
        this.push(Buffer.alloc(1024));
        controller.abort();
      },
    });
    const message: BlobMessage = {
      type: 'blob',
      stream: endless,
      size: 1 << 30,
      filename: 'x.bin',
      mimeType: 'a/b',
    };
    await expect(saveBlob(message, { outDir: dir, signal: controller.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('rejects with the stream error, uncaught nowhere, when the source fails while the file is opened', async () => {
    const source = new Readable({ read() {} });
    const message: BlobMessage = {
      type: 'blob',
      stream: source,
      size: 10,
      filename: 'x.bin',
      mimeType: 'a/b',
    };
    const saving = saveBlob(message, { outDir: dir });
    source.destroy(new AppError('CANCELLED'));
    await expect(saving).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(readdirSync(dir)).toEqual([]);
  });
});
