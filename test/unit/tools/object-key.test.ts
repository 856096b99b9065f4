import { describe, expect, it } from 'vitest';
import {
  applyScope,
  assertKeyInScope,
  cleanSourceName,
  inferExtension,
  type KeyInput,
  keyFromPlan,
  MAX_KEY_BYTES,
  normalizeDirectory,
  planObjectKey,
  splitName,
} from '../../../src/tools/object-key.js';

const NOW = new Date('2025-09-22T16:30:12.123Z'); // 00:30:12.123 on 09-23 in Asia/Shanghai

function key(overrides: Partial<KeyInput>): string {
  return keyFromPlan(
    planObjectKey({
      directory: 'docs',
      directoryMode: 'no_subdirectory',
      filenameMode: 'filename',
      sourceFilename: 'report.pdf',
      fallbackBase: 'upload',
      now: NOW,
      timeZone: 'UTC',
      ...overrides,
    }),
  );
}

describe('normalizeDirectory', () => {
  it.each([
    ['docs', 'docs'],
    ['docs/', 'docs'],
    ['a/b/c///', 'a/b/c'],
    ['  spaced  ', 'spaced'],
    ['报告/2025', '报告/2025'],
  ])('accepts %j as %j', (input, expected) => {
    expect(normalizeDirectory(input)).toBe(expected);
  });

  it.each([
    ['/abs'],
    ['\\win'],
    ['a/../b'],
    ['..'],
    ['a/./b'],
    ['a//b'],
    ['a\\b'],
    ['a\u0000b'],
    ['tab\there'],
    ['a/%2e%2e/b'],
    [''],
    ['   '],
  ])('rejects %j with KEY_INVALID', (input) => {
    expect(() => normalizeDirectory(input)).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });
});

describe('planObjectKey', () => {
  it.each([
    ['no_subdirectory', 'UTC', 'docs/report.pdf'],
    ['yyyy_mm_dd_hierarchy', 'UTC', 'docs/2025/09/22/report.pdf'],
    ['yyyy_mm_dd_combined', 'UTC', 'docs/20250922/report.pdf'],
    ['yyyy_mm_dd_hierarchy', 'Asia/Shanghai', 'docs/2025/09/23/report.pdf'],
    ['yyyy_mm_dd_combined', 'Asia/Shanghai', 'docs/20250923/report.pdf'],
  ] as const)('lays out %s in %s as %s', (directoryMode, timeZone, expected) => {
    expect(key({ directoryMode, timeZone })).toBe(expected);
  });

  it('uses the configured time zone on the other side of midnight (B12)', () => {
    const now = new Date('2025-01-01T07:59:59.999Z');
    expect(key({ now, timeZone: 'America/Los_Angeles', directoryMode: 'yyyy_mm_dd_hierarchy' })).toBe(
      'docs/2024/12/31/report.pdf',
    );
    expect(key({ now, timeZone: 'America/Los_Angeles', filenameMode: 'filename_timestamp' })).toBe(
      'docs/report_20241231235959999.pdf',
    );
  });

  it('inserts a 17-digit local timestamp before the extension in filename_timestamp mode', () => {
    expect(key({ filenameMode: 'filename_timestamp', timeZone: 'Asia/Shanghai' })).toBe(
      'docs/report_20250923003012123.pdf',
    );
  });

  it.each([
    [{ sourceFilename: 'README' }, 'docs/README'],
    [{ sourceFilename: 'README', mimeType: 'text/markdown' }, 'docs/README.md'],
    [{ sourceFilename: 'photo', extension: '.JPG' }, 'docs/photo.jpg'],
    [{ sourceFilename: 'photo', extension: 'png' }, 'docs/photo.png'],
    [{ sourceFilename: '.env' }, 'docs/.env'],
    [{ sourceFilename: 'Photo.JPEG' }, 'docs/Photo.jpeg'],
    [{ sourceFilename: 'data', mimeType: 'application/octet-stream' }, 'docs/data'],
    [{ sourceFilename: undefined, mimeType: 'image/png' }, 'docs/upload.png'],
    [{ sourceFilename: undefined }, 'docs/upload'],
    [{ sourceFilename: '../../etc/passwd' }, 'docs/passwd'],
    [{ sourceFilename: 'C:\\Users\\me\\notes.txt' }, 'docs/notes.txt'],
  ])('names %j as %s and never upload.dat (B9)', (overrides, expected) => {
    expect(key(overrides)).toBe(expected);
  });

  it.each([
    [{ customFilename: 'custom.TXT' }, 'docs/custom.TXT'],
    [{ customFilename: 'custom' }, 'docs/custom.pdf'],
    [{ customFilename: 'sub/custom.md' }, 'docs/sub/custom.md'],
    [
      { customFilename: 'custom', filenameMode: 'filename_timestamp' as const },
      'docs/custom_20250922163012123.pdf',
    ],
  ])('applies a custom filename %j as %s', (overrides, expected) => {
    expect(key(overrides)).toBe(expected);
  });

  it.each([[' lead'], ['/abs'], ['\\x'], ['sub/../x'], ['a//b.txt']])(
    'rejects custom filename %j',
    (customFilename) => {
      expect(() => key({ customFilename })).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    },
  );

  it('shortens a CJK name over 1023 bytes on a character boundary and keeps the extension', () => {
    const long = `${'报'.repeat(400)}.pdf`;
    const result = key({ sourceFilename: long });
    expect(Buffer.byteLength(result)).toBeLessThanOrEqual(MAX_KEY_BYTES);
    expect(result.endsWith('报.pdf')).toBe(true);
    expect(result.startsWith('docs/报')).toBe(true);
    const renamed = keyFromPlan(
      planObjectKey({
        directory: 'docs',
        directoryMode: 'no_subdirectory',
        filenameMode: 'filename',
        sourceFilename: long,
        fallbackBase: 'upload',
        now: NOW,
        timeZone: 'UTC',
      }),
      12,
    );
    expect(Buffer.byteLength(renamed)).toBeLessThanOrEqual(MAX_KEY_BYTES);
    expect(renamed.endsWith('-12.pdf')).toBe(true);
  });

  it('refuses a directory that leaves no room for a name', () => {
    expect(() => key({ directory: 'd'.repeat(1020) })).toThrow(
      expect.objectContaining({ code: 'KEY_INVALID' }),
    );
  });
});

