// Raw HTTP behaviour of the emulator: OSS error shapes, HEAD x-oss-err, skew, STS, forbid-overwrite,
// Content-MD5, key rules, limits, Range and conditions, ACLs, addressing, multipart rules, listing
// pagination and persistence across restarts (oss-protocol.md §2.9-§2.12, §3.5).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toIsoCompact } from '../../src/emulator/auth-checks.js';
import { crc64 } from '../../src/emulator/crc64.js';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/server.js';
import { rawRequest, type SignedRequestInput, signedRequest, xmlField } from './emulator-raw-client.js';

let emu: Emulator;
const offsetMs = 0;
const STS = { accessKeyId: 'STS.test', accessKeySecret: 'sts-secret', securityToken: 'tok-1' };
beforeAll(async () => {
  emu = await startEmulator({
    buckets: ['dify-oss', { name: 'public', acl: 'public-read' }],
    credentials: [{ accessKeyId: 'emulator-access-key', accessKeySecret: 'emulator-secret' }, STS],
    clock: () => Date.now() + offsetMs,
    minPartSizeBytes: 1024,
    maxPutBytes: 64 * 1024,
    cnames: { 'files.example.com': 'dify-oss' },
  });
});
afterAll(() => emu.close());

const send = (input: Omit<SignedRequestInput, 'credential' | 'bucket'> & { bucket?: string }) =>
  signedRequest(emu.endpoint, { bucket: 'dify-oss', credential: emu.credentials[0]!, ...input });

