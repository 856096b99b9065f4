import { describe, expect, it } from 'vitest';
import {
  chooseContentType,
  contentDispositionFor,
  isActiveContent,
} from '../../../src/tools/content-type.js';

describe('chooseContentType', () => {
  it.each([
    [{ declared: 'application/pdf', filename: 'a.bin' }, 'application/pdf'],
    [{ declared: 'text/plain; charset=GBK', filename: 'a.txt' }, 'text/plain; charset=gbk'],
    [{ declared: 'application/octet-stream', filename: 'a.png' }, 'image/png'],
    [{ declared: 'not a type', filename: 'a.json' }, 'application/json; charset=utf-8'],
    [{ filename: 'a.md' }, 'text/markdown; charset=utf-8'],
    [{ filename: 'README', sniffed: 'image/png' }, 'image/png'],
    [{ filename: 'README' }, 'application/octet-stream'],
    [{ filename: 'a.unknownext', sniffed: 'application/zip' }, 'application/zip'],
  ])('picks declared > extension > sniffed for %j', (input, expected) => {
    expect(chooseContentType(input)).toBe(expected);
  });
});

describe('contentDispositionFor', () => {
  it('stores HTML, SVG and XML as attachments', () => {
    for (const type of ['text/html; charset=utf-8', 'image/svg+xml', 'application/xml', 'text/javascript']) {
      expect(isActiveContent(type)).toBe(true);
      expect(contentDispositionFor('x.html', type)).toMatch(/^attachment;/);
    }
    expect(contentDispositionFor('x.png', 'image/png')).toBe('inline; filename=x.png');
  });

  it('encodes CJK names with RFC 5987 filename*', () => {
    const value = contentDispositionFor('报告 #1.pdf', 'application/pdf');
    expect(value).toContain("filename*=UTF-8''%E6%8A%A5%E5%91%8A%20%231.pdf");
    expect(value).toMatch(/^inline; filename="[\x20-\x7e]+"; filename\*=/);
  });
});

describe('contentDispositionFor with Latin-1 names', () => {
  it('keeps the plain filename ASCII so it is a valid header value', () => {
    const value = contentDispositionFor('résumé "final".pdf', 'application/pdf');
    expect(value).toMatch(/^[\x20-\x7e]+$/);
    expect(value).toContain("filename*=UTF-8''r%C3%A9sum%C3%A9");
  });
});