describe('keyFromPlan', () => {
  it('puts the rename suffix before the extension', () => {
    expect(keyFromPlan({ prefix: 'a/', base: 'x', ext: '.txt' }, 2)).toBe('a/x-2.txt');
    expect(keyFromPlan({ prefix: 'a/', base: 'README', ext: '' }, 1)).toBe('a/README-1');
  });
});

describe('splitName and inferExtension', () => {
  it.each([
    ['a.tar.gz', 'a.tar', '.gz'],
    ['Dr. Smith notes', 'Dr. Smith notes', ''],
    ['x.PDF', 'x', '.pdf'],
  ])('splits %j', (name, base, ext) => {
    expect(splitName(name)).toEqual({ base, ext });
  });

  it('prefers Dify extension over mime type and ignores octet-stream', () => {
    expect(inferExtension('.webp', 'image/png')).toBe('.webp');
    expect(inferExtension(undefined, 'image/jpeg')).toBe('.jpg');
    expect(inferExtension(undefined, 'application/octet-stream')).toBe('');
  });

  it('strips controls and bidi overrides from source names', () => {
    expect(cleanSourceName('evil\u202Egnp.exe')).toBe('evilgnp.exe');
    expect(cleanSourceName('a\r\nb.txt')).toBe('ab.txt');
    expect(cleanSourceName('..')).toBe('');
  });
});

describe('key_prefix_scope', () => {
  it('puts a relative directory under the scope and keeps one that already starts with it', () => {
    expect(key({ scope: 'agents/a1' })).toBe('agents/a1/docs/report.pdf');
    expect(key({ scope: 'agents/a1/', directory: 'agents/a1/out' })).toBe('agents/a1/out/report.pdf');
    expect(applyScope('agents/a10', 'agents/a1')).toBe('agents/a1/agents/a10');
  });

  it.each([['../x'], ['%2e%2e/x'], ['%252e%252e/x'], ['a\\..\\b'], ['a//b'], ['/etc']])(
    'refuses directory %j with KEY_OUT_OF_SCOPE',
    (directory) => {
      expect(() => key({ scope: 'agents/a1', directory })).toThrow(
        expect.objectContaining({ code: 'KEY_OUT_OF_SCOPE' }),
      );
    },
  );

  it.each([
    ['agents/a1/x.txt', true],
    ['agents/a1/sub/x.txt', true],
    ['agents/a10/x.txt', false],
    ['agents/x.txt', false],
    ['agents/a1/../a2/x.txt', false],
    ['agents/a1/%2e%2e/a2/x.txt', false],
    ['agents/a1/..%2fa2/x.txt', false],
    ['agents/a1\\..\\a2', false],
    ['agents/a1//x', false],
  ])('assertKeyInScope(%j) passes: %s', (candidate, allowed) => {
    const run = () => assertKeyInScope(candidate, 'agents/a1');
    if (allowed) expect(run).not.toThrow();
    else expect(run).toThrow(expect.objectContaining({ code: 'KEY_OUT_OF_SCOPE' }));
  });

  it('lets every key through when no scope is set', () => {
    expect(() => assertKeyInScope('anything/at/all', undefined)).not.toThrow();
    expect(() => assertKeyInScope('x', '  ')).not.toThrow();
  });
});