describe('startEmulator error shapes', () => {
  it('answers a missing key with OSS error XML and the common headers', async () => {
    const res = await send({ method: 'GET', key: 'missing.txt' });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/xml');
    expect(res.headers.server).toBe('AliyunOSS');
    expect(res.headers.date).toBeTruthy();
    expect(res.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
    expect(res.headers['x-oss-ec']).toBe('0026-00000001');
    expect(xmlField(res.text, 'Code')).toBe('NoSuchKey');
    expect(xmlField(res.text, 'RequestId')).toBe(res.headers['x-oss-request-id']);
    expect(xmlField(res.text, 'HostId')).toBe(new URL(emu.endpoint).host);
    expect(xmlField(res.text, 'Key')).toBe('missing.txt');
    expect(xmlField(res.text, 'EC')).toBe('0026-00000001');
  });

  it('puts the error of a HEAD into x-oss-err as base64 XML with no body', async () => {
    const res = await send({ method: 'HEAD', key: 'missing.txt' });
    expect(res.status).toBe(404);
    expect(res.body.length).toBe(0);
    const xml = Buffer.from(String(res.headers['x-oss-err']), 'base64').toString('utf8');
    expect(xmlField(xml, 'Code')).toBe('NoSuchKey');
    expect(res.headers['x-oss-ec']).toBe('0026-00000001');
  });

  it('rejects a request 20 minutes old with RequestTimeTooSkewed and both times', async () => {
    const res = await send({ method: 'GET', key: 'x', time: Date.now() - 20 * 60_000 });
    expect(res.status).toBe(403);
    expect(xmlField(res.text, 'Code')).toBe('RequestTimeTooSkewed');
    expect(xmlField(res.text, 'RequestTime')).toMatch(/^\d{8}T\d{6}Z$/);
    expect(xmlField(res.text, 'ServerTime')).toBeTruthy();
  });

  it('rejects a wrong secret with SignatureDoesNotMatch and the StringToSign', async () => {
    const res = await signedRequest(emu.endpoint, {
      method: 'GET',
      bucket: 'dify-oss',
      key: 'x',
      credential: { accessKeyId: 'emulator-access-key', accessKeySecret: 'wrong' },
    });
    expect(xmlField(res.text, 'Code')).toBe('SignatureDoesNotMatch');
    expect(xmlField(res.text, 'StringToSign')).toMatch(/^OSS4-HMAC-SHA256\n/);
    expect(xmlField(res.text, 'OSSAccessKeyId')).toBe('emulator-access-key');
  });

  it('rejects an unknown access key id with InvalidAccessKeyId', async () => {
    const res = await signedRequest(emu.endpoint, {
      method: 'GET',
      bucket: 'dify-oss',
      key: 'x',
      credential: { accessKeyId: 'nobody', accessKeySecret: 's' },
    });
    expect(xmlField(res.text, 'Code')).toBe('InvalidAccessKeyId');
  });

  it('requires the STS token of an STS key and accepts it when present', async () => {
    const { securityToken: _token, ...withoutToken } = STS;
    const missing = await signedRequest(emu.endpoint, {
      method: 'GET',
      bucket: 'dify-oss',
      key: 'x',
      credential: withoutToken,
    });
    expect(xmlField(missing.text, 'Code')).toBe('InvalidSecurityToken');
    const ok = await signedRequest(emu.endpoint, {
      method: 'GET',
      bucket: 'dify-oss',
      key: 'x',
      credential: STS,
    });
    expect(xmlField(ok.text, 'Code')).toBe('NoSuchKey');
  });

  it('refuses V4 presigned URLs valid for more than 604800 seconds', async () => {
    const iso = toIsoCompact(Date.now());
    const path = `/dify-oss/x?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=emulator-access-key%2F${iso.slice(0, 8)}%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=${iso}&x-oss-expires=604801&x-oss-signature=00`;
    const res = await rawRequest(emu.endpoint, { method: 'GET', path });
    expect(xmlField(res.text, 'Code')).toBe('InvalidArgument');
    expect(xmlField(res.text, 'EC')).toBe('0002-00000232');
  });
});

describe('startEmulator objects', () => {
  it('answers 409 FileAlreadyExists when x-oss-forbid-overwrite meets an existing key', async () => {
    await send({ method: 'PUT', key: 'once.txt', body: 'first' });
    const res = await send({
      method: 'PUT',
      key: 'once.txt',
      body: 'second',
      headers: { 'x-oss-forbid-overwrite': 'true' },
    });
    expect(res.status).toBe(409);
    expect(xmlField(res.text, 'Code')).toBe('FileAlreadyExists');
    expect((await send({ method: 'GET', key: 'once.txt' })).text).toBe('first');
    const bad = await send({
      method: 'PUT',
      key: 'once.txt',
      body: 'x',
      headers: { 'x-oss-forbid-overwrite': 'maybe' },
    });
    expect(xmlField(bad.text, 'EC')).toBe('0017-00000279');
  });

  it('rejects a body whose Content-MD5 differs with InvalidDigest and stores nothing', async () => {
    const md5 = createHash('md5').update('other').digest('base64');
    const res = await send({
      method: 'PUT',
      key: 'digest.txt',
      body: 'data',
      headers: { 'content-md5': md5 },
    });
    expect(xmlField(res.text, 'Code')).toBe('InvalidDigest');
    expect((await send({ method: 'HEAD', key: 'digest.txt' })).status).toBe(404);
  });

  it('enforces the key rules: leading slash and more than 1023 bytes', async () => {
    const slash = await send({ method: 'PUT', key: '/lead', body: 'x' });
    expect(xmlField(slash.text, 'EC')).toBe('0016-00000005');
    const long = await send({ method: 'PUT', key: 'k'.repeat(1024), body: 'x' });
    expect(xmlField(long.text, 'EC')).toBe('0016-00000002');
  });

  it('answers EntityTooLarge above maxPutBytes and stores nothing', async () => {
    const res = await send({ method: 'PUT', key: 'big.bin', body: randomBytes(64 * 1024 + 1) });
    expect(xmlField(res.text, 'Code')).toBe('EntityTooLarge');
    expect(await emu.listObjects('dify-oss', 'big.bin')).toEqual([]);
  });

  it('serves ranges with 206, suffix ranges, 416 past the end and the whole body for bad syntax', async () => {
    await send({ method: 'PUT', key: 'range.txt', body: '0123456789' });
    const part = await send({ method: 'GET', key: 'range.txt', headers: { range: 'bytes=2-4' } });
    expect([part.status, part.text, part.headers['content-range']]).toEqual([206, '234', 'bytes 2-4/10']);
    expect(part.headers['x-oss-hash-crc64ecma']).toBe(crc64(Buffer.from('0123456789')).toString());
    expect((await send({ method: 'GET', key: 'range.txt', headers: { range: 'bytes=-3' } })).text).toBe(
      '789',
    );
    expect((await send({ method: 'GET', key: 'range.txt', headers: { range: 'bytes=10-' } })).status).toBe(
      416,
    );
    expect((await send({ method: 'GET', key: 'range.txt', headers: { range: 'bytes=x' } })).status).toBe(200);
  });

  it('answers conditional GETs with 304 and 412', async () => {
    const put = await send({ method: 'PUT', key: 'cond.txt', body: 'c' });
    const etag = String(put.headers.etag);
    expect((await send({ method: 'GET', key: 'cond.txt', headers: { 'if-none-match': etag } })).status).toBe(
      304,
    );
    const failed = await send({ method: 'GET', key: 'cond.txt', headers: { 'if-match': '"0000"' } });
    expect([failed.status, xmlField(failed.text, 'Code')]).toEqual([412, 'PreconditionFailed']);
    expect((await send({ method: 'GET', key: 'cond.txt', headers: { 'if-match': etag } })).status).toBe(200);
  });

  it('defaults Content-Type to application/octet-stream and deletes missing keys with 204', async () => {
    await send({ method: 'PUT', key: 'typeless', body: 'x' });
    expect((await send({ method: 'HEAD', key: 'typeless' })).headers['content-type']).toBe(
      'application/octet-stream',
    );
    expect((await send({ method: 'DELETE', key: 'never-there' })).status).toBe(204);
  });
});

describe('startEmulator access and addressing', () => {
  it('denies anonymous reads on a private bucket and allows them on a public-read one', async () => {
    await send({ method: 'PUT', key: 'p.txt', body: 'private' });
    await send({ method: 'PUT', bucket: 'public', key: 'p.txt', body: 'public' });
    const denied = await rawRequest(emu.endpoint, { method: 'GET', path: '/dify-oss/p.txt' });
    expect([denied.status, xmlField(denied.text, 'Code')]).toEqual([403, 'AccessDenied']);
    const allowed = await rawRequest(emu.endpoint, { method: 'GET', path: '/public/p.txt' });
    expect([allowed.status, allowed.text]).toEqual([200, 'public']);
    const write = await rawRequest(emu.endpoint, { method: 'PUT', path: '/public/w.txt', body: 'x' });
    expect(write.status).toBe(403);
  });

  it('reads the bucket from virtual-hosted and CNAME Host headers', async () => {
    await send({ method: 'PUT', bucket: 'public', key: 'v.txt', body: 'vhost' });
    for (const host of [`public.localhost:${emu.port}`, 'public.oss-cn-hangzhou.aliyuncs.com']) {
      const res = await rawRequest(emu.endpoint, { method: 'GET', path: '/v.txt', headers: { host } });
      expect(res.text).toBe('vhost');
    }
    const viaCname = await rawRequest(emu.endpoint, {
      method: 'GET',
      path: '/p.txt',
      headers: { host: 'files.example.com' },
    });
    expect(xmlField(viaCname.text, 'Code')).toBe('AccessDenied'); // dify-oss is private: the bucket was found
  });

  it('answers path style with SecondLevelDomainForbidden in strict mode', async () => {
    const strict = await startEmulator({ strictVirtualHost: true });
    try {
      const res = await rawRequest(strict.endpoint, { method: 'GET', path: '/dify-oss/x' });
      expect(xmlField(res.text, 'Code')).toBe('SecondLevelDomainForbidden');
    } finally {
      await strict.close();
    }
  });
});

async function initiate(key: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await send({ method: 'POST', key, query: { uploads: null }, headers });
  return xmlField(res.text, 'UploadId')!;
}

async function part(key: string, uploadId: string, n: number, body: Buffer): Promise<string> {
  const res = await send({ method: 'PUT', key, query: { partNumber: String(n), uploadId }, body });
  expect(res.headers['x-oss-hash-crc64ecma']).toBe(crc64(body).toString());
  return String(res.headers.etag);
}

function completeXml(parts: Array<[number, string]>): string {
  return `<CompleteMultipartUpload>${parts.map(([n, e]) => `<Part><PartNumber>${n}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
}

describe('startEmulator multipart', () => {
  it('checks order and part size only at Complete and gives the whole-object CRC', async () => {
    const id = await initiate('mp.bin');
    const a = randomBytes(2000);
    const b = randomBytes(500);
    const c = randomBytes(10);
    const ea = await part('mp.bin', id, 1, a);
    const eb = await part('mp.bin', id, 2, b);
    const ec = await part('mp.bin', id, 3, c);
    const disorder = await send({
      method: 'POST',
      key: 'mp.bin',
      query: { uploadId: id },
      body: completeXml([
        [2, eb],
        [1, ea],
      ]),
    });
    expect(xmlField(disorder.text, 'Code')).toBe('InvalidPartOrder');
    const small = await send({
      method: 'POST',
      key: 'mp.bin',
      query: { uploadId: id },
      body: completeXml([
        [1, ea],
        [2, eb],
        [3, ec],
      ]),
    });
    expect(xmlField(small.text, 'Code')).toBe('EntityTooSmall');
    const done = await send({
      method: 'POST',
      key: 'mp.bin',
      query: { uploadId: id, 'encoding-type': 'url' },
      body: completeXml([
        [1, ea],
        [2, eb],
      ]),
    });
    expect(done.status).toBe(200);
    expect(done.headers['x-oss-hash-crc64ecma']).toBe(crc64(Buffer.concat([a, b])).toString());
    expect(xmlField(done.text, 'ETag')).toMatch(/^"[0-9A-F]{32}-2"$/);
    const got = await send({ method: 'GET', key: 'mp.bin' });
    expect(got.body.equals(Buffer.concat([a, b]))).toBe(true);
    expect(await emu.listMultipartUploads('dify-oss')).toEqual([]);
  });

  it('completes with every uploaded part on x-oss-complete-all and copies ranges with UploadPartCopy', async () => {
    const source = randomBytes(3000);
    await send({ method: 'PUT', key: 'src.bin', body: source });
    const id = await initiate('copied.bin');
    const copy = await send({
      method: 'PUT',
      key: 'copied.bin',
      query: { partNumber: '1', uploadId: id },
      headers: { 'x-oss-copy-source': '/dify-oss/src.bin', 'x-oss-copy-source-range': 'bytes=0-1499' },
    });
    expect(xmlField(copy.text, 'ETag')).toBeTruthy();
    await part('copied.bin', id, 2, source.subarray(1500));
    const done = await send({
      method: 'POST',
      key: 'copied.bin',
      query: { uploadId: id },
      headers: { 'x-oss-complete-all': 'yes' },
    });
    expect(done.status).toBe(200);
    expect((await send({ method: 'GET', key: 'copied.bin' })).body.equals(source)).toBe(true);
  });

  it('answers NoSuchUpload after abort', async () => {
    const id = await initiate('gone.bin');
    expect((await send({ method: 'DELETE', key: 'gone.bin', query: { uploadId: id } })).status).toBe(204);
    const listed = await send({ method: 'GET', key: 'gone.bin', query: { uploadId: id } });
    expect(xmlField(listed.text, 'Code')).toBe('NoSuchUpload');
  });
});

describe('startEmulator listing', () => {
  it('pages 250 keys with ListObjectsV2 continuation tokens', async () => {
    for (let i = 0; i < 250; i++)
      await send({ method: 'PUT', key: `many/${String(i).padStart(3, '0')}`, body: '' });
    const seen: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 5; page++) {
      const query: Record<string, string | null> = { 'list-type': '2', prefix: 'many/', 'max-keys': '100' };
      if (token) query['continuation-token'] = token;
      const res = await send({ method: 'GET', query });
      seen.push(...[...res.text.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]!));
      token = xmlField(res.text, 'NextContinuationToken');
      if (xmlField(res.text, 'IsTruncated') === 'false') break;
    }
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    expect(token).toBeUndefined();
  });

  it('groups common prefixes and URL-encodes keys with encoding-type=url', async () => {
    await send({ method: 'PUT', key: 'enc/a b/c.txt', body: '' });
    await send({ method: 'PUT', key: 'enc/中.txt', body: '' });
    const res = await send({
      method: 'GET',
      query: { 'list-type': '2', prefix: 'enc/', delimiter: '/', 'encoding-type': 'url' },
    });
    expect(xmlField(res.text, 'Key')).toBe(encodeURIComponent('enc/中.txt'));
    expect(xmlField(res.text, 'CommonPrefixes')).toBe(`<Prefix>${encodeURIComponent('enc/a b/')}</Prefix>`);
  });
});

