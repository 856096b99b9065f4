// list_objects, get_object_info, copy_object and delete_object against the emulator, through invokeTool.
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OssClient, type PutOptions, type PutResult } from '../../src/oss/client.js';
import { crc64 } from '../../src/oss/crc64.js';
import { createCopyObjectTool } from '../../src/tools/copy-object.js';
import { invokeTool } from '../../src/tools/invoke.js';
import { jsonOf, runTool, startWorld, type ToolsWorld } from './tools-harness.js';

let world: ToolsWorld;
let client: OssClient;

function newClient(): OssClient {
  const credential = world.emulator.credentials[0]!;
  return new OssClient({
    accessKeyId: credential.accessKeyId,
    accessKeySecret: credential.accessKeySecret,
    endpoint: world.emulator.endpoint,
    bucket: world.bucket,
    region: world.emulator.region,
  });
}

beforeAll(async () => {
  world = await startWorld();
  client = newClient();
  const limit = pLimit(8);
  const keys = Array.from({ length: 250 }, (_, i) => `many/item-${String(i).padStart(3, '0')}.txt`);
  await Promise.all(keys.map((key) => limit(() => client.putObject(key, Buffer.from(key)))));
  await client.putObject('team-a/reports/q1.md', Buffer.from('# Q1'), { contentType: 'text/markdown' });
  await client.putObject('team-a/reports/2025/q2.md', Buffer.from('# Q2'));
  await client.putObject('team-a/readme.txt', Buffer.from('read me'));
  await client.putObject('team-ab/secret.txt', Buffer.from('not yours'));
});

afterAll(async () => {
  await client.close();
  await world.emulator.close();
});

