// Each fault type of the emulator's FaultInjector, observed over raw HTTP: forced statuses, resets,
// delays, clock skew, CRC corruption/removal, dropped responses and bandwidth caps.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { crc64 } from '../../src/emulator/crc64.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { type SignedRequestInput, signedRequest, xmlField } from './emulator-raw-client.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
afterEach(() => emu.faults.clear());

const send = (input: Omit<SignedRequestInput, 'credential' | 'bucket'>) =>
  signedRequest(emu.endpoint, { bucket: 'dify-oss', credential: emu.credentials[0]!, ...input });

/** GET via node:http, resolving with the bytes received before the connection ended or broke. */
function getReceived(
  endpoint: string,
  path: string,
): Promise<{ status: number; bytes: number; broken: boolean }> {
  return new Promise((resolve) => {
    const url = new URL(endpoint);
    const req = request({ host: url.hostname, port: url.port, path }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, broken: false }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, bytes, broken: true }));
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, bytes, broken: true }));
    });
    req.on('error', () => resolve({ status: 0, bytes: 0, broken: true }));
    req.end();
  });
}

describe('FaultInjector', () => {
  it('answers 503 twice with OSS XML, then lets the operation through', async () => {
    emu.faults.add({
      op: 'PutObject',
      times: 2,
      action: { type: 'status', status: 503, code: 'ServiceUnavailable' },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await send({ method: 'PUT', key: 'retry.txt', body: 'x' })).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(emu.faults.pending).toBe(0);
  });

  it('puts a forced HEAD error into x-oss-err and matches keys by RegExp', async () => {
    emu.faults.add({
      key: /^slow\//,
      method: 'HEAD',
      action: { type: 'status', status: 429, code: 'Throttling', message: 'slow down' },
    });
    const res = await send({ method: 'HEAD', key: 'slow/a' });
    expect(res.status).toBe(429);
    expect(xmlField(Buffer.from(String(res.headers['x-oss-err']), 'base64').toString(), 'Message')).toBe(
      'slow down',
    );
    expect((await send({ method: 'HEAD', key: 'other' })).status).toBe(404);
  });

  it('resets an upload after N request bytes and stores nothing', async () => {
    emu.faults.add({ op: 'PutObject', action: { type: 'reset', afterBytes: 1000 } });
    await expect(send({ method: 'PUT', key: 'reset.bin', body: randomBytes(200_000) })).rejects.toThrow();
    expect(await emu.listObjects('dify-oss', 'reset.bin')).toEqual([]);
  });

  it('resets a download after exactly N response bytes', async () => {
    const pub = await startEmulator({ buckets: [{ name: 'public-bucket', acl: 'public-read' }] });
    try {
      await signedRequest(pub.endpoint, {
        method: 'PUT',
        bucket: 'public-bucket',
        key: 'r.bin',
        body: randomBytes(100_000),
        credential: pub.credentials[0]!,
      });
      pub.faults.add({ op: 'GetObject', action: { type: 'reset', afterBytes: 5000 } });
      const got = await getReceived(pub.endpoint, '/public-bucket/r.bin');
      expect(got).toMatchObject({ status: 200, bytes: 5000, broken: true });
    } finally {
      await pub.close();
    }
  });

  it('delays the response headers by the given time', async () => {
    emu.faults.add({ op: 'HeadObject', action: { type: 'delay', ms: 300 } });
    const started = performance.now();
    await send({ method: 'HEAD', key: 'delayed' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('skews the server clock so a correct request is RequestTimeTooSkewed and Date shows server time', async () => {
    emu.faults.add({ action: { type: 'skew', ms: 20 * 60_000 } });
    const res = await send({ method: 'GET', key: 'x' });
    expect(xmlField(res.text, 'Code')).toBe('RequestTimeTooSkewed');
    expect(Date.parse(String(res.headers.date)) - Date.now()).toBeGreaterThan(19 * 60_000);
  });

  it('corrupts or drops the CRC-64 header', async () => {
    const body = Buffer.from('crc body');
    await send({ method: 'PUT', key: 'crc.txt', body });
    emu.faults.add({ op: 'GetObject', action: { type: 'corruptCrc' } });
    const corrupted = await send({ method: 'GET', key: 'crc.txt' });
    expect(corrupted.headers['x-oss-hash-crc64ecma']).not.toBe(crc64(body).toString());
    expect(corrupted.body.equals(body)).toBe(true);
    emu.faults.add({ op: 'UploadPart', action: { type: 'dropCrc' } });
    emu.faults.add({ op: 'GetObject', action: { type: 'dropCrc' } });
    expect((await send({ method: 'GET', key: 'crc.txt' })).headers['x-oss-hash-crc64ecma']).toBeUndefined();
  });

  it('stores the object but drops the connection on dropResponseAfterWrite', async () => {
    emu.faults.add({ op: 'PutObject', action: { type: 'dropResponseAfterWrite' } });
    await expect(send({ method: 'PUT', key: 'dropped.txt', body: 'kept anyway' })).rejects.toThrow();
    expect((await send({ method: 'GET', key: 'dropped.txt' })).text).toBe('kept anyway');
    expect(emu.requestLog.findLast((e) => e.key === 'dropped.txt' && e.op === 'PutObject')?.status).toBe(0);
  });

  it('caps response bandwidth', async () => {
    await send({ method: 'PUT', key: 'bw.bin', body: randomBytes(64 * 1024) });
    emu.faults.add({ op: 'GetObject', action: { type: 'bandwidth', bytesPerSecond: 128 * 1024 } });
    const started = performance.now();
    const res = await send({ method: 'GET', key: 'bw.bin' });
    expect(res.body.length).toBe(64 * 1024);
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
  });

  it('keeps an Infinity rule until clear() and rejects malformed rules', async () => {
    emu.faults.add({
      op: 'GetObject',
      times: Number.POSITIVE_INFINITY,
      action: { type: 'status', status: 500, code: 'InternalError' },
    });
    for (let i = 0; i < 3; i++) expect((await send({ method: 'GET', key: 'any' })).status).toBe(500);
    emu.faults.clear();
    expect((await send({ method: 'GET', key: 'any' })).status).toBe(404);
    expect(() => emu.faults.add({ times: 0, action: { type: 'dropCrc' } })).toThrow(TypeError);
  });
});
