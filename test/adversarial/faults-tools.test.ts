// upload_file and multi_upload_files under injected OSS faults (issue #7 part 3), through invokeTool with
// a Dify file server: lost answers under every overwrite policy must give one object reported once (no
// FileAlreadyExists and no `name-1` for the tool's own write), other faults a verified object or a clear
// per-item code, and no multipart upload may be left behind.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseSettings } from '../../src/config/settings.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { OssClient } from '../../src/oss/client.js';
import { crc64 } from '../../src/oss/crc64.js';
import { countOps, patternBytes, readAll } from '../integration/oss-client-helpers.js';
import {
  difyFile,
  type FileServer,
  filesOf,
  jsonOf,
  runTool,
  startFileServer,
  startWorld,
  type ToolsWorld,
} from '../integration/tools-harness.js';

const PART = 100 * 1024;
const SMALL = 30_000;
const LARGE = 3 * PART + 77;

let world: ToolsWorld;
let dify: FileServer;
let client: OssClient;
let serial = 0;

function smallPartClient(emulator: Emulator, bucket: string): OssClient {
  const credential = emulator.credentials[0]!;
  return new OssClient({
    accessKeyId: credential.accessKeyId,
    accessKeySecret: credential.accessKeySecret,
    endpoint: emulator.endpoint,
    bucket,
    region: emulator.region,
    partSizeBytes: PART,
    singlePutThresholdBytes: PART,
    retryBaseMs: 1,
    retryCapMs: 5,
  });
}

beforeAll(async () => {
  world = await startWorld();
  dify = await startFileServer();
  client = smallPartClient(world.emulator, world.bucket);
});

afterEach(async () => {
  world.emulator.faults.clear();
  world.emulator.requestLog.length = 0;
  for (const upload of await world.emulator.listMultipartUploads(world.bucket)) {
    await client.abortMultipartUpload(upload.key, upload.uploadId);
  }
});

afterAll(async () => {
  await client.close();
  await dify.close();
  await world.emulator.close();
});

/** Serves `size` fresh bytes as a Dify file named `name`; returns the file parameter and the bytes. */
function difySource(name: string, size: number): { file: Record<string, unknown>; bytes: Buffer } {
  serial += 1;
  const bytes = patternBytes(size, serial);
  dify.files.set(`/files/${serial}/file-preview`, { body: bytes });
  const url = dify.url(`/files/${serial}/file-preview?timestamp=1&nonce=n&sign=s`);
  return { file: difyFile(url, name, { size }), bytes };
}

/** A fresh directory per case, so listings show only what the case wrote. */
function freshDirectory(): string {
  serial += 1;
  return `tools-faults-${serial}`;
}

/** Keys stored under `directory` in `emulator`'s bucket. */
async function keysUnder(emulator: Emulator, bucket: string, directory: string): Promise<string[]> {
  return (await emulator.listObjects(bucket, `${directory}/`)).map((o) => o.key);
}

/** Checks that `key` holds exactly `bytes` and no multipart upload is left in the bucket. */
async function expectStored(target: OssClient, key: string, bytes: Buffer): Promise<void> {
  expect((await readAll((await target.getObject(key)).body)).equals(bytes), key).toBe(true);
}

async function expectNoUploadsLeft(emulator: Emulator, bucket: string): Promise<void> {
  expect(await emulator.listMultipartUploads(bucket)).toEqual([]);
}

