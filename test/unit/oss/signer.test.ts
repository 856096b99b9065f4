import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  canonicalQuery,
  formatV4Date,
  presignV4,
  rfc3986Encode,
  signV4Headers,
} from '../../../src/oss/signer.js';

interface Vector {
  id: string;
  accessKeyId: string;
  accessKeySecret: string;
  region: string;
  product: string;
  method: string;
  bucket: string;
  key: string;
  time: number;
  headers: Record<string, string>;
  query: Record<string, string | null>;
  additionalHeaders?: string[];
  expiresSeconds?: number;
  canonicalRequest?: string;
  canonicalQuery?: string;
  canonicalHeaders?: string;
  stringToSign?: string;
  canonicalRequestHash?: string;
  authorization?: string;
  signature?: string;
}

const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/oss-signing-vectors.json'), 'utf8'),
) as { v4Header: Vector[]; v4Query: Vector[] };

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('signV4Headers', () => {
  it.each(fixture.v4Header.map((v) => [v.id, v] as const))('reproduces vector %s', (_id, v) => {
    const signed = signV4Headers({
      method: v.method,
      bucket: v.bucket,
      key: v.key,
      query: v.query,
      headers: v.headers,
      accessKeyId: v.accessKeyId,
      accessKeySecret: v.accessKeySecret,
      region: v.region,
      product: v.product,
      date: new Date(v.time * 1000),
      additionalHeaders: v.additionalHeaders,
    });
    if (v.canonicalRequest) expect(signed.canonicalRequest).toBe(v.canonicalRequest);
    if (v.stringToSign) expect(signed.stringToSign).toBe(v.stringToSign);
    if (v.canonicalRequestHash) expect(sha256(signed.canonicalRequest)).toBe(v.canonicalRequestHash);
    expect(signed.authorization).toBe(v.authorization);
    expect(signed.headers.authorization).toBe(v.authorization);
  });

  it('adds x-oss-date, the unsigned payload marker and the STS token when they are missing', () => {
    const signed = signV4Headers({
      method: 'GET',
      bucket: 'b',
      key: 'k',
      query: {},
      headers: {},
      accessKeyId: 'ak',
      accessKeySecret: 'sk',
      securityToken: 'tok',
      region: 'cn-hangzhou',
      date: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
    });
    expect(signed.headers['x-oss-date']).toBe('20240102T030405Z');
    expect(signed.headers['x-oss-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(signed.headers['x-oss-security-token']).toBe('tok');
    expect(signed.canonicalRequest).toContain('x-oss-security-token:tok\n');
  });

  it('changes the signature when the region changes', () => {
    const base = {
      method: 'GET',
      bucket: 'b',
      key: 'k',
      query: {},
      headers: {},
      accessKeyId: 'ak',
      accessKeySecret: 'sk',
      date: new Date(0),
    };
    const a = signV4Headers({ ...base, region: 'cn-hangzhou' }).authorization;
    const b = signV4Headers({ ...base, region: 'cn-beijing' }).authorization;
    expect(a).not.toBe(b);
  });
});

describe('presignV4', () => {
  it.each(fixture.v4Query.map((v) => [v.id, v] as const))('reproduces vector %s', (_id, v) => {
    const presigned = presignV4({
      method: v.method,
      bucket: v.bucket,
      key: v.key,
      query: v.query,
      headers: v.headers,
      accessKeyId: v.accessKeyId,
      accessKeySecret: v.accessKeySecret,
      region: v.region,
      product: v.product,
      date: new Date(v.time * 1000),
      expiresSeconds: v.expiresSeconds ?? 0,
      additionalHeaders: v.additionalHeaders,
    });
    if (v.canonicalRequest) expect(presigned.canonicalRequest).toBe(v.canonicalRequest);
    if (v.canonicalQuery) expect(presigned.canonicalRequest.split('\n')[2]).toBe(v.canonicalQuery);
    if (v.canonicalHeaders) expect(presigned.canonicalRequest).toContain(`\n${v.canonicalHeaders}\n`);
    if (v.canonicalRequestHash) expect(sha256(presigned.canonicalRequest)).toBe(v.canonicalRequestHash);
    expect(presigned.signature).toBe(v.signature);
    expect(presigned.query['x-oss-signature']).toBe(v.signature);
    expect(presigned.queryString.endsWith(`&x-oss-signature=${v.signature}`)).toBe(true);
  });

  it('puts the STS token into the signed query when one is given', () => {
    const presigned = presignV4({
      method: 'GET',
      bucket: 'b',
      key: 'a b',
      accessKeyId: 'ak',
      accessKeySecret: 'sk',
      securityToken: 'to/ken+',
      region: 'cn-hangzhou',
      date: new Date(0),
      expiresSeconds: 60,
    });
    expect(presigned.queryString).toContain('x-oss-security-token=to%2Fken%2B');
    expect(presigned.canonicalRequest).toContain('x-oss-security-token=to%2Fken%2B');
  });
});

describe('rfc3986Encode', () => {
  it.each([
    ['a b', 'a%20b'],
    ['+', '%2B'],
    ['~-_.', '~-_.'],
    ["!'()*", '%21%27%28%29%2A'],
    ['/', '%2F'],
    ['中', '%E4%B8%AD'],
  ])('encodes %j as %j', (input, expected) => {
    expect(rfc3986Encode(input)).toBe(expected);
  });
});

describe('canonicalQuery', () => {
  it('sorts by encoded key in byte order and leaves empty values bare', () => {
    expect(canonicalQuery({ uploads: '', b: 'x y', A: '1', 'x-oss-signature': 'drop' })).toBe(
      'A=1&b=x%20y&uploads',
    );
  });
});

describe('formatV4Date', () => {
  it('formats as yyyymmddTHHMMSSZ in UTC', () => {
    expect(formatV4Date(new Date(1702743657 * 1000))).toBe('20231216T162057Z');
  });
});
