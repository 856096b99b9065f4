// OssClient under injected faults (emulator fault API): which failures are retried, how often, and that
// every path ends with one correct object or a clean error and no upload left behind.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/server.js';
import type { OssClient } from '../../src/oss/client.js';
import { crc64 } from '../../src/oss/crc64.js';
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

beforeAll(async () => {
  ({ emu, clock } = await startTestEmulator());
  client = clientFor(emu);
});

afterEach(() => {
  emu.faults.clear();
  emu.requestLog.length = 0;
  clock.offsetMs = 0;
});

afterAll(async () => {
  await client.close();
  await emu.close();
});

const PART = 100 * 1024;

async function content(key: string): Promise<string> {
  return md5(await readAll((await client.getObject(key)).body));
}

describe('OssClient retries', () => {
  it('stores one correct object when PutObject gets 503 twice then succeeds', async () => {
    emu.faults.add({
      op: 'PutObject',
      times: 2,
      action: { type: 'status', status: 503, code: 'ServiceUnavailable' },
    });
    const body = patternBytes(20_000, 5);
    const result = await client.putObject('f/503.bin', body);
    expect(countOps(emu, 'PutObject')).toBe(3);
    expect(countOps(emu, 'PutObject', 503)).toBe(2);
    expect(result.crc64).toBe(crc64(body).toString());
    expect(await content('f/503.bin')).toBe(md5(body));
  });

  it('retries 429 throttling', async () => {
    emu.faults.add({
      op: 'PutObject',
      times: 1,
      action: { type: 'status', status: 429, code: 'Throttling' },
    });
    await client.putObject('f/429.bin', Buffer.from('x'));
    expect(countOps(emu, 'PutObject')).toBe(2);
  });

  it('fails with OSS_SERVER_ERROR after maxAttempts when 503 persists', async () => {
    emu.faults.add({
      op: 'PutObject',
      times: 10,
      action: { type: 'status', status: 503, code: 'ServiceUnavailable' },
    });
    await expect(client.putObject('f/always503.bin', Buffer.from('x'))).rejects.toMatchObject({
      code: 'OSS_SERVER_ERROR',
    });
    expect(countOps(emu, 'PutObject')).toBe(3);
  });

  it('does not retry a 403', async () => {
    emu.faults.add({
      op: 'PutObject',
      times: 5,
      action: { type: 'status', status: 403, code: 'AccessDenied' },
    });
    await expect(client.putObject('f/403.bin', Buffer.from('x'))).rejects.toMatchObject({
      code: 'OSS_ACCESS_DENIED',
    });
    expect(countOps(emu, 'PutObject')).toBe(1);
  });

  it('re-sends a part whose connection was reset mid-body', async () => {
    emu.faults.add({ op: 'UploadPart', times: 1, action: { type: 'reset', afterBytes: 50_000 } });
    const total = 5 * PART + 123;
    const result = await client.upload('f/reset.bin', unknownLengthStream(total, 32 * 1024, 2), {
      partSizeBytes: PART,
    });
    expect(result).toMatchObject({ multipart: true, size: total });
    expect(countOps(emu, 'UploadPart')).toBe(7);
    expect(await content('f/reset.bin')).toBe(md5(await readAll(unknownLengthStream(total, 32 * 1024, 2))));
  });

  it('corrects a 20-minute clock skew once and signs later requests on the server clock', async () => {
    clock.offsetMs = 20 * 60_000;
    await client.putObject('f/skew1.txt', Buffer.from('a'));
    await client.putObject('f/skew2.txt', Buffer.from('b'));
    await client.headObject('f/skew1.txt');
    expect(emu.requestLog.filter((e) => e.status === 403)).toHaveLength(1);
    expect(Math.abs(client.clockOffsetMs - 20 * 60_000)).toBeLessThan(5_000);
    clock.offsetMs = 0;
    await client.putObject('f/skew3.txt', Buffer.from('c'));
    expect(emu.requestLog.filter((e) => e.status === 403)).toHaveLength(2);
  });
});

