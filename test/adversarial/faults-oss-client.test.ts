// Fault matrix for OssClient.upload over real HTTP against the emulator (issue #7 part 3): resets in the
// middle of bodies, 5xx storms, a slow server, clock skew, corrupted CRC headers, lost responses after a
// stored write and a full store. Every run must end with a byte-exact object or a clear error code, and
// never with a multipart upload left behind.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import type { OssClient } from '../../src/oss/client.js';
import { crc64 } from '../../src/oss/crc64.js';
import {
  BUCKET,
  CREDENTIAL,
  clientFor,
  countOps,
  patternBytes,
  readAll,
  startTestEmulator,
  unknownLengthStream,
} from '../integration/oss-client-helpers.js';

const PART = 100 * 1024;
const SMALL = 20_000;
const LARGE = 5 * PART + 123;

let emu: Emulator;
let clock: { offsetMs: number };
let client: OssClient;
let serial = 0;

beforeAll(async () => {
  ({ emu, clock } = await startTestEmulator());
  client = clientFor(emu, { partSizeBytes: PART, singlePutThresholdBytes: PART, concurrency: 3 });
});

afterEach(async () => {
  emu.faults.clear();
  // A failed case must not fail the next ones: its leftovers are removed here (after being reported).
  for (const upload of await emu.listMultipartUploads(BUCKET)) {
    await client.abortMultipartUpload(upload.key, upload.uploadId);
  }
  emu.requestLog.length = 0;
  clock.offsetMs = 0;
});

afterAll(async () => {
  await client.close();
  await emu.close();
});

/** How a body reaches `upload`: bytes of known size, or a stream of unknown length. */
type BodyKind = 'bytes' | 'stream';

interface Outcome {
  key: string;
  ok: boolean;
  code?: string;
}

/**
 * Uploads `size` bytes under a fresh key and checks the invariant: success means GET returns exactly the
 * bytes and the CRC-64 reported matches; failure means an AppError code. Either way no upload is left.
 */
async function uploadAndCheck(
  target: OssClient,
  size: number,
  kind: BodyKind,
  options: { forbidOverwrite?: boolean; key?: string } = {},
): Promise<Outcome> {
  serial += 1;
  const key = options.key ?? `faults/${serial}-${kind}-${size}.bin`;
  const seed = serial;
  const expected =
    kind === 'bytes' ? patternBytes(size, seed) : await readAll(unknownLengthStream(size, 32 * 1024, seed));
  const body = kind === 'bytes' ? expected : unknownLengthStream(size, 32 * 1024, seed);
  const outcome: Outcome = { key, ok: false };
  try {
    const result = await target.upload(key, body, {
      ...(options.forbidOverwrite ? { forbidOverwrite: true } : {}),
    });
    expect(result).toMatchObject({ key, size, crc64: crc64(expected).toString() });
    expect(result.multipart).toBe(size > PART);
    outcome.ok = true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    expect(typeof code, `non-AppError: ${String(error)}`).toBe('string');
    outcome.code = code as string;
    if (size > PART && code !== 'OSS_CRC_MISMATCH') {
      expect((error as { details?: Record<string, unknown> }).details?.key).toBe(key);
    }
  }
  emu.faults.clear();
  expect(await emu.listMultipartUploads(BUCKET)).toEqual([]);
  if (outcome.ok) {
    const stored = await readAll((await target.getObject(key)).body);
    expect(stored.equals(expected)).toBe(true);
    expect((await emu.listObjects(BUCKET, key)).filter((o) => o.key === key)).toHaveLength(1);
  }
  return outcome;
}

const CASES: Array<[number, BodyKind]> = [
  [SMALL, 'bytes'],
  [LARGE, 'bytes'],
  [LARGE, 'stream'],
];

