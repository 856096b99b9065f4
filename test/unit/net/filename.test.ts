import { describe, expect, it } from 'vitest';
import {
  extensionForMime,
  extensionOf,
  filenameFromContentDisposition,
  filenameFromUrl,
  MAX_FILENAME_BYTES,
  mimeForFilename,
  resolveFilename,
  sanitizeFilename,
} from '../../../src/net/filename.js';

describe('filenameFromContentDisposition', () => {
  // Vectors: RFC 6266 §5 examples, RFC 5987 §3.2.2, and security-reliability.md §B21-§B22.
  it.each<[string | undefined, string | undefined]>([
    ['Attachment; filename=example.html', 'example.html'],
    ['attachment; filename="EURO rates.txt"', 'EURO rates.txt'],
    [`attachment; filename*=UTF-8''%e2%82%ac%20rates.txt`, '€ rates.txt'],
    [`attachment; filename="EURO rates"; filename*=utf-8''%e2%82%ac%20rates`, '€ rates'],
    [
      `attachment; filename*=UTF-8''%E4%B8%AD%E6%96%87%E6%96%87%E4%BB%B6.pdf; filename="fallback.pdf"`,
      '中文文件.pdf',
    ],
    [`attachment; filename*=iso-8859-1'en'%A3%20rates.txt`, '£ rates.txt'],
    [`attachment; filename*=UTF-8''%E0%A4%A; filename="fallback.txt"`, 'fallback.txt'], // malformed % → fallback
    [`attachment; filename*=x-unknown''abc; filename="plain.txt"`, 'plain.txt'], // unknown charset → fallback
    ['attachment; filename="a;b.txt"', 'a;b.txt'],
    ['attachment; filename="quoted \\"name\\".txt"', 'quoted name.txt'],
    ['attachment; xfilename="shadow.txt"; filename="real.txt"', 'real.txt'],
    ['attachment; filename="../../etc/passwd"', 'passwd'],
    ['attachment; filename="..\\\\..\\\\x.pdf"', 'x.pdf'],
    ['attachment; filename="C:\\\\Users\\\\me\\\\evil.exe"', 'evil.exe'],
    ['attachment; filename="a\r\nSet-Cookie: x.txt"', 'aSet-Cookie x.txt'],
    [`attachment; filename*=UTF-8''%E2%80%AEgnp.exe`, 'gnp.exe'], // RTL override stripped
    ['attachment; filename=".."', undefined],
    ['attachment; filename="   "', undefined],
    ['attachment', undefined],
    ['inline; filename=', undefined],
    ['filename="no-type.txt"', 'no-type.txt'],
    ['', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (header, expected) => {
    expect(filenameFromContentDisposition(header)).toBe(expected);
  });

  it('caps a 10,000-character name to 255 bytes and keeps its extension', () => {
    const name = filenameFromContentDisposition(`attachment; filename="${'a'.repeat(10_000)}.pdf"`);
    expect(Buffer.byteLength(name ?? '')).toBeLessThanOrEqual(MAX_FILENAME_BYTES);
    expect(name?.endsWith('.pdf')).toBe(true);
  });
});

describe('filenameFromUrl', () => {
  it.each<[string, string | undefined]>([
    ['https://example.com/files/report.pdf?sig=1#frag', 'report.pdf'],
    ['https://example.com/%E4%B8%AD%E6%96%87.png', '中文.png'],
    ['https://example.com/a%20b%23c.txt', 'a b#c.txt'],
    ['https://example.com/bad%E0%A4%A.txt', 'bad%E0%A4%A.txt'],
    ['https://example.com/dir/', undefined],
    ['https://example.com/', undefined],
    ['https://example.com/..%2f..%2fetc%2fpasswd', 'passwd'],
    ['not a url', undefined],
  ])('takes the name of %s as %j', (url, expected) => {
    expect(filenameFromUrl(url)).toBe(expected);
  });
});

describe('sanitizeFilename', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\secret.pdf', 'secret.pdf'],
    ['.hidden', 'hidden'],
    ['name.', 'name'],
    ['  spaced  .txt', 'spaced  .txt'],
    ['tab\there.txt', 'tabhere.txt'],
    ['nul\u0000byte.txt', 'nulbyte.txt'],
    ['del\u007f.txt', 'del.txt'],
    ['c1\u0085.txt', 'c1.txt'],
    ['zero\u200bwidth.txt', 'zerowidth.txt'],
    ['bidi\u2066x\u2069.txt', 'bidix.txt'],
    ['a<b>c:d"e|f?g*h.txt', 'abcdefgh.txt'],
    ['中文 文件.docx', '中文 文件.docx'],
    ['e\u0301.txt', 'é.txt'], // NFC
    ['.', ''],
    ['..', ''],
    ['', ''],
    ['/', ''],
  ])('turns %j into %j', (input, expected) => {
    expect(sanitizeFilename(input)).toBe(expected);
  });

  it('truncates CJK by UTF-8 bytes without splitting a character', () => {
    const name = sanitizeFilename(`${'中'.repeat(200)}.txt`);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(name).toBe(`${'中'.repeat(83)}.txt`); // 83 × 3 + 4 = 253 bytes
  });

  it('truncates a name without extension to the byte cap', () => {
    expect(sanitizeFilename('x'.repeat(300), 10)).toBe('x'.repeat(10));
  });
});

describe('extensionForMime', () => {
  it.each<[string | undefined, string | undefined]>([
    ['image/png', 'png'],
    ['image/jpeg', 'jpg'],
    ['text/plain; charset=utf-8', 'txt'],
    ['Application/PDF', 'pdf'],
    ['audio/mpeg', 'mp3'],
    ['application/octet-stream', undefined],
    ['application/x-unknown-thing', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('maps %j to %j', (mime, expected) => {
    expect(extensionForMime(mime)).toBe(expected);
  });
});

describe('mimeForFilename', () => {
  it.each<[string, string | undefined]>([
    ['photo.PNG', 'image/png'],
    ['doc.pdf', 'application/pdf'],
    ['中文.txt', 'text/plain'],
    ['noextension', undefined],
  ])('maps %s to %j', (name, expected) => {
    expect(mimeForFilename(name)).toBe(expected);
  });
});

describe('extensionOf', () => {
  it.each<[string, string | undefined]>([
    ['a.pdf', 'pdf'],
    ['archive.tar.gz', 'gz'],
    ['.bashrc', undefined],
    ['plain', undefined],
    [`a.${'x'.repeat(40)}`, undefined],
  ])('finds the extension of %s', (name, expected) => {
    expect(extensionOf(name)).toBe(expected);
  });
});

describe('resolveFilename', () => {
  it('prefers Content-Disposition over the URL', () => {
    expect(
      resolveFilename({ contentDisposition: 'attachment; filename="cd.txt"', url: 'https://h/u.txt' }),
    ).toBe('cd.txt');
  });

  it('adds an extension from the content type when the name has none', () => {
    expect(resolveFilename({ url: 'https://h/download', contentType: 'image/png' })).toBe('download.png');
  });

  it('falls back to the sniffed type when the content type is generic', () => {
    expect(
      resolveFilename({
        url: 'https://h/blob',
        contentType: 'application/octet-stream',
        sniffedMimeType: 'image/gif',
      }),
    ).toBe('blob.gif');
  });

  it('generates a name when neither header nor URL has one', () => {
    expect(resolveFilename({ url: 'https://h/', contentType: 'application/pdf' })).toMatch(
      /^download-[0-9a-f]{8}\.pdf$/,
    );
  });
});