describe('OssClient integrity', () => {
  it('re-sends a part whose CRC-64 came back corrupted', async () => {
    emu.faults.add({ op: 'UploadPart', times: 1, action: { type: 'corruptCrc' } });
    const total = 3 * PART;
    const result = await client.upload('f/crc-once.bin', unknownLengthStream(total, PART, 3), {
      partSizeBytes: PART,
    });
    expect(result.size).toBe(total);
    expect(countOps(emu, 'UploadPart')).toBe(4);
  });

  it('fails with OSS_CRC_MISMATCH and aborts the upload when the CRC stays wrong', async () => {
    emu.faults.add({ op: 'UploadPart', times: Number.POSITIVE_INFINITY, action: { type: 'corruptCrc' } });
    await expect(
      client.upload('f/crc-always.bin', unknownLengthStream(3 * PART, PART, 4), { partSizeBytes: PART }),
    ).rejects.toMatchObject({ code: 'OSS_CRC_MISMATCH', details: { key: 'f/crc-always.bin' } });
    expect(countOps(emu, 'AbortMultipartUpload')).toBe(1);
    expect(await emu.listMultipartUploads('test-bucket')).toEqual([]);
  });

  it('fails a single PUT with OSS_CRC_MISMATCH after re-sending it maxAttempts times', async () => {
    emu.faults.add({ op: 'PutObject', times: Number.POSITIVE_INFINITY, action: { type: 'corruptCrc' } });
    await expect(client.putObject('f/crc-put.bin', Buffer.from('data'))).rejects.toMatchObject({
      code: 'OSS_CRC_MISMATCH',
    });
    expect(countOps(emu, 'PutObject')).toBe(3);
  });

  it('detects a corrupted CRC on a full download', async () => {
    await client.putObject('f/get-crc.bin', patternBytes(10_000));
    emu.faults.add({ op: 'GetObject', times: 1, action: { type: 'corruptCrc' } });
    const got = await client.getObject('f/get-crc.bin');
    await expect(readAll(got.body)).rejects.toMatchObject({ code: 'OSS_CRC_MISMATCH' });
  });
});

describe('OssClient lost responses', () => {
  it('reports success, not FileAlreadyExists, when its own forbid-overwrite PUT was stored but the answer lost', async () => {
    emu.faults.add({ op: 'PutObject', times: 1, action: { type: 'dropResponseAfterWrite' } });
    const body = patternBytes(5_000, 8);
    const result = await client.putObject('f/lost-put.bin', body, { forbidOverwrite: true });
    expect(result.crc64).toBe(crc64(body).toString());
    expect(countOps(emu, 'PutObject')).toBe(2);
    expect(await content('f/lost-put.bin')).toBe(md5(body));
  });

  it('still reports FileAlreadyExists when the existing object is someone else’s', async () => {
    await client.putObject('f/other.bin', Buffer.from('theirs'));
    emu.faults.add({ op: 'PutObject', times: 1, action: { type: 'reset', afterBytes: 1 } });
    await expect(
      client.putObject('f/other.bin', Buffer.from('mine!!'), { forbidOverwrite: true }),
    ).rejects.toMatchObject({
      code: 'OSS_FILE_ALREADY_EXISTS',
    });
  });

  it('completes once when the CompleteMultipartUpload answer is lost', async () => {
    emu.faults.add({ op: 'CompleteMultipartUpload', times: 1, action: { type: 'dropResponseAfterWrite' } });
    const total = 2 * PART + 7;
    const result = await client.upload('f/lost-complete.bin', unknownLengthStream(total, PART, 6), {
      partSizeBytes: PART,
    });
    expect(result).toMatchObject({ multipart: true, size: total });
    expect(await emu.listMultipartUploads('test-bucket')).toEqual([]);
    expect(await content('f/lost-complete.bin')).toBe(
      md5(await readAll(unknownLengthStream(total, PART, 6))),
    );
  });
});
