import { describe, expect, it } from 'vitest';
import {
  encodeKey,
  objectUrl,
  parseObjectUrl,
  publicEndpointHost,
  regionFromEndpoint,
  resolveLocation,
} from '../../../src/oss/addressing.js';

describe('regionFromEndpoint', () => {
  it.each([
    ['oss-cn-hangzhou.aliyuncs.com', 'cn-hangzhou'],
    ['oss-cn-hangzhou-internal.aliyuncs.com', 'cn-hangzhou'],
    ['OSS-AP-SOUTHEAST-1.aliyuncs.com', 'ap-southeast-1'],
    ['oss-us-west-1-internal.aliyuncs.com:443', 'us-west-1'],
    ['mybucket.oss-eu-central-1.aliyuncs.com', 'eu-central-1'],
    ['cn-shanghai.oss.aliyuncs.com', 'cn-shanghai'],
    ['oss-accelerate.aliyuncs.com', undefined],
    ['oss-accelerate-overseas.aliyuncs.com', undefined],
    ['files.example.com', undefined],
    ['127.0.0.1:9000', undefined],
  ])('maps %s to %s', (host, region) => {
    expect(regionFromEndpoint(host)).toBe(region);
  });
});

describe('publicEndpointHost', () => {
  it.each([
    ['oss-cn-hangzhou-internal.aliyuncs.com', 'oss-cn-hangzhou.aliyuncs.com'],
    ['bkt.oss-cn-beijing-internal.aliyuncs.com', 'bkt.oss-cn-beijing.aliyuncs.com'],
    ['oss-cn-hangzhou.aliyuncs.com', 'oss-cn-hangzhou.aliyuncs.com'],
    ['cdn.example.com', 'cdn.example.com'],
  ])('maps %s to %s', (host, expected) => {
    expect(publicEndpointHost(host)).toBe(expected);
  });
});

