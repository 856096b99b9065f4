// §3.5 item 8: every §2.8 vector (shared fixture) replayed as a real HTTP request with the emulator's
// clock set to the vector's time. Accepted = the request got past authentication; a one-character
// change to the signature must be rejected with the vector's exact StringToSign.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toIsoCompact } from '../../src/emulator/auth-checks.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { rfc3986Encode } from '../../src/emulator/signature-v4.js';
import { encodeQuery, type RawResponse, rawRequest, xmlField } from './emulator-raw-client.js';

interface Vector {
  id: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  method: string;
  bucket: string;
  key?: string;
  query: Record<string, string | null>;
  headers?: Record<string, string>;
  stringToSign?: string;
  signature?: string;
  authorization?: string;
  expires?: number;
  region?: string;
  time?: number;
  expiresSeconds?: number;
  additionalHeaders?: string[];
}
const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/oss-signing-vectors.json'), 'utf8'),
) as Record<'v1Header' | 'v1Query' | 'v4Header' | 'v4Query', Vector[]>;

const AUTH_ERRORS = [
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'RequestTimeTooSkewed',
  'AccessDenied',
  'InvalidArgument',
];

let clockMs = 0;
let emu: Emulator;
let stsEmu: Emulator;
beforeAll(async () => {
  stsEmu = await startEmulator({
    buckets: ['examplebucket', 'bucket'],
    credentials: [{ accessKeyId: 'ak', accessKeySecret: 'sk', securityToken: 'token' }],
    clock: () => clockMs,
  });
  emu = await startEmulator({
    buckets: ['oss-example', 'examplebucket', 'bucket'],
    credentials: [
      { accessKeyId: '44CF9590006BF252F707', accessKeySecret: 'OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV' },
      { accessKeyId: 'ak', accessKeySecret: 'sk' },
    ],
    clock: () => clockMs,
  });
});
afterAll(async () => {
  await emu.close();
  await stsEmu.close();
});

function pathOf(v: Vector): string {
  return `/${v.bucket}/${rfc3986Encode(v.key ?? '', true)}`;
}

function expectAccepted(res: RawResponse): void {
  expect(AUTH_ERRORS).not.toContain(xmlField(res.text, 'Code'));
  expect(res.status).not.toBe(403);
}

function tamper(signature: string): string {
  return (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
}

describe('startEmulator signature verification over HTTP', () => {
  it.each(fixture.v1Header.map((v) => [v.id, v] as const))('accepts V1 header vector %s', async (_, v) => {
    const headers = { ...v.headers! };
    clockMs = Date.parse(headers.Date ?? headers['x-oss-date']!);
    const qs = encodeQuery(v.query);
    const path = `${pathOf(v)}${qs ? `?${qs}` : ''}`;
    const ok = await rawRequest(emu.endpoint, {
      method: v.method,
      path,
      headers: { ...headers, authorization: v.authorization! },
    });
    expectAccepted(ok);
    const bad = await rawRequest(emu.endpoint, {
      method: v.method,
      path,
      headers: {
        ...headers,
        authorization: v.authorization!.replace(/:(.)/, (_m, c: string) => `:${c === 'A' ? 'B' : 'A'}`),
      },
    });
    expect(xmlField(bad.text, 'Code')).toBe('SignatureDoesNotMatch');
    expect(xmlField(bad.text, 'StringToSign')).toBe(v.stringToSign);
  });

  it.each(fixture.v1Query.map((v) => [v.id, v] as const))('accepts V1 presigned vector %s', async (_, v) => {
    clockMs = (v.expires! - 60) * 1000;
    const auth = (signature: string): Record<string, string | null> => ({
      ...v.query,
      OSSAccessKeyId: v.accessKeyId,
      Expires: String(v.expires),
      Signature: signature,
      ...(v.securityToken ? { 'security-token': v.securityToken } : {}),
    });
    const target = v.securityToken ? stsEmu : emu;
    const ok = await rawRequest(target.endpoint, {
      method: v.method,
      path: `${pathOf(v)}?${encodeQuery(auth(v.signature!))}`,
    });
    expectAccepted(ok);
    const bad = await rawRequest(target.endpoint, {
      method: v.method,
      path: `${pathOf(v)}?${encodeQuery(auth(tamper(v.signature!)))}`,
    });
    expect(xmlField(bad.text, 'Code')).toBe('SignatureDoesNotMatch');
    expect(xmlField(bad.text, 'StringToSign')).toBe(v.stringToSign);
  });

  it.each(fixture.v4Header.filter((v) => v.region === 'cn-hangzhou').map((v) => [v.id, v] as const))(
    'accepts V4 header vector %s',
    async (_, v) => {
      clockMs = v.time! * 1000;
      const qs = encodeQuery(v.query);
      const headers = { ...v.headers!, 'x-oss-date': toIsoCompact(clockMs), 'content-length': '0' };
      const path = `${pathOf(v)}${qs ? `?${qs}` : ''}`;
      const ok = await rawRequest(emu.endpoint, {
        method: v.method,
        path,
        headers: { ...headers, authorization: v.authorization! },
      });
      expectAccepted(ok);
      expect(ok.status).toBe(200);
      const forged = v.authorization!.replace(
        /Signature=(.)/,
        (_m, c: string) => `Signature=${c === 'a' ? 'b' : 'a'}`,
      );
      const bad = await rawRequest(emu.endpoint, {
        method: v.method,
        path,
        headers: { ...headers, authorization: forged },
      });
      expect(xmlField(bad.text, 'Code')).toBe('SignatureDoesNotMatch');
      expect(xmlField(bad.text, 'StringToSign')).toContain(`${toIsoCompact(clockMs)}\n`);
    },
  );

  it.each(fixture.v4Query.filter((v) => v.region === 'cn-hangzhou').map((v) => [v.id, v] as const))(
    'accepts V4 presigned vector %s',
    async (_, v) => {
      clockMs = v.time! * 1000 + 1000;
      const isoDate = toIsoCompact(v.time! * 1000);
      const query = (signature: string): string =>
        encodeQuery({
          ...v.query,
          'x-oss-signature-version': 'OSS4-HMAC-SHA256',
          'x-oss-credential': `ak/${isoDate.slice(0, 8)}/cn-hangzhou/oss/aliyun_v4_request`,
          'x-oss-date': isoDate,
          'x-oss-expires': String(v.expiresSeconds),
          'x-oss-signature': signature,
        });
      const headers = { ...(v.headers ?? {}), 'content-length': '0' };
      const ok = await rawRequest(emu.endpoint, {
        method: v.method,
        path: `${pathOf(v)}?${query(v.signature!)}`,
        headers,
      });
      expectAccepted(ok);
      const bad = await rawRequest(emu.endpoint, {
        method: v.method,
        path: `${pathOf(v)}?${query(tamper(v.signature!))}`,
        headers,
      });
      expect(xmlField(bad.text, 'Code')).toBe('SignatureDoesNotMatch');
      clockMs = (v.time! + v.expiresSeconds! + 1) * 1000;
      const late = await rawRequest(emu.endpoint, {
        method: v.method,
        path: `${pathOf(v)}?${query(v.signature!)}`,
        headers,
      });
      expect(xmlField(late.text, 'Message')).toBe('Request has expired.');
    },
  );
});
