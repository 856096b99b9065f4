// OssClient against the emulator over real HTTP: every operation, odd keys, big streams, presigning.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/server.js';
import type { OssClient } from '../../src/oss/client.js';
import { Crc64Hasher, crc64 } from '../../src/oss/crc64.js';
import {
  clientFor,
  countOps,
  md5,
  patternBytes,
  readAll,
  startTestEmulator,
  unknownLengthStream,
} from './oss-client-helpers.js';

let emu: Emulator;
let clock: { offsetMs: number };
let client: OssClient;
let dir: string;

beforeAll(async () => {
  ({ emu, clock } = await startTestEmulator());
  client = clientFor(emu);
  dir = await mkdtemp(join(tmpdir(), 'oss-client-it-'));
});

afterAll(async () => {
  await client.close();
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

describe('OssClient basic operations', () => {
  it('puts, heads, gets and deletes an object with its metadata', async () => {
    const body = Buffer.from('hello, oss');
    const put = await client.putObject('docs/hello.txt', body, {
      contentDisposition: 'attachment; filename="hello.txt"',
      cacheControl: 'max-age=60',
      meta: { author: 'tester' },
    });
    expect(put).toMatchObject({
      key: 'docs/hello.txt',
      size: body.length,
      multipart: false,
      crc64: crc64(body).toString(),
    });
    const head = await client.headObject('docs/hello.txt');
    expect(head).toMatchObject({
      size: body.length,
      contentType: 'text/plain',
      etag: put.etag,
      crc64: put.crc64,
      contentDisposition: 'attachment; filename="hello.txt"',
      meta: { author: 'tester' },
    });
    const got = await client.getObject('docs/hello.txt');
    expect(got.status).toBe(200);
    expect((await readAll(got.body)).toString()).toBe('hello, oss');
    await client.deleteObject('docs/hello.txt');
    await expect(client.headObject('docs/hello.txt')).rejects.toMatchObject({ code: 'OSS_NO_SUCH_KEY' });
  });

  it('returns a byte range with status 206 and the full size', async () => {
    await client.putObject('range.bin', Buffer.from('0123456789'));
    const got = await client.getObject('range.bin', { range: [2, 5] });
    expect(got.status).toBe(206);
    expect(got.size).toBe(10);
    expect((await readAll(got.body)).toString()).toBe('2345');
  });

  it('releases the connection at once when the reader destroys the body early', async () => {
    await client.putObject('early/big.bin', Buffer.alloc(8 * 1024 * 1024, 1));
    const before = emu.requestLog.length;
    const got = await client.getObject('early/big.bin');
    got.body.destroy();
    // The emulator logs a request when its response closes: with the socket left open it would not
    // close before the client's idle timeout (60 s), far past this test's timeout.
    await expect
      .poll(() => emu.requestLog.slice(before).some((entry) => entry.op === 'GetObject'), { timeout: 10_000 })
      .toBe(true);
  });

  it('round-trips keys with spaces, +, ~, (), #, ?, %, CJK and a trailing slash', async () => {
    const keys = [
      'odd/sp ace.txt',
      'odd/plus+sign',
      'odd/tilde~',
      'odd/(paren)',
      'odd/hash#q?x',
      'odd/100%25%',
      'odd/中文/文件.txt',
      'odd/folder/',
    ];
    for (const key of keys) await client.putObject(key, Buffer.from(`body of ${key}`));
    for (const key of keys)
      expect((await readAll((await client.getObject(key)).body)).toString()).toBe(`body of ${key}`);
    const listed = await client.listObjectsV2({ prefix: 'odd/' });
    expect(listed.objects.map((o) => o.key).sort()).toEqual([...keys].sort());
  });

  it('lists with a delimiter as common prefixes and pages with a continuation token', async () => {
    for (const key of ['list/a/1', 'list/a/2', 'list/b/1', 'list/c'])
      await client.putObject(key, Buffer.from('x'));
    const top = await client.listObjectsV2({ prefix: 'list/', delimiter: '/' });
    expect(top.commonPrefixes).toEqual(['list/a/', 'list/b/']);
    expect(top.objects.map((o) => o.key)).toEqual(['list/c']);
    const first = await client.listObjectsV2({ prefix: 'list/', maxKeys: 2 });
    expect(first.isTruncated).toBe(true);
    const second = await client.listObjectsV2({
      prefix: 'list/',
      maxKeys: 2,
      continuationToken: first.nextContinuationToken!,
    });
    expect([...first.objects, ...second.objects].map((o) => o.key)).toEqual([
      'list/a/1',
      'list/a/2',
      'list/b/1',
      'list/c',
    ]);
  });

  it('copies an object server-side keeping its bytes and CRC', async () => {
    const body = patternBytes(300_000, 7);
    const put = await client.putObject('copy/src.bin', body);
    const copied = await client.copyObject('copy/src.bin', 'copy/dst.bin');
    expect(copied).toMatchObject({ key: 'copy/dst.bin', crc64: put.crc64, size: body.length });
    expect(md5(await readAll((await client.getObject('copy/dst.bin')).body))).toBe(md5(body));
  });

  it('uploads a file by path as one PUT below the threshold and multipart above it', async () => {
    const small = join(dir, 'small.bin');
    const large = join(dir, 'large.bin');
    const smallBody = patternBytes(50_000, 3);
    const largeBody = patternBytes(700_000, 4);
    await writeFile(small, smallBody);
    await writeFile(large, largeBody);
    const fileClient = clientFor(emu, { singlePutThresholdBytes: 200_000, partSizeBytes: 200 * 1024 });
    try {
      expect(await fileClient.upload('file/small.bin', { path: small })).toMatchObject({
        multipart: false,
        size: 50_000,
      });
      const big = await fileClient.upload('file/large.bin', { path: large });
      expect(big).toMatchObject({ multipart: true, size: 700_000, crc64: crc64(largeBody).toString() });
      expect(md5(await readAll((await fileClient.getObject('file/large.bin')).body))).toBe(md5(largeBody));
    } finally {
      await fileClient.close();
    }
  });

  it('fails with OSS_FILE_ALREADY_EXISTS when forbid-overwrite meets an existing key', async () => {
    await client.putObject('fo/exists.txt', Buffer.from('one'));
    await expect(
      client.putObject('fo/exists.txt', Buffer.from('two'), { forbidOverwrite: true }),
    ).rejects.toMatchObject({
      code: 'OSS_FILE_ALREADY_EXISTS',
      details: { ossCode: 'FileAlreadyExists', status: 409 },
    });
    expect((await readAll((await client.getObject('fo/exists.txt')).body)).toString()).toBe('one');
  });
});

describe('OssClient multipart', () => {
  it('uploads 64 MiB from a stream of unknown length with bounded parts and an exact CRC', async () => {
    const total = 64 * 1024 * 1024;
    const progress: number[] = [];
    const result = await client.upload('mp/64mib.bin', unknownLengthStream(total, 1024 * 1024, 9), {
      onProgress: (p) => progress.push(p.loadedBytes),
    });
    const hasher = new Crc64Hasher();
    for await (const chunk of unknownLengthStream(total, 1024 * 1024, 9)) hasher.update(chunk);
    const expectedCrc = hasher.digest();
    expect(result).toMatchObject({ multipart: true, size: total, crc64: expectedCrc.toString() });
    expect(countOps(emu, 'UploadPart')).toBeGreaterThanOrEqual(8);
    expect(progress.at(-1)).toBe(total);
    const head = await client.headObject('mp/64mib.bin');
    expect(head).toMatchObject({ size: total, crc64: expectedCrc.toString() });
    const download = await client.getObject('mp/64mib.bin');
    let bytes = 0;
    for await (const chunk of download.body) bytes += chunk.length;
    expect(bytes).toBe(total);
    expect(await emu.listMultipartUploads('test-bucket')).toEqual([]);
  });

  it('drives the multipart primitives: initiate, parts, list, complete', async () => {
    const a = patternBytes(150 * 1024, 11);
    const b = patternBytes(10, 12);
    const uploadId = await client.initiateMultipartUpload('prim/obj.bin', {
      contentType: 'application/x-test',
    });
    expect((await client.listMultipartUploads({ prefix: 'prim/' })).map((u) => u.uploadId)).toContain(
      uploadId,
    );
    const p1 = await client.uploadPart('prim/obj.bin', uploadId, 1, a);
    const p2 = await client.uploadPart('prim/obj.bin', uploadId, 2, b);
    const parts = await client.listParts('prim/obj.bin', uploadId);
    expect(parts.map((p) => [p.partNumber, p.size])).toEqual([
      [1, a.length],
      [2, b.length],
    ]);
    const done = await client.completeMultipartUpload('prim/obj.bin', uploadId, [
      { partNumber: 2, etag: p2.etag },
      { partNumber: 1, etag: p1.etag },
    ]);
    expect(done).toMatchObject({
      multipart: true,
      size: a.length + b.length,
      crc64: crc64(Buffer.concat([a, b])).toString(),
    });
    expect((await client.headObject('prim/obj.bin')).contentType).toBe('application/x-test');
  });

  it('leaves nothing behind when an upload is aborted explicitly', async () => {
    const uploadId = await client.initiateMultipartUpload('prim/aborted.bin');
    await client.uploadPart('prim/aborted.bin', uploadId, 1, patternBytes(1000));
    await client.abortMultipartUpload('prim/aborted.bin', uploadId);
    await expect(client.listParts('prim/aborted.bin', uploadId)).rejects.toMatchObject({
      code: 'OSS_NO_SUCH_UPLOAD',
    });
    expect(
      (await emu.listMultipartUploads('test-bucket')).filter((u) => u.key === 'prim/aborted.bin'),
    ).toEqual([]);
  });

  it('aborts the upload when the caller cancels, leaving no upload in progress', async () => {
    const controller = new AbortController();
    const upload = client.upload('mp/cancelled.bin', unknownLengthStream(8 * 1024 * 1024, 64 * 1024), {
      partSizeBytes: 512 * 1024,
      concurrency: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.loadedBytes >= 1024 * 1024) controller.abort();
      },
    });
    const error = await upload.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'CANCELLED', details: { key: 'mp/cancelled.bin' } });
    expect((error as { details: { uploadId?: string } }).details.uploadId).toEqual(expect.any(String));
    expect(countOps(emu, 'AbortMultipartUpload')).toBeGreaterThanOrEqual(1);
    expect(await emu.listMultipartUploads('test-bucket')).toEqual([]);
    expect(await client.listMultipartUploads()).toEqual([]);
  });
});

