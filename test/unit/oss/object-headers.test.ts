import { describe, expect, it } from 'vitest';
import { checkKey, metaFromHeaders, objectHeaders } from '../../../src/oss/object-headers.js';

describe('objectHeaders', () => {
  it('maps put options to OSS headers and guesses the content type from the key', () => {
    expect(
      objectHeaders('a/photo.png', {
        contentDisposition: "attachment; filename*=UTF-8''%E4%B8%AD.png",
        cacheControl: 'no-cache',
        forbidOverwrite: true,
        storageClass: 'IA',
        meta: { Author: 'me' },
      }),
    ).toEqual({
      'content-type': 'image/png',
      'content-disposition': "attachment; filename*=UTF-8''%E4%B8%AD.png",
      'cache-control': 'no-cache',
      'x-oss-forbid-overwrite': 'true',
      'x-oss-storage-class': 'IA',
      'x-oss-meta-author': 'me',
    });
  });

  it('falls back to application/octet-stream for unknown extensions', () => {
    expect(objectHeaders('noext')['content-type']).toBe('application/octet-stream');
  });

  it('throws INVALID_ARGUMENT for a meta name with "_" or a non-ASCII value', () => {
    expect(() => objectHeaders('k', { meta: { bad_name: 'x' } })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => objectHeaders('k', { contentDisposition: 'attachment; filename="中.png"' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('metaFromHeaders', () => {
  it('reads size from Content-Range for partial responses and user metadata without prefix', () => {
    const meta = metaFromHeaders('k', {
      'content-length': '10',
      'content-range': 'bytes 0-9/500',
      'content-type': 'text/plain',
      etag: '"ABC"',
      'x-oss-hash-crc64ecma': '123',
      'x-oss-meta-author': 'me',
      'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT',
    });
    expect(meta).toMatchObject({ size: 500, etag: 'ABC', crc64: '123', meta: { author: 'me' } });
    expect(meta.lastModified?.getTime()).toBe(Date.UTC(2024, 0, 1));
  });
});

describe('checkKey', () => {
  it.each(['', '/abs', '\\win', 'x'.repeat(1024)])('throws KEY_INVALID for %j', (key) => {
    expect(() => checkKey(key)).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });

  it('accepts a 1023-byte key and a folder key', () => {
    expect(() => checkKey('x'.repeat(1023))).not.toThrow();
    expect(() => checkKey('folder/')).not.toThrow();
  });
});