describe('OssClient.upload under connection resets', () => {
  it.each(CASES)(
    'stores %i bytes (%s) when the connection resets once in the middle of a body',
    async (size, kind) => {
      const op = size > PART ? 'UploadPart' : 'PutObject';
      emu.faults.add({ op, times: 1, action: { type: 'reset', afterBytes: Math.min(size, PART) >> 1 } });
      expect(await uploadAndCheck(client, size, kind)).toMatchObject({ ok: true });
      expect(countOps(emu, op, 0)).toBe(1);
    },
  );

  it('resets two of the parts in flight at once and still stores one correct object', async () => {
    emu.faults.add({ op: 'UploadPart', times: 2, action: { type: 'reset', afterBytes: 10_000 } });
    expect(await uploadAndCheck(client, LARGE, 'stream')).toMatchObject({ ok: true });
  });

  it.each(CASES)(
    'fails %i bytes (%s) with OSS_NETWORK_ERROR and leaves no upload when every body resets',
    async (size, kind) => {
      const op = size > PART ? 'UploadPart' : 'PutObject';
      emu.faults.add({ op, times: Number.POSITIVE_INFINITY, action: { type: 'reset', afterBytes: 1000 } });
      const outcome = await uploadAndCheck(client, size, kind);
      expect(outcome).toMatchObject({ ok: false, code: 'OSS_NETWORK_ERROR' });
      expect(await emu.listObjects(BUCKET, outcome.key)).toEqual([]);
      if (size > PART) expect(countOps(emu, 'AbortMultipartUpload', 204)).toBe(1);
    },
  );
});

describe('OssClient.upload under 5xx storms', () => {
  it.each(CASES)('stores %i bytes (%s) through two 500s and a 503 on every operation', async (size, kind) => {
    emu.faults.add({ times: 2, action: { type: 'status', status: 500, code: 'InternalError' } });
    emu.faults.add({
      op: 'UploadPart',
      times: 1,
      action: { type: 'status', status: 503, code: 'ServiceUnavailable' },
    });
    emu.faults.add({
      op: 'PutObject',
      times: 1,
      action: { type: 'status', status: 503, code: 'ServiceUnavailable' },
    });
    expect(await uploadAndCheck(client, size, kind)).toMatchObject({ ok: true });
  });

  it('fails with OSS_SERVER_ERROR and aborts when parts keep getting 503, even if Abort itself gets 503 twice', async () => {
    emu.faults.add({
      op: 'UploadPart',
      times: Number.POSITIVE_INFINITY,
      action: { type: 'status', status: 503, code: 'ServiceUnavailable' },
    });
    emu.faults.add({
      op: 'AbortMultipartUpload',
      times: 2,
      action: { type: 'status', status: 503, code: 'ServiceUnavailable' },
    });
    const outcome = await uploadAndCheck(client, LARGE, 'bytes');
    expect(outcome).toMatchObject({ ok: false, code: 'OSS_SERVER_ERROR' });
    expect(countOps(emu, 'AbortMultipartUpload')).toBe(3);
  });

  it('fails with OSS_SERVER_ERROR when CompleteMultipartUpload keeps failing, and aborts', async () => {
    emu.faults.add({
      op: 'CompleteMultipartUpload',
      times: Number.POSITIVE_INFINITY,
      action: { type: 'status', status: 502, code: 'BadGateway' },
    });
    const outcome = await uploadAndCheck(client, LARGE, 'stream');
    expect(outcome).toMatchObject({ ok: false, code: 'OSS_SERVER_ERROR' });
    expect(await emu.listObjects(BUCKET, outcome.key)).toEqual([]);
  });
});

describe('OssClient.upload against a slow server', () => {
  it.each(CASES)(
    'stores %i bytes (%s) when every answer is delayed and bodies are throttled',
    async (size, kind) => {
      emu.faults.add({ times: Number.POSITIVE_INFINITY, action: { type: 'delay', ms: 50 } });
      emu.faults.add({
        op: size > PART ? 'UploadPart' : 'PutObject',
        times: Number.POSITIVE_INFINITY,
        action: { type: 'bandwidth', bytesPerSecond: 4 * 1024 * 1024 },
      });
      expect(await uploadAndCheck(client, size, kind)).toMatchObject({ ok: true });
    },
  );

  it('fails with OSS_NETWORK_ERROR when parts stall past the idle timeout, and still aborts', async () => {
    const impatient = clientFor(emu, {
      partSizeBytes: PART,
      singlePutThresholdBytes: PART,
      idleTimeoutMs: 150,
      maxAttempts: 2,
    });
    emu.faults.add({
      op: 'UploadPart',
      times: Number.POSITIVE_INFINITY,
      action: { type: 'delay', ms: 1_000 },
    });
    try {
      const outcome = await uploadAndCheck(impatient, LARGE, 'bytes');
      expect(outcome).toMatchObject({ ok: false, code: 'OSS_NETWORK_ERROR' });
    } finally {
      await impatient.close();
    }
  });
});

