// ali-oss 6.23 (an independent client) against the emulator over HTTP, once signing V1 and once V4
// (oss-protocol.md §3.5 item 8, issue #3 and #8). Path style on `localhost` (sldEnable) because
// ali-oss refuses to presign for an IP endpoint; one test uses the IP endpoint with its Host rewrite.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import OSS from 'ali-oss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64 } from '../../src/emulator/crc64.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';

const PART_BYTES = 100 * 1024;

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe.each([
  ['V1', false],
  ['V4', true],
])('startEmulator with ali-oss signing %s', (_label, authorizationV4) => {
  let emu: Emulator;
  let client: OSS;
  let dir: string;
  let offsetMs = 0;

  function makeClient(extra: Record<string, unknown>): OSS {
    const { accessKeyId, accessKeySecret } = emu.credentials[0]!;
    return new OSS({
      region: 'oss-cn-hangzhou',
      accessKeyId,
      accessKeySecret,
      bucket: 'dify-oss',
      authorizationV4,
      ...extra,
    } as OSS.Options);
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'emulator-ali-oss-'));
    emu = await startEmulator({ minPartSizeBytes: PART_BYTES, clock: () => Date.now() + offsetMs });
    client = makeClient({ endpoint: `http://localhost:${emu.port}`, sldEnable: true });
  });
  afterAll(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores and returns a Buffer put with its metadata and CRC-64', async () => {
    const body = Buffer.from('hello 世界 +~()');
    await client.put('dir/hello world+.txt', body, {
      mime: 'text/plain; charset=utf-8',
      meta: { author: 'alice' } as unknown as OSS.UserMeta,
      headers: { 'Content-Disposition': 'attachment; filename="a.txt"', 'Cache-Control': 'no-cache' },
    });
    const got = await client.get('dir/hello world+.txt');
    expect(got.content).toEqual(body);
    const head = await client.head('dir/hello world+.txt');
    const headers = head.res.headers as Record<string, string>;
    expect(head.meta).toEqual({ author: 'alice' });
    expect(headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(headers['content-disposition']).toBe('attachment; filename="a.txt"');
    expect(headers['cache-control']).toBe('no-cache');
    expect(headers['x-oss-hash-crc64ecma']).toBe(crc64(body).toString());
    expect(headers.etag).toBe(`"${createHash('md5').update(body).digest('hex').toUpperCase()}"`);
    expect(headers['x-oss-object-type']).toBe('Normal');
  });

  it('stores a chunked putStream of unknown length', async () => {
    const data = randomBytes(300_000);
    await client.putStream('stream.bin', Readable.from([data.subarray(0, 123_456), data.subarray(123_456)]));
    const { stream } = await client.getStream('stream.bin');
    // Buffer.equals: vitest's deep equality walks large buffers byte by byte (seconds for 300 KB).
    expect((await readAll(stream)).equals(data)).toBe(true);
    const entry = emu.requestLog.findLast((e) => e.op === 'PutObject' && e.key === 'stream.bin');
    expect(entry).toMatchObject({ status: 200, auth: authorizationV4 ? 'v4' : 'v1', bytesIn: data.length });
  });

  it('assembles a parallel multipartUpload into one object with a multipart ETag', async () => {
    const data = randomBytes(PART_BYTES * 5 + 777);
    const file = join(dir, `big-${_label}.bin`);
    await writeFile(file, data);
    const before = emu.requestLog.length;
    await client.multipartUpload('big.bin', file, { parallel: 3, partSize: PART_BYTES });
    const parts = emu.requestLog.slice(before).filter((e) => e.op === 'UploadPart');
    expect(parts).toHaveLength(6);
    const head = await client.head('big.bin');
    const headers = head.res.headers as Record<string, string>;
    expect(headers.etag).toMatch(/^"[0-9A-F]{32}-6"$/);
    expect(headers['x-oss-hash-crc64ecma']).toBe(crc64(data).toString());
    expect(headers['x-oss-object-type']).toBe('Multipart');
    const ranged = await client.get('big.bin', {
      headers: { Range: `bytes=${PART_BYTES - 10}-${PART_BYTES + 9}` },
    });
    expect(ranged.res.status).toBe(206);
    expect(ranged.content).toEqual(data.subarray(PART_BYTES - 10, PART_BYTES + 10));
    expect(await emu.listMultipartUploads('dify-oss')).toEqual([]);
  });

  it('lists parts of an open upload and forgets them after abortMultipartUpload', async () => {
    const { uploadId } = await client.initMultipartUpload('aborted.bin');
    await client.uploadPart('aborted.bin', uploadId, 1, join(dir, `big-${_label}.bin`), 0, PART_BYTES);
    const query = { 'max-parts': 1000, 'part-number-marker': 0, 'encoding-type': 'url' };
    const listed = await client.listParts('aborted.bin', uploadId, query);
    // ali-oss (xml2js) gives a lone part as an object, several as an array.
    expect([listed.parts].flat().map((p) => String(p.PartNumber))).toEqual(['1']);
    await client.abortMultipartUpload('aborted.bin', uploadId);
    await expect(client.listParts('aborted.bin', uploadId, query)).rejects.toMatchObject({
      code: 'NoSuchUpload',
      status: 404,
    });
    expect(await emu.listMultipartUploads('dify-oss')).toEqual([]);
  });

  it('serves signed GET URLs to plain fetch, with response-* overrides, until they expire', async () => {
    await client.put('signed/report.md', Buffer.from('# report'));
    const response = {
      'content-disposition': 'attachment; filename="r.md"',
      'content-type': 'text/markdown',
    };
    const url = authorizationV4
      ? await client.signatureUrlV4(
          'GET',
          60,
          {
            queries: {
              'response-content-disposition': response['content-disposition'],
              'response-content-type': response['content-type'],
            },
          },
          'signed/report.md',
        )
      : client.signatureUrl('signed/report.md', {
          expires: 60,
          response: {
            'content-disposition': response['content-disposition'],
            'content-type': response['content-type'],
          },
        });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('# report');
    expect(res.headers.get('content-disposition')).toBe(response['content-disposition']);
    expect(res.headers.get('content-type')).toBe('text/markdown');
    offsetMs = 120_000;
    try {
      const late = await fetch(url);
      expect(late.status).toBe(403);
      expect(await late.text()).toContain('<Message>Request has expired.</Message>');
    } finally {
      offsetMs = 0;
    }
  });

  it('lists with list (V1) and listV2 using prefix and delimiter', async () => {
    for (const key of ['l/a.txt', 'l/b.txt', 'l/sub/c.txt']) await client.put(key, Buffer.from(key));
    const v1 = await client.list({ prefix: 'l/', delimiter: '/', 'max-keys': 10 }, {});
    expect(v1.objects.map((o) => o.name)).toEqual(['l/a.txt', 'l/b.txt']);
    expect(v1.prefixes).toEqual(['l/sub/']);
    const v2 = await client.listV2({ prefix: 'l/', 'max-keys': '2' }, {});
    expect(v2.objects.map((o) => o.name)).toEqual(['l/a.txt', 'l/b.txt']);
    expect(v2.isTruncated).toBe(true);
    const next = await client.listV2(
      { prefix: 'l/', 'max-keys': '2', 'continuation-token': v2.nextContinuationToken },
      {},
    );
    expect(next.objects.map((o) => o.name)).toEqual(['l/sub/c.txt']);
  });

  it('copies server-side and deletes, after which head reports 404', async () => {
    await client.put('copy/src.txt', Buffer.from('copy me'), { mime: 'text/plain' });
    await client.copy('copy/dst.txt', 'copy/src.txt');
    expect((await client.get('copy/dst.txt')).content.toString()).toBe('copy me');
    await client.delete('copy/dst.txt');
    await expect(client.head('copy/dst.txt')).rejects.toMatchObject({ status: 404 });
    const deleteAgain = await client.delete('copy/dst.txt');
    expect(deleteAgain.res.status).toBe(204);
  });

  it('accepts the IP endpoint, where ali-oss rewrites Host to the bucket domain', async () => {
    const ipClient = makeClient({ endpoint: emu.endpoint });
    await ipClient.put('ip/x.txt', Buffer.from('via ip'));
    expect((await ipClient.get('ip/x.txt')).content.toString()).toBe('via ip');
  });
});
