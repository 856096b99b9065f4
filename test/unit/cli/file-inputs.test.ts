import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toFileInput, toFileInputs } from '../../../src/cli/file-inputs.js';

const cwd = mkdtempSync(join(tmpdir(), 'cli-file-inputs-'));
writeFileSync(join(cwd, 'a,b.txt'), 'x');
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('toFileInput', () => {
  it('keeps http and https URLs as URLs', () => {
    expect(toFileInput('https://example.com/a.png', cwd)).toEqual({
      kind: 'url',
      url: 'https://example.com/a.png',
    });
    expect(toFileInput(' HTTP://example.com/x ', cwd)).toEqual({ kind: 'url', url: 'HTTP://example.com/x' });
  });

  it('resolves a relative path against the working directory', () => {
    expect(toFileInput('docs/report 1.pdf', cwd)).toEqual({
      kind: 'path',
      path: join(cwd, 'docs/report 1.pdf'),
    });
  });

  it('keeps an absolute path and turns a file:// URL into a path', () => {
    expect(toFileInput('/tmp/a.txt', cwd)).toEqual({ kind: 'path', path: '/tmp/a.txt' });
    expect(toFileInput('file:///tmp/%E6%96%87.txt', cwd)).toEqual({ kind: 'path', path: '/tmp/文.txt' });
  });

  it('passes other schemes on as URLs so the tool refuses them with its own code', () => {
    expect(toFileInput('ftp://example.com/a', cwd)).toEqual({ kind: 'url', url: 'ftp://example.com/a' });
  });

  it('rejects an empty value with INVALID_ARGUMENT', () => {
    expect(() => toFileInput('  ', cwd)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('toFileInputs', () => {
  it('splits comma-separated values and joins repeated flags in order', () => {
    expect(toFileInputs(['a.txt, https://h/b.txt', 'c.txt'], cwd)).toEqual([
      { kind: 'path', path: join(cwd, 'a.txt') },
      { kind: 'url', url: 'https://h/b.txt' },
      { kind: 'path', path: join(cwd, 'c.txt') },
    ]);
  });

  it('keeps a value whole when it names an existing file with a comma', () => {
    expect(toFileInputs(['a,b.txt'], cwd)).toEqual([{ kind: 'path', path: join(cwd, 'a,b.txt') }]);
  });

  it('drops empty items and fails when nothing is left', () => {
    expect(toFileInputs(['x.txt,,'], cwd)).toHaveLength(1);
    expect(() => toFileInputs([' , '], cwd)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