describe('OssClient.upload under clock skew', () => {
  it.each(CASES)('stores %i bytes (%s) when the server clock is 20 minutes ahead', async (size, kind) => {
    const skewed = clientFor(emu, { partSizeBytes: PART, singlePutThresholdBytes: PART });
    clock.offsetMs = 20 * 60_000;
    try {
      expect(await uploadAndCheck(skewed, size, kind)).toMatchObject({ ok: true });
      expect(Math.abs(skewed.clockOffsetMs - 20 * 60_000)).toBeLessThan(5_000);
    } finally {
      await skewed.close();
    }
  });

  it('stores a multipart upload when single requests see a skewed server clock', async () => {
    emu.faults.add({ op: 'UploadPart', times: 1, action: { type: 'skew', ms: -30 * 60_000 } });
    expect(await uploadAndCheck(client, LARGE, 'stream')).toMatchObject({ ok: true });
  });
});

describe('OssClient.upload with corrupted CRC headers', () => {
  it.each(CASES)(
    're-sends and stores %i bytes (%s) when one CRC-64 header comes back corrupted',
    async (size, kind) => {
      emu.faults.add({
        op: size > PART ? 'UploadPart' : 'PutObject',
        times: 1,
        action: { type: 'corruptCrc' },
      });
      expect(await uploadAndCheck(client, size, kind)).toMatchObject({ ok: true });
    },
  );

  it.each(CASES)(
    'fails %i bytes (%s) with OSS_CRC_MISMATCH when every CRC-64 is corrupted',
    async (size, kind) => {
      emu.faults.add({ times: Number.POSITIVE_INFINITY, action: { type: 'corruptCrc' } });
      expect(await uploadAndCheck(client, size, kind)).toMatchObject({ ok: false, code: 'OSS_CRC_MISMATCH' });
    },
  );

  it('reports OSS_CRC_MISMATCH, not success, when only the Complete answer carries a wrong CRC-64', async () => {
    emu.faults.add({ op: 'CompleteMultipartUpload', times: 1, action: { type: 'corruptCrc' } });
    expect(await uploadAndCheck(client, LARGE, 'stream')).toMatchObject({
      ok: false,
      code: 'OSS_CRC_MISMATCH',
    });
  });

  it.each(CASES)('stores %i bytes (%s) when OSS sends no CRC-64 header at all', async (size, kind) => {
    emu.faults.add({ times: Number.POSITIVE_INFINITY, action: { type: 'dropCrc' } });
    expect(await uploadAndCheck(client, size, kind)).toMatchObject({ ok: true });
  });
});