describe('resolveLocation', () => {
  it('uses https and virtual-hosted style for a bare OSS host and derives the region', () => {
    expect(resolveLocation({ endpoint: 'oss-cn-hangzhou.aliyuncs.com', bucket: 'bkt' })).toEqual({
      scheme: 'https',
      host: 'oss-cn-hangzhou.aliyuncs.com',
      style: 'virtual',
      bucket: 'bkt',
      region: 'cn-hangzhou',
    });
  });

  it('uses path style with scheme and port for a loopback URL', () => {
    expect(
      resolveLocation({ endpoint: 'http://127.0.0.1:9000', bucket: 'bkt', region: 'cn-hangzhou' }),
    ).toEqual({
      scheme: 'http',
      host: '127.0.0.1',
      port: 9000,
      style: 'path',
      bucket: 'bkt',
      region: 'cn-hangzhou',
    });
  });

  it('keeps the custom domain as host in cname mode with the given region', () => {
    const loc = resolveLocation({
      endpoint: 'files.example.com',
      bucket: 'bkt',
      region: 'cn-beijing',
      cname: true,
    });
    expect(loc).toMatchObject({ host: 'files.example.com', style: 'cname', region: 'cn-beijing' });
  });

  it('strips a bucket label that was pasted into the endpoint', () => {
    expect(resolveLocation({ endpoint: 'bkt.oss-cn-hangzhou.aliyuncs.com', bucket: 'bkt' }).host).toBe(
      'oss-cn-hangzhou.aliyuncs.com',
    );
  });

  it('accepts a region given with the oss- prefix', () => {
    expect(
      resolveLocation({ endpoint: 'http://localhost:1', bucket: 'bkt', region: 'oss-cn-qingdao' }).region,
    ).toBe('cn-qingdao');
  });

  it.each([
    ['a custom domain', { endpoint: 'files.example.com', bucket: 'bkt', cname: true }],
    ['an IP endpoint', { endpoint: 'http://127.0.0.1:9000', bucket: 'bkt' }],
    ['an acceleration endpoint', { endpoint: 'oss-accelerate.aliyuncs.com', bucket: 'bkt' }],
  ])('throws CONFIG_REGION_REQUIRED for %s without a region', (_name, opts) => {
    expect(() => resolveLocation(opts)).toThrow(expect.objectContaining({ code: 'CONFIG_REGION_REQUIRED' }));
  });

  it.each([
    ['ftp://oss-cn-hangzhou.aliyuncs.com', 'bkt'],
    ['https://user:pw@oss-cn-hangzhou.aliyuncs.com', 'bkt'],
    ['oss-cn-hangzhou.aliyuncs.com', 'Bad_Bucket!'],
  ])('throws CONFIG_INVALID for endpoint %s and bucket %s', (endpoint, bucket) => {
    expect(() => resolveLocation({ endpoint, bucket })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});

describe('encodeKey', () => {
  it.each([
    ['dir/hello world.txt', 'dir/hello%20world.txt'],
    ['a+b', 'a%2Bb'],
    ['tilde~', 'tilde~'],
    ['(1).txt', '%281%29.txt'],
    ['x#y?z', 'x%23y%3Fz'],
    ['100%', '100%25'],
    ['中文/文件.png', '%E4%B8%AD%E6%96%87/%E6%96%87%E4%BB%B6.png'],
    ['folder/', 'folder/'],
  ])('encodes %j as %j', (key, expected) => {
    expect(encodeKey(key)).toBe(expected);
    expect(decodeURIComponent(encodeKey(key))).toBe(key);
  });
});

describe('objectUrl', () => {
  it('builds virtual-hosted, path-style and custom-domain URLs', () => {
    const key = 'a b/c+d.txt';
    expect(objectUrl(resolveLocation({ endpoint: 'oss-cn-hangzhou.aliyuncs.com', bucket: 'bkt' }), key)).toBe(
      'https://bkt.oss-cn-hangzhou.aliyuncs.com/a%20b/c%2Bd.txt',
    );
    expect(
      objectUrl(resolveLocation({ endpoint: 'http://127.0.0.1:9000', bucket: 'bkt', region: 'r-1' }), key),
    ).toBe('http://127.0.0.1:9000/bkt/a%20b/c%2Bd.txt');
    expect(
      objectUrl(
        resolveLocation({ endpoint: 'https://cdn.example.com', bucket: 'bkt', region: 'r-1', cname: true }),
        key,
      ),
    ).toBe('https://cdn.example.com/a%20b/c%2Bd.txt');
  });
});

describe('parseObjectUrl', () => {
  const opts = {
    bucket: 'bkt',
    region: 'cn-hangzhou',
    endpoint: 'oss-cn-hangzhou-internal.aliyuncs.com',
    customDomain: 'cdn.example.com',
  };
  it.each([
    ['https://bkt.oss-cn-hangzhou.aliyuncs.com/a/b.txt', { key: 'a/b.txt' }],
    ['http://bkt.oss-cn-hangzhou-internal.aliyuncs.com/a%20b.txt', { key: 'a b.txt' }],
    ['https://bkt.oss-accelerate.aliyuncs.com/x', { key: 'x' }],
    ['https://bkt.oss-accelerate-overseas.aliyuncs.com/x', { key: 'x' }],
    ['https://bkt.cn-hangzhou.oss.aliyuncs.com/x', { key: 'x' }],
    [
      'https://cdn.example.com/%E4%B8%AD.png?x-oss-process=image/resize,w_100',
      { key: '中.png', process: 'image/resize,w_100' },
    ],
    ['oss://bkt/dir/k+1.txt', { key: 'dir/k+1.txt' }],
    [
      'https://bkt.oss-cn-hangzhou.aliyuncs.com/k.txt?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-signature=ab',
      { key: 'k.txt' },
    ],
    ['https://bkt.oss-cn-hangzhou.aliyuncs.com/a%2Bb%23c', { key: 'a+b#c' }],
  ])('maps %s to its key', (url, expected) => {
    expect(parseObjectUrl(url, opts)).toEqual(expected);
  });

  it.each([
    'https://other.oss-cn-hangzhou.aliyuncs.com/a.txt',
    'https://bkt.oss-cn-beijing.aliyuncs.com/a.txt',
    'https://evil.com/bkt.oss-cn-hangzhou.aliyuncs.com/a.txt',
    'https://bkt.oss-cn-hangzhou.aliyuncs.com.evil.com/a.txt',
    'https://bkt.oss-cn-hangzhou.aliyuncs.com/',
    'oss://other/a.txt',
    'ftp://bkt.oss-cn-hangzhou.aliyuncs.com/a.txt',
    'https://bkt.oss-cn-hangzhou.aliyuncs.com/%E4%ZZ',
    'not a url',
  ])('returns undefined for %s', (url) => {
    expect(parseObjectUrl(url, opts)).toBeUndefined();
  });

  it('accepts the emulator endpoint path-style URL and rejects another bucket or port on it', () => {
    const local = { bucket: 'bkt', region: 'cn-hangzhou', endpoint: 'http://127.0.0.1:9000' };
    expect(parseObjectUrl('http://127.0.0.1:9000/bkt/dir/a%20b', local)).toEqual({ key: 'dir/a b' });
    expect(parseObjectUrl('http://127.0.0.1:9000/other/a', local)).toBeUndefined();
    expect(parseObjectUrl('http://127.0.0.1:9001/bkt/a', local)).toBeUndefined();
  });
});
