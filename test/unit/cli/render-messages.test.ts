import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { humanLine, renderMessage } from '../../../src/cli/render-messages.js';
import type { ToolMessage } from '../../../src/tools/tool-declaration.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-render-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function render(messages: ToolMessage[], json: boolean): Promise<string> {
  let out = '';
  for (const message of messages) {
    await renderMessage(message, { json, outDir: dir, write: (text) => (out += text) });
  }
  return out;
}

const MESSAGES: ToolMessage[] = [
  { type: 'text', text: 'Uploaded 1 file' },
  { type: 'json', json: { status: 'success', files: [{ object_key: 'a/b.txt' }] } },
  { type: 'link', url: 'https://x/y' },
  { type: 'variable', name: 'n', value: [1] },
];

describe('renderMessage', () => {
  it('prints text as is and one compact line per json, link and variable', async () => {
    expect(await render(MESSAGES, false)).toBe(
      'Uploaded 1 file\n{"status":"success","files":[{"object_key":"a/b.txt"}]}\nhttps://x/y\nn = [1]\n',
    );
  });

  it('prints every message as one JSON line with --json', async () => {
    const lines = (await render(MESSAGES, true))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { type: 'text', text: 'Uploaded 1 file' },
      { type: 'json', json: { status: 'success', files: [{ object_key: 'a/b.txt' }] } },
      { type: 'link', url: 'https://x/y' },
      { type: 'variable', name: 'n', value: [1] },
    ]);
  });

  it('saves a blob under the output directory and reports path, size and type', async () => {
    const blob: ToolMessage = {
      type: 'blob',
      stream: Readable.from([Buffer.from('line one\n')]),
      size: 9,
      filename: 'notes.txt',
      mimeType: 'text/plain',
    };
    const [line] = (await render([blob], true)).trimEnd().split('\n');
    expect(JSON.parse(line!)).toEqual({
      type: 'blob',
      path: join(dir, 'notes.txt'),
      size: 9,
      mime_type: 'text/plain',
      filename: 'notes.txt',
    });
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('line one\n');
  });
});

describe('humanLine', () => {
  it('describes a saved blob in one line', () => {
    expect(
      humanLine({ type: 'blob', path: '/o/a.png', size: 3, mime_type: 'image/png', filename: 'a.png' }),
    ).toBe('saved /o/a.png (3 bytes, image/png)');
  });
});