describe('OssClient.upload when a response is lost after a stored write', () => {
  const LOST: Array<[string, number, BodyKind]> = [
    ['PutObject', SMALL, 'bytes'],
    ['UploadPart', LARGE, 'bytes'],
    ['CompleteMultipartUpload', LARGE, 'bytes'],
    ['CompleteMultipartUpload', LARGE, 'stream'],
    ['InitiateMultipartUpload', LARGE, 'stream'],
  ];

  it.each(LOST)(
    'ends with one correct object, reported once, when the %s answer is lost (%i bytes, %s)',
    async (op, size, kind) => {
      emu.faults.add({ op: op as 'PutObject', times: 1, action: { type: 'dropResponseAfterWrite' } });
      const outcome = await uploadAndCheck(client, size, kind);
      expect(outcome).toMatchObject({ ok: true });
    },
  );

  it.each(LOST)(
    'does not report FileAlreadyExists for its own forbid-overwrite write when the %s answer is lost (%i bytes, %s)',
    async (op, size, kind) => {
      emu.faults.add({ op: op as 'PutObject', times: 1, action: { type: 'dropResponseAfterWrite' } });
      expect(await uploadAndCheck(client, size, kind, { forbidOverwrite: true })).toMatchObject({ ok: true });
    },
  );

  it('fails with a code and leaves no upload when the answer of every InitiateMultipartUpload attempt is lost', async () => {
    // Found by the soak (seed 1417449197): three lost answers in a row, and the three uploads they started
    // were left behind, because the clean-up ran only when a later attempt succeeded.
    emu.faults.add({
      op: 'InitiateMultipartUpload',
      times: Number.POSITIVE_INFINITY,
      action: { type: 'dropResponseAfterWrite' },
    });
    const outcome = await uploadAndCheck(client, LARGE, 'stream');
    expect(outcome).toMatchObject({ ok: false, code: 'OSS_NETWORK_ERROR' });
    expect(countOps(emu, 'InitiateMultipartUpload')).toBeGreaterThan(1);
  });

  it('does not report FileAlreadyExists for its own forbid-overwrite PUT whose CRC-64 header was corrupted', async () => {
    emu.faults.add({ op: 'PutObject', times: 1, action: { type: 'corruptCrc' } });
    expect(await uploadAndCheck(client, SMALL, 'bytes', { forbidOverwrite: true })).toMatchObject({
      ok: true,
    });
    expect(countOps(emu, 'PutObject')).toBe(2);
  });

  it('still reports OSS_FILE_ALREADY_EXISTS when a lost answer hides someone else’s object', async () => {
    const key = 'faults/theirs.bin';
    await client.putObject(key, patternBytes(LARGE, 999));
    emu.faults.add({ op: 'CompleteMultipartUpload', times: 1, action: { type: 'reset', afterBytes: 1 } });
    const outcome = await uploadAndCheck(client, LARGE, 'stream', { key, forbidOverwrite: true });
    expect(outcome).toMatchObject({ ok: false, code: 'OSS_FILE_ALREADY_EXISTS' });
    const stored = await readAll((await client.getObject(key)).body);
    expect(stored.equals(patternBytes(LARGE, 999))).toBe(true);
  });
});

describe('OssClient.upload into a full store', () => {
  it('fails with a server error, aborts, frees the parts and accepts a small object afterwards', async () => {
    const full = await startEmulator({
      buckets: [BUCKET],
      credentials: [CREDENTIAL],
      minPartSizeBytes: PART,
      maxStoreBytes: 3 * PART,
    });
    const target = clientFor(full, { partSizeBytes: PART, singlePutThresholdBytes: PART, concurrency: 2 });
    try {
      const body = patternBytes(LARGE, 5);
      await expect(target.upload('full/big.bin', body)).rejects.toMatchObject({
        code: 'OSS_SERVER_ERROR',
        details: { key: 'full/big.bin', ossCode: 'InsufficientStorage' },
      });
      expect(await full.listMultipartUploads(BUCKET)).toEqual([]);
      expect(await full.listObjects(BUCKET)).toEqual([]);
      const fits = patternBytes(2 * PART + 10, 7);
      await target.upload('full/fits.bin', fits);
      expect((await readAll((await target.getObject('full/fits.bin')).body)).equals(fits)).toBe(true);
      await expect(target.upload('full/one-put.bin', patternBytes(PART, 6))).rejects.toMatchObject({
        code: 'OSS_SERVER_ERROR',
        details: { key: 'full/one-put.bin', ossCode: 'InsufficientStorage' },
      });
      expect((await full.listObjects(BUCKET)).map((o) => o.key)).toEqual(['full/fits.bin']);
      expect(await full.listMultipartUploads(BUCKET)).toEqual([]);
    } finally {
      await target.close();
      await full.close();
    }
  });
});

describe('OssClient.getObject under faults', () => {
  it.each([
    ['a full read', undefined],
    ['a range read', [10, 90_000] as [number, number]],
  ])(
    'fails %s with OSS_NETWORK_ERROR when the connection resets in the middle of the body',
    async (_label, range) => {
      const key = 'faults/get-reset.bin';
      await client.putObject(key, patternBytes(100_000, 3));
      emu.faults.add({ op: 'GetObject', times: 1, action: { type: 'reset', afterBytes: 1000 } });
      const got = await client.getObject(key, range ? { range } : {});
      await expect(readAll(got.body)).rejects.toMatchObject({
        code: 'OSS_NETWORK_ERROR',
        details: { operation: 'GetObject', key },
      });
    },
  );
});