describe('upload_file when the answer to its own write is lost', () => {
  const CASES: Array<[string, string, number]> = [
    ['rename', 'PutObject', SMALL],
    ['fail', 'PutObject', SMALL],
    ['overwrite', 'PutObject', SMALL],
    ['rename', 'CompleteMultipartUpload', LARGE],
    ['fail', 'CompleteMultipartUpload', LARGE],
    ['rename', 'InitiateMultipartUpload', LARGE],
    ['rename', 'UploadPart', LARGE],
  ];

  it.each(CASES)(
    'reports one object, not FileAlreadyExists or name-1, under policy %s when the %s answer is lost (%i bytes)',
    async (policy, op, size) => {
      const directory = freshDirectory();
      const source = difySource('report.bin', size);
      world.emulator.faults.add({
        op: op as 'PutObject',
        times: 1,
        action: { type: 'dropResponseAfterWrite' },
      });
      const messages = await runTool(
        'upload_file',
        { file: source.file, directory },
        world.settings({ overwrite: policy }),
        {
          oss: client,
        },
      );
      const [file] = filesOf(messages);
      expect(file).toMatchObject({
        status: 'success',
        object_key: `${directory}/report.bin`,
        renamed_from: null,
        crc64: crc64(source.bytes).toString(),
        file_size_bytes: size,
      });
      expect(await keysUnder(world.emulator, world.bucket, directory)).toEqual([`${directory}/report.bin`]);
      await expectStored(client, `${directory}/report.bin`, source.bytes);
      await expectNoUploadsLeft(world.emulator, world.bucket);
    },
  );

  it('reports one object under policy rename when the PutObject CRC-64 header comes back corrupted once', async () => {
    const directory = freshDirectory();
    const source = difySource('crc.bin', SMALL);
    world.emulator.faults.add({ op: 'PutObject', times: 1, action: { type: 'corruptCrc' } });
    const messages = await runTool('upload_file', { file: source.file, directory }, world.settings(), {
      oss: client,
    });
    expect(filesOf(messages)[0]).toMatchObject({
      status: 'success',
      object_key: `${directory}/crc.bin`,
      renamed_from: null,
    });
    expect(await keysUnder(world.emulator, world.bucket, directory)).toEqual([`${directory}/crc.bin`]);
    await expectStored(client, `${directory}/crc.bin`, source.bytes);
  });

  it('still renames when the name is really taken by another object', async () => {
    const directory = freshDirectory();
    await client.putObject(`${directory}/taken.bin`, Buffer.from('theirs'));
    const source = difySource('taken.bin', SMALL);
    world.emulator.faults.add({ op: 'PutObject', times: 1, action: { type: 'dropResponseAfterWrite' } });
    const messages = await runTool('upload_file', { file: source.file, directory }, world.settings(), {
      oss: client,
    });
    expect(filesOf(messages)[0]).toMatchObject({
      object_key: `${directory}/taken-1.bin`,
      renamed_from: `${directory}/taken.bin`,
    });
    expect(await keysUnder(world.emulator, world.bucket, directory)).toEqual([
      `${directory}/taken-1.bin`,
      `${directory}/taken.bin`,
    ]);
    await expectStored(client, `${directory}/taken.bin`, Buffer.from('theirs'));
    await expectStored(client, `${directory}/taken-1.bin`, source.bytes);
  });
});

describe('upload_file under other faults', () => {
  it('stores a verified object through a 5xx storm, resets and a slow server', async () => {
    const directory = freshDirectory();
    const source = difySource('storm.bin', LARGE);
    world.emulator.faults.add({ times: 3, action: { type: 'status', status: 500, code: 'InternalError' } });
    world.emulator.faults.add({ op: 'UploadPart', times: 2, action: { type: 'reset', afterBytes: 20_000 } });
    world.emulator.faults.add({ times: Number.POSITIVE_INFINITY, action: { type: 'delay', ms: 20 } });
    const messages = await runTool('upload_file', { file: source.file, directory }, world.settings(), {
      oss: client,
    });
    expect(filesOf(messages)[0]).toMatchObject({ status: 'success', object_key: `${directory}/storm.bin` });
    await expectStored(client, `${directory}/storm.bin`, source.bytes);
    await expectNoUploadsLeft(world.emulator, world.bucket);
  });

  it('corrects a 20-minute clock skew with the client the context builds itself', async () => {
    const directory = freshDirectory();
    const source = difySource('skew.bin', SMALL);
    world.emulator.faults.add({ times: Number.POSITIVE_INFINITY, action: { type: 'skew', ms: 20 * 60_000 } });
    const messages = await runTool('upload_file', { file: source.file, directory }, world.settings());
    expect(filesOf(messages)[0]).toMatchObject({ status: 'success', object_key: `${directory}/skew.bin` });
    expect(world.emulator.requestLog.filter((entry) => entry.status === 403)).toHaveLength(1);
    world.emulator.faults.clear();
    await expectStored(client, `${directory}/skew.bin`, source.bytes);
  });

  it.each([
    ['OSS_NETWORK_ERROR', { type: 'reset', afterBytes: 5_000 } as const],
    ['OSS_SERVER_ERROR', { type: 'status', status: 503, code: 'ServiceUnavailable' } as const],
    ['OSS_CRC_MISMATCH', { type: 'corruptCrc' } as const],
  ])(
    'fails with %s, keeps no object and no upload, when every part meets the fault',
    async (code, action) => {
      const directory = freshDirectory();
      const source = difySource('doomed.bin', LARGE);
      world.emulator.faults.add({ op: 'UploadPart', times: Number.POSITIVE_INFINITY, action });
      await expect(
        runTool('upload_file', { file: source.file, directory }, world.settings(), { oss: client }),
      ).rejects.toMatchObject({ code });
      world.emulator.faults.clear();
      expect(await keysUnder(world.emulator, world.bucket, directory)).toEqual([]);
      await expectNoUploadsLeft(world.emulator, world.bucket);
    },
  );
});