describe('startEmulator persistence', () => {
  it('keeps objects and open uploads across a restart on the same dataDir', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'emulator-persist-'));
    const options: EmulatorOptions = { dataDir, credentials: [{ accessKeyId: 'a', accessKeySecret: 's' }] };
    try {
      const first = await startEmulator(options);
      const credential = first.credentials[0]!;
      await signedRequest(first.endpoint, {
        method: 'PUT',
        bucket: 'dify-oss',
        key: 'kept.txt',
        body: 'kept',
        credential,
      });
      const init = await signedRequest(first.endpoint, {
        method: 'POST',
        bucket: 'dify-oss',
        key: 'open.bin',
        query: { uploads: null },
        credential,
      });
      await first.close();
      const second = await startEmulator(options);
      try {
        const got = await signedRequest(second.endpoint, {
          method: 'GET',
          bucket: 'dify-oss',
          key: 'kept.txt',
          credential,
        });
        expect(got.text).toBe('kept');
        expect(await second.listMultipartUploads('dify-oss')).toEqual([
          { key: 'open.bin', uploadId: xmlField(init.text, 'UploadId') },
        ]);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('answers 507 InsufficientStorage when maxStoreBytes would be exceeded', async () => {
    const small = await startEmulator({ maxStoreBytes: 100 });
    try {
      const res = await signedRequest(small.endpoint, {
        method: 'PUT',
        bucket: 'dify-oss',
        key: 'f',
        body: randomBytes(101),
        credential: small.credentials[0]!,
      });
      expect([res.status, xmlField(res.text, 'Code')]).toEqual([507, 'InsufficientStorage']);
    } finally {
      await small.close();
    }
  });
});