describe('OssClient presign and signatures', () => {
  it('gives a presigned GET that works until it expires, then AccessDenied', async () => {
    await client.putObject('ps/a b.txt', Buffer.from('presigned'));
    const { url, expiresAt } = client.presign({ key: 'ps/a b.txt', expiresSeconds: 60 });
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('presigned');
    clock.offsetMs = 61_000;
    try {
      const expired = await fetch(url);
      expect(expired.status).toBe(403);
      expect(await expired.text()).toContain('<Code>AccessDenied</Code>');
    } finally {
      clock.offsetMs = 0;
    }
  });

  it('gives a presigned PUT that accepts exactly the signed Content-Type', async () => {
    const { url } = client.presign({
      key: 'ps/put.txt',
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
    });
    const put = await fetch(url, {
      method: 'PUT',
      body: 'via url',
      headers: { 'content-type': 'text/plain' },
    });
    expect(put.status).toBe(200);
    expect((await readAll((await client.getObject('ps/put.txt')).body)).toString()).toBe('via url');
    const wrongType = await fetch(url, {
      method: 'PUT',
      body: 'x',
      headers: { 'content-type': 'image/png' },
    });
    expect(wrongType.status).toBe(403);
  });

  it('rejects a tampered presigned signature and a wrong secret', async () => {
    await client.putObject('ps/t.txt', Buffer.from('t'));
    const { url } = client.presign({ key: 'ps/t.txt' });
    const tampered = url.replace(
      /x-oss-signature=([0-9a-f])/,
      (_m, c: string) => `x-oss-signature=${c === 'a' ? 'b' : 'a'}`,
    );
    const response = await fetch(tampered);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('SignatureDoesNotMatch');
    const wrong = clientFor(emu, { accessKeySecret: 'not-the-secret' });
    try {
      await expect(wrong.headObject('ps/t.txt')).rejects.toMatchObject({ code: 'OSS_SIGNATURE_MISMATCH' });
      const error = await wrong.putObject('ps/t2.txt', Buffer.from('x')).catch((e: unknown) => e);
      expect(JSON.stringify(error)).not.toContain('not-the-secret');
      expect(String((error as Error).message)).not.toMatch(/OSS4-HMAC-SHA256|StringToSign/);
    } finally {
      await wrong.close();
    }
  });

  it('rejects expiresSeconds outside 1..604800 with INVALID_ARGUMENT', () => {
    expect(() => client.presign({ key: 'k', expiresSeconds: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => client.presign({ key: 'k', expiresSeconds: 604_801 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