describe('multi_upload_files under faults', () => {
  it('stores every file once when answers are lost, with no renamed copies', async () => {
    const directory = freshDirectory();
    const sources = ['a.bin', 'b.bin', 'c.bin'].map((name, i) => difySource(name, i === 1 ? LARGE : SMALL));
    world.emulator.faults.add({ op: 'PutObject', times: 2, action: { type: 'dropResponseAfterWrite' } });
    world.emulator.faults.add({
      op: 'CompleteMultipartUpload',
      times: 1,
      action: { type: 'dropResponseAfterWrite' },
    });
    const messages = await runTool(
      'multi_upload_files',
      { files: sources.map((s) => s.file), directory },
      world.settings(),
      { oss: client },
    );
    expect(jsonOf(messages)).toMatchObject({ status: 'completed', success_count: 3, error_count: 0 });
    expect(await keysUnder(world.emulator, world.bucket, directory)).toEqual(
      ['a.bin', 'b.bin', 'c.bin'].map((name) => `${directory}/${name}`),
    );
    for (const [i, name] of ['a.bin', 'b.bin', 'c.bin'].entries()) {
      await expectStored(client, `${directory}/${name}`, sources[i]!.bytes);
    }
    await expectNoUploadsLeft(world.emulator, world.bucket);
  });

  it('reports the one file that meets a lasting 503 storm and verifies the others', async () => {
    const directory = freshDirectory();
    const sources = ['ok1.bin', 'bad.bin', 'ok2.bin', 'big.bin'].map((name) =>
      difySource(name, name === 'big.bin' ? LARGE : SMALL),
    );
    world.emulator.faults.add({
      key: `${directory}/bad.bin`,
      times: Number.POSITIVE_INFINITY,
      action: { type: 'status', status: 503, code: 'ServiceUnavailable' },
    });
    const messages = await runTool(
      'multi_upload_files',
      { files: sources.map((s) => s.file), directory },
      world.settings(),
      { oss: client },
    );
    expect(jsonOf(messages)).toMatchObject({ status: 'partial', success_count: 3, error_count: 1 });
    const bad = filesOf(messages).find((f) => f.filename === 'bad.bin' || f.source_filename === 'bad.bin');
    expect(bad).toMatchObject({ status: 'error', error_code: 'OSS_SERVER_ERROR' });
    world.emulator.faults.clear();
    expect(await keysUnder(world.emulator, world.bucket, directory)).toEqual(
      ['big.bin', 'ok1.bin', 'ok2.bin'].map((name) => `${directory}/${name}`),
    );
    for (const [i, name] of ['ok1.bin', 'bad.bin', 'ok2.bin', 'big.bin'].entries()) {
      if (name !== 'bad.bin') await expectStored(client, `${directory}/${name}`, sources[i]!.bytes);
    }
    await expectNoUploadsLeft(world.emulator, world.bucket);
  });

  it('reports the files that do not fit into a full store and leaves no parts behind', async () => {
    const full = await startEmulator({ buckets: ['full'], maxStoreBytes: 2 * LARGE + SMALL });
    const fullClient = smallPartClient(full, 'full');
    const credential = full.credentials[0]!;
    const settings = parseSettings({
      access_key_id: credential.accessKeyId,
      access_key_secret: credential.accessKeySecret,
      endpoint: full.endpoint,
      bucket: 'full',
      region: full.region,
      batch_concurrency: 1,
    });
    try {
      const sources = ['1.bin', '2.bin', '3.bin', '4.bin'].map((name) => difySource(name, LARGE));
      const messages = await runTool(
        'multi_upload_files',
        { files: sources.map((s) => s.file), directory: 'in' },
        settings,
        { oss: fullClient },
      );
      expect(jsonOf(messages)).toMatchObject({ status: 'partial', success_count: 2, error_count: 2 });
      const failed = filesOf(messages).filter((f) => f.status === 'error');
      expect(failed.map((f) => f.error_code)).toEqual(['OSS_SERVER_ERROR', 'OSS_SERVER_ERROR']);
      expect(await full.listMultipartUploads('full')).toEqual([]);
      expect(await keysUnder(full, 'full', 'in')).toEqual(['in/1.bin', 'in/2.bin']);
      await expectStored(fullClient, 'in/1.bin', sources[0]!.bytes);
      await expectStored(fullClient, 'in/2.bin', sources[1]!.bytes);
      expect(countOps(full, 'AbortMultipartUpload', 204)).toBe(2);
    } finally {
      await fullClient.close();
      await full.close();
    }
  });
});