describe('list_objects', () => {
  it('pages through 250 keys with max_keys and continuation tokens, each key once and in order', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const json = jsonOf(
        await runTool(
          'list_objects',
          { prefix: 'many/', max_keys: '100', continuation_token: token ?? '' },
          world.settings(),
        ),
      );
      pages += 1;
      const objects = json.objects as Array<Record<string, unknown>>;
      seen.push(...objects.map((object) => object.key as string));
      token = (json.next_continuation_token as string | null) ?? undefined;
      expect(json.is_truncated).toBe(token !== undefined);
    } while (token && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(250);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(250);
  });

  it('lists 100 keys by default with size, last-modified and ETag', async () => {
    const json = jsonOf(await runTool('list_objects', { prefix: 'many/' }, world.settings()));
    const objects = json.objects as Array<Record<string, unknown>>;
    expect(objects).toHaveLength(100);
    expect(objects[0]).toMatchObject({
      key: 'many/item-000.txt',
      relative_key: 'many/item-000.txt',
      size: 'many/item-000.txt'.length,
      etag: expect.stringMatching(/^[0-9A-F]{32}$/i),
      last_modified: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('lists relative to the scope, folders as common prefixes, and never a sibling prefix', async () => {
    const settings = world.settings({ key_prefix_scope: 'team-a' });
    const json = jsonOf(await runTool('list_objects', { delimiter: '/' }, settings));
    expect(json.prefix).toBe('team-a/');
    expect(json.objects).toEqual([
      expect.objectContaining({ key: 'team-a/readme.txt', relative_key: 'readme.txt' }),
    ]);
    expect(json.common_prefixes).toEqual([{ prefix: 'team-a/reports/', relative_prefix: 'reports/' }]);
    const all = jsonOf(await runTool('list_objects', { prefix: 'team-a' }, settings));
    expect((all.objects as Array<Record<string, unknown>>).map((o) => o.relative_key)).toEqual([
      'readme.txt',
      'reports/2025/q2.md',
      'reports/q1.md',
    ]);
  });

  it.each(['../', '%2e%2e/', '..\\', 'reports//', '/'])(
    'refuses prefix %s with KEY_OUT_OF_SCOPE before any request',
    async (prefix) => {
      const before = world.emulator.requestLog.length;
      await expect(
        runTool('list_objects', { prefix }, world.settings({ key_prefix_scope: 'team-a' })),
      ).rejects.toMatchObject({ code: 'KEY_OUT_OF_SCOPE' });
      expect(world.emulator.requestLog.length).toBe(before);
    },
  );
});

describe('get_object_info', () => {
  it('returns size, type, ETag, CRC-64, last modified, storage class and user metadata', async () => {
    const body = Buffer.from('metadata please');
    await client.putObject('info/a.json', body, {
      contentType: 'application/json',
      meta: { author: 'agent-7' },
      storageClass: 'IA',
    });
    const before = world.emulator.requestLog.length;
    const messages = await runTool('get_object_info', { object_key: 'info/a.json' }, world.settings());
    expect(messages.map((m) => m.type)).toEqual(['text', 'json']);
    expect(jsonOf(messages)).toMatchObject({
      object_key: 'info/a.json',
      size: body.length,
      content_type: 'application/json',
      etag: expect.stringMatching(/^[0-9A-F]{32}$/i),
      crc64: crc64(body).toString(),
      storage_class: 'IA',
      user_metadata: { author: 'agent-7' },
      last_modified: expect.stringMatching(/^\d{4}-/),
    });
    expect(world.emulator.requestLog.slice(before).map((r) => r.op)).toEqual(['HeadObject']);
  });

  it('finds the object by its file_url too, and reports OSS_NO_SUCH_KEY for a missing one', async () => {
    const url = `${world.emulator.endpoint}/${world.bucket}/team-a/readme.txt`;
    const json = jsonOf(
      await runTool('get_object_info', { file_url: url }, world.settings({ key_prefix_scope: 'team-a' })),
    );
    expect(json).toMatchObject({ object_key: 'team-a/readme.txt', relative_key: 'readme.txt', size: 7 });
    await expect(
      runTool('get_object_info', { object_key: 'nope.txt' }, world.settings()),
    ).rejects.toMatchObject({
      code: 'OSS_NO_SUCH_KEY',
    });
  });
});

describe('copy_object', () => {
  it('copies on the server side, keeping bytes and type, and renames when the name is taken', async () => {
    const settings = world.settings({ key_prefix_scope: 'team-a' });
    const before = world.emulator.requestLog.length;
    const first = jsonOf(
      await runTool('copy_object', { object_key: 'reports/q1.md', directory: 'archive' }, settings),
    );
    expect(first).toMatchObject({
      source_key: 'team-a/reports/q1.md',
      object_key: 'team-a/archive/q1.md',
      relative_key: 'archive/q1.md',
      size: 4,
      crc64: crc64(Buffer.from('# Q1')).toString(),
      multipart: false,
      renamed_from: null,
    });
    const ops = world.emulator.requestLog.slice(before).map((r) => r.op);
    expect(ops).toContain('CopyObject');
    expect(ops).not.toContain('GetObject');
    expect(ops).not.toContain('PutObject');
    const second = jsonOf(
      await runTool('copy_object', { object_key: 'reports/q1.md', directory: 'archive' }, settings),
    );
    expect(second).toMatchObject({
      object_key: 'team-a/archive/q1-1.md',
      renamed_from: 'team-a/archive/q1.md',
    });
    const copy = await client.getObject('team-a/archive/q1-1.md');
    expect(copy.contentType).toBe('text/markdown');
    const chunks: Buffer[] = [];
    for await (const chunk of copy.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('# Q1');
  });

  it('fails with OSS_FILE_ALREADY_EXISTS under the fail policy and replaces under overwrite', async () => {
    await client.putObject('copy/target.txt', Buffer.from('old'));
    await client.putObject('copy/source.txt', Buffer.from('new bytes'));
    const params = { object_key: 'copy/source.txt', directory: 'copy', filename: 'target.txt' };
    await expect(runTool('copy_object', params, world.settings({ overwrite: 'fail' }))).rejects.toMatchObject(
      {
        code: 'OSS_FILE_ALREADY_EXISTS',
      },
    );
    expect((await client.headObject('copy/target.txt')).size).toBe(3);
    const json = jsonOf(await runTool('copy_object', params, world.settings({ overwrite: 'overwrite' })));
    expect(json).toMatchObject({ object_key: 'copy/target.txt', size: 9 });
  });

  it('keeps source and destination inside the scope, refusing escapes before any request', async () => {
    const settings = world.settings({ key_prefix_scope: 'team-a' });
    const before = world.emulator.requestLog.length;
    for (const params of [
      { object_key: '../team-ab/secret.txt', directory: 'stolen' },
      { object_key: '%2e%2e/team-ab/secret.txt', directory: 'stolen' },
      { file_url: `oss://${world.bucket}/team-ab/secret.txt`, directory: 'stolen' },
      { object_key: 'readme.txt', directory: '../team-ab' },
      { object_key: 'readme.txt', directory: '%2e%2e/team-ab' },
      { object_key: 'readme.txt', directory: 'a\\..\\..\\team-ab' },
      { object_key: 'readme.txt', directory: 'a//b' },
      { object_key: 'readme.txt', directory: 'x', filename: '../../team-ab/y.txt' },
    ]) {
      await expect(runTool('copy_object', params, settings), JSON.stringify(params)).rejects.toMatchObject({
        code: expect.stringMatching(/^(KEY_OUT_OF_SCOPE|KEY_INVALID)$/),
      });
    }
    expect(world.emulator.requestLog.length).toBe(before);
  });

  it('hands its multipart threshold to the client, so a small one can force UploadPartCopy', async () => {
    const seen: Array<PutOptions & { multipartThresholdBytes?: number }> = [];
    class RecordingClient extends OssClient {
      override copyObject(source: string, target: string, options: PutOptions = {}): Promise<PutResult> {
        seen.push(options);
        return super.copyObject(source, target, options);
      }
    }
    const credential = world.emulator.credentials[0]!;
    const oss = new RecordingClient({
      accessKeyId: credential.accessKeyId,
      accessKeySecret: credential.accessKeySecret,
      endpoint: world.emulator.endpoint,
      bucket: world.bucket,
      region: world.emulator.region,
    });
    const tool = createCopyObjectTool({ multipartThresholdBytes: 1024 });
    const params = { object_key: 'team-a/readme.txt', directory: 'small' };
    for await (const _message of invokeTool('copy_object', params, {
      face: 'mcp',
      settings: world.settings(),
      oss,
      tools: [tool],
    })) {
      // drained
    }
    await oss.close();
    expect(seen).toEqual([expect.objectContaining({ multipartThresholdBytes: 1024, forbidOverwrite: true })]);
  });
});

describe('delete_object', () => {
  it('is refused with DELETE_DISABLED by default and the object stays', async () => {
    await client.putObject('del/keep.txt', Buffer.from('keep'));
    const before = world.emulator.requestLog.length;
    await expect(
      runTool('delete_object', { object_key: 'del/keep.txt' }, world.settings()),
    ).rejects.toMatchObject({
      code: 'DELETE_DISABLED',
    });
    expect(world.emulator.requestLog.length).toBe(before);
    expect((await client.headObject('del/keep.txt')).size).toBe(4);
  });

  it('deletes one object when allow_delete is on, and says when there was nothing to delete', async () => {
    await client.putObject('del/gone.txt', Buffer.from('bye'));
    await client.putObject('del/gone.txt.bak', Buffer.from('stay'));
    const settings = world.settings({ allow_delete: 'true' });
    const url = `${world.emulator.endpoint}/${world.bucket}/del/gone.txt`;
    const json = jsonOf(await runTool('delete_object', { file_url: url }, settings));
    expect(json).toMatchObject({ status: 'deleted', object_key: 'del/gone.txt', existed: true });
    await expect(client.headObject('del/gone.txt')).rejects.toMatchObject({ code: 'OSS_NO_SUCH_KEY' });
    expect((await client.headObject('del/gone.txt.bak')).size).toBe(4);
    const again = jsonOf(await runTool('delete_object', { object_key: 'del/gone.txt' }, settings));
    expect(again).toMatchObject({ status: 'not_found', existed: false });
  });

  it('never deletes a folder prefix in bulk', async () => {
    const before = world.emulator.requestLog.length;
    await expect(
      runTool('delete_object', { object_key: 'many/' }, world.settings({ allow_delete: 'true' })),
    ).rejects.toMatchObject({ code: 'KEY_INVALID' });
    expect(world.emulator.requestLog.length).toBe(before);
    expect(await world.emulator.listObjects(world.bucket, 'many/')).toHaveLength(250);
  });

  it.each(['../team-ab/secret.txt', '%2e%2e/team-ab/secret.txt', '..\\team-ab\\secret.txt', 'x//y.txt'])(
    'refuses %s outside the scope before any request',
    async (object_key) => {
      const before = world.emulator.requestLog.length;
      await expect(
        runTool(
          'delete_object',
          { object_key },
          world.settings({ allow_delete: 'true', key_prefix_scope: 'team-a' }),
        ),
      ).rejects.toMatchObject({ code: 'KEY_OUT_OF_SCOPE' });
      expect(world.emulator.requestLog.length).toBe(before);
      expect((await client.headObject('team-ab/secret.txt')).size).toBe(9);
    },
  );
});
