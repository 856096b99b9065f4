// The §2.8 signing vectors (shared fixture, sources cited inside it) against the emulator's verifier pieces.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toIsoCompact } from '../../../src/emulator/auth-checks.js';
import {
  v1CanonicalizedHeaders,
  v1CanonicalizedResource,
  v1Signature,
  v1StringToSign,
} from '../../../src/emulator/signature-v1.js';
import { v4CanonicalRequest, v4Signature, v4StringToSign } from '../../../src/emulator/signature-v4.js';

interface Vector {
  id: string;
  accessKeySecret: string;
  securityToken?: string;
  method: string;
  bucket: string;
  key?: string;
  query: Record<string, string | null>;
  subResources?: string[];
  headers?: Record<string, string>;
  stringToSign?: string;
  signature?: string;
  authorization?: string;
  expires?: number;
  region?: string;
  product?: string;
  time?: number;
  expiresSeconds?: number;
  additionalHeaders?: string[];
  canonicalRequest?: string;
  canonicalRequestHash?: string;
}
const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/oss-signing-vectors.json'), 'utf8'),
) as Record<'v1Header' | 'v1Query' | 'v4Header' | 'v4Query', Vector[]>;

const lowerHeaders = (v: Vector): Map<string, string> =>
  new Map(Object.entries(v.headers ?? {}).map(([k, val]) => [k.toLowerCase(), val]));
const queryPairs = (q: Record<string, string | null>): Array<[string, string]> =>
  Object.entries(q).map(([k, val]) => [k, val ?? '']);

/** What a conforming signer keeps of the additional headers: present, not default-signed, lowercase, sorted. */
function additional(v: Vector, headers: Map<string, string>): string[] {
  return [...new Set((v.additionalHeaders ?? []).map((h) => h.toLowerCase()))]
    .filter((h) => headers.has(h) && !h.startsWith('x-oss-') && h !== 'content-type' && h !== 'content-md5')
    .sort();
}

describe('v1StringToSign', () => {
  it.each(fixture.v1Header.map((v) => [v.id, v] as const))('reproduces header vector %s', (_, v) => {
    const headers = lowerHeaders(v);
    const stringToSign = v1StringToSign({
      method: v.method,
      contentMd5: headers.get('content-md5') ?? '',
      contentType: headers.get('content-type') ?? '',
      date: headers.get('date') ?? headers.get('x-oss-date')!,
      canonicalizedHeaders: v1CanonicalizedHeaders(headers),
      canonicalizedResource: v1CanonicalizedResource(v.bucket, v.key, queryPairs(v.query)),
    });
    expect(stringToSign).toBe(v.stringToSign);
    expect(v.authorization).toContain(v1Signature(v.accessKeySecret, stringToSign));
  });

  it.each(fixture.v1Query.map((v) => [v.id, v] as const))('reproduces presigned vector %s', (_, v) => {
    const query = queryPairs(v.query);
    if (v.securityToken) query.push(['security-token', v.securityToken]);
    const stringToSign = v1StringToSign({
      method: v.method,
      contentMd5: '',
      contentType: '',
      date: String(v.expires),
      canonicalizedHeaders: '',
      canonicalizedResource: v1CanonicalizedResource(v.bucket, v.key, query),
    });
    expect(stringToSign).toBe(v.stringToSign);
    expect(v1Signature(v.accessKeySecret, stringToSign)).toBe(v.signature);
  });
});

describe('v4Signature', () => {
  it.each(fixture.v4Header.map((v) => [v.id, v] as const))('reproduces header vector %s', (_, v) => {
    const isoDate = toIsoCompact(v.time! * 1000);
    const headers = lowerHeaders(v);
    headers.set('x-oss-date', isoDate);
    const canonical = v4CanonicalRequest({
      method: v.method,
      bucket: v.bucket,
      key: v.key,
      query: queryPairs(v.query),
      headers,
      additionalHeaders: additional(v, headers),
    });
    if (v.canonicalRequest) expect(canonical).toBe(v.canonicalRequest);
    const scope = `${isoDate.slice(0, 8)}/${v.region}/${v.product}/aliyun_v4_request`;
    const stringToSign = v4StringToSign(isoDate, scope, canonical);
    if (v.canonicalRequestHash) expect(stringToSign.split('\n')[3]).toBe(v.canonicalRequestHash);
    const signature = v4Signature(
      v.accessKeySecret,
      { day: isoDate.slice(0, 8), region: v.region!, product: v.product! },
      stringToSign,
    );
    expect(v.authorization).toMatch(new RegExp(`Signature=${signature}$`));
  });

  it.each(fixture.v4Query.map((v) => [v.id, v] as const))('reproduces presigned vector %s', (_, v) => {
    const isoDate = toIsoCompact(v.time! * 1000);
    const headers = lowerHeaders(v);
    const extra = additional(v, headers);
    const query = queryPairs(v.query);
    query.push(
      ['x-oss-signature-version', 'OSS4-HMAC-SHA256'],
      ['x-oss-credential', `ak/${isoDate.slice(0, 8)}/${v.region}/${v.product}/aliyun_v4_request`],
      ['x-oss-date', isoDate],
      ['x-oss-expires', String(v.expiresSeconds)],
    );
    if (extra.length > 0) query.push(['x-oss-additional-headers', extra.join(';')]);
    const canonical = v4CanonicalRequest({
      method: v.method,
      bucket: v.bucket,
      key: v.key,
      query,
      headers,
      additionalHeaders: extra,
    });
    if (v.canonicalRequest) expect(canonical).toBe(v.canonicalRequest);
    const scope = `${isoDate.slice(0, 8)}/${v.region}/${v.product}/aliyun_v4_request`;
    const stringToSign = v4StringToSign(isoDate, scope, canonical);
    if (v.canonicalRequestHash) expect(stringToSign.split('\n')[3]).toBe(v.canonicalRequestHash);
    const signature = v4Signature(
      v.accessKeySecret,
      { day: isoDate.slice(0, 8), region: v.region!, product: v.product! },
      stringToSign,
    );
    expect(signature).toBe(v.signature);
  });
});
