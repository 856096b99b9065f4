// sign_url against the emulator: the URLs it returns are used by plain HTTP, as a browser or another
// service would, with and without the signed headers, on the endpoint and on a custom domain.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSettings } from '../../src/config/settings.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { OssClient } from '../../src/oss/client.js';
import { jsonOf, runTool } from './tools-harness.js';

const BUCKET = 'sign-test';
const DOMAIN = 'files.example.test';
let emulator: Emulator;
let client: OssClient;
let clockOffsetMs = 0;

function settings(extra: Record<string, unknown> = {}) {
  const credential = emulator.credentials[0]!;
  return parseSettings({
    access_key_id: credential.accessKeyId,
    access_key_secret: credential.accessKeySecret,
    endpoint: emulator.endpoint,
    bucket: BUCKET,
    region: emulator.region,
    ...extra,
  });
}

async function signed(params: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return jsonOf(await runTool('sign_url', params, settings(extra)));
}

/** Plain HTTP to the emulator; `host` overrides the Host header (custom-domain URLs). */
function send(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: Buffer,
  host?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: emulator.port,
        method,
        path: `${target.pathname}${target.search}`,
        headers: {
          ...headers,
          host: host ?? target.host,
          ...(body ? { 'content-length': body.length } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    buckets: [BUCKET],
    cnames: { [DOMAIN]: BUCKET },
    clock: () => Date.now() + clockOffsetMs,
  });
  const credential = emulator.credentials[0]!;
  client = new OssClient({
    accessKeyId: credential.accessKeyId,
    accessKeySecret: credential.accessKeySecret,
    endpoint: emulator.endpoint,
    bucket: BUCKET,
    region: emulator.region,
  });
});

afterAll(async () => {
  await client.close();
  await emulator.close();
});

describe('sign_url PUT', () => {
  it('lets plain HTTP upload with exactly the signed Content-Type, and refuses it without', async () => {
    const json = await signed({ object_key: 'up/data.csv', method: 'PUT', content_type: 'text/csv' });
    const headers = json.required_headers as Record<string, string>;
    expect(headers).toEqual({ 'Content-Type': 'text/csv', 'x-oss-forbid-overwrite': 'true' });
    const body = Buffer.from('a,b\n1,2\n');
    const { 'Content-Type': _type, ...withoutType } = headers;
    const missing = await send('PUT', json.url as string, withoutType, body);
    expect(missing.status).toBe(403);
    expect(missing.body.toString()).toContain('SignatureDoesNotMatch');
    const wrong = await send('PUT', json.url as string, { ...headers, 'Content-Type': 'text/plain' }, body);
    expect(wrong.status).toBe(403);
    await expect(client.headObject('up/data.csv')).rejects.toMatchObject({ code: 'OSS_NO_SUCH_KEY' });
    const ok = await send('PUT', json.url as string, headers, body);
    expect(ok.status).toBe(200);
    const head = await client.headObject('up/data.csv');
    expect(head).toMatchObject({ size: body.length, contentType: 'text/csv' });
  });

  it('signs no Content-Type when none is given, so a PUT that sends one is refused', async () => {
    const json = await signed({ object_key: 'up/raw.bin', method: 'PUT' }, { overwrite: 'overwrite' });
    expect(json.required_headers).toEqual({});
    const body = Buffer.from([1, 2, 3]);
    expect(
      (await send('PUT', json.url as string, { 'Content-Type': 'application/octet-stream' }, body)).status,
    ).toBe(403);
    expect((await send('PUT', json.url as string, {}, body)).status).toBe(200);
    expect((await client.headObject('up/raw.bin')).size).toBe(3);
  });

  it('cannot replace an existing object unless the overwrite policy allows it', async () => {
    await client.putObject('up/taken.txt', Buffer.from('original'));
    const json = await signed({ object_key: 'up/taken.txt', method: 'PUT', content_type: 'text/plain' });
    const headers = json.required_headers as Record<string, string>;
    const { 'x-oss-forbid-overwrite': _forbid, ...withoutForbid } = headers;
    expect((await send('PUT', json.url as string, withoutForbid, Buffer.from('evil'))).status).toBe(403);
    const conflict = await send('PUT', json.url as string, headers, Buffer.from('evil'));
    expect(conflict.status).toBe(409);
    expect(conflict.body.toString()).toContain('FileAlreadyExists');
    expect((await client.headObject('up/taken.txt')).size).toBe(8);
  });
});

describe('sign_url GET', () => {
  it('serves the object with a download name in RFC 5987 form, until expires_at', async () => {
    await client.putObject('dl/report.pdf', Buffer.from('%PDF-1.7 fake'), { contentType: 'application/pdf' });
    const json = await signed({
      object_key: 'dl/report.pdf',
      expires: 120,
      download_filename: '季度报告.pdf',
    });
    const response = await send('GET', json.url as string);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('%PDF-1.7 fake');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename=____.pdf; filename*=UTF-8''%E5%AD%A3%E5%BA%A6%E6%8A%A5%E5%91%8A.pdf`,
    );
    expect(Date.parse(json.expires_at as string) - Date.now()).toBeLessThanOrEqual(120_000);
    clockOffsetMs = 121_000;
    try {
      const late = await send('GET', json.url as string);
      expect(late.status).toBe(403);
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('works on the custom domain, where the URL is returned', async () => {
    await client.putObject('dl/page.txt', Buffer.from('via cname'));
    const json = await signed(
      { object_key: 'dl/page.txt' },
      { custom_domain: `http://${DOMAIN}:${emulator.port}` },
    );
    const url = new URL(json.url as string);
    expect(url.host).toBe(`${DOMAIN}:${emulator.port}`);
    expect(url.pathname).toBe('/dl/page.txt');
    const response = await send('GET', json.url as string, {}, undefined, url.host);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('via cname');
  });

  it('signs an object that the scope allows and nothing else, without sending a request', async () => {
    const scoped = { key_prefix_scope: 'dl' };
    const json = await signed({ object_key: 'report.pdf' }, scoped);
    expect(json.object_key).toBe('dl/report.pdf');
    expect((await send('GET', json.url as string)).status).toBe(200);
    const before = emulator.requestLog.length;
    for (const params of [
      { object_key: '../up/taken.txt' },
      { object_key: '%2e%2e/up/taken.txt' },
      { object_key: '..\\up\\taken.txt' },
      { object_key: 'x//y' },
      { file_url: `${emulator.endpoint}/${BUCKET}/up/taken.txt` },
      { file_url: `${emulator.endpoint}/${BUCKET}/dl/%2e%2e/up/taken.txt` },
    ]) {
      await expect(
        runTool('sign_url', params, settings(scoped)),
        JSON.stringify(params),
      ).rejects.toMatchObject({
        code: 'KEY_OUT_OF_SCOPE',
      });
    }
    expect(emulator.requestLog.length).toBe(before);
  });
});
