// The issue #8 tools as the Dify daemon calls them: the plugin as a child process on stdin/stdout,
// driven by the spec-side driver, credentials and parameters in Dify's shapes ("" and null for empty
// optionals, booleans as strings), the emulator standing in for OSS.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_BUCKET,
  DEFAULT_CREDENTIAL,
  type Emulator,
  startEmulator,
} from '../../src/emulator/server.js';
import { OssClient } from '../../src/oss/client.js';
import { type Json, type PluginProcess, type SessionResult, spawnPlugin } from './driver.js';

let emulator: Emulator;
let plugin: PluginProcess;
let client: OssClient;
let web: Server;
let webHost = '';
let sessions = 0;

function credentials(over: Record<string, string> = {}): Record<string, string> {
  return {
    access_key_id: DEFAULT_CREDENTIAL.accessKeyId,
    access_key_secret: DEFAULT_CREDENTIAL.accessKeySecret,
    endpoint: emulator.endpoint,
    bucket: DEFAULT_BUCKET,
    region: emulator.region,
    ...over,
  };
}

function invoke(
  tool: string,
  tool_parameters: Record<string, unknown>,
  over: Record<string, string> = {},
): Promise<SessionResult> {
  sessions += 1;
  return plugin.driver.call(
    `x-${sessions}`,
    {
      type: 'tool',
      action: 'invoke_tool',
      provider: 'aliyun_oss',
      tool,
      credentials: credentials(over),
      tool_parameters,
    },
    30_000,
  );
}

function jsonOf(result: SessionResult): Json {
  expect(result.error).toBeNull();
  return result.streams.find((s) => s.type === 'json')?.message.json_object;
}

async function read(key: string): Promise<Buffer> {
  const object = await client.getObject(key);
  const chunks: Buffer[] = [];
  for await (const chunk of object.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  emulator = await startEmulator();
  client = new OssClient({
    ...DEFAULT_CREDENTIAL,
    endpoint: emulator.endpoint,
    bucket: DEFAULT_BUCKET,
    region: emulator.region,
  });
  web = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 }).end('{"from":1} ');
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  webHost = `127.0.0.1:${(web.address() as AddressInfo).port}`;
  plugin = spawnPlugin();
});

afterAll(async () => {
  plugin.child.stdin?.end();
  const exited = await Promise.race([
    plugin.exited,
    new Promise((resolve) => setTimeout(resolve, 10_000, null)),
  ]);
  if (exited === null) plugin.child.kill('SIGKILL');
  await client.close();
  await new Promise((resolve) => web.close(resolve));
  await emulator.close();
});

describe('issue #8 tools through the Dify runtime', () => {
  it('save_text stores CJK content byte-exact and answers with text then upload_file JSON', async () => {
    const content = '会议纪要\n- 决定：下周发布 ✅\n- 担当：山田さん';
    const result = await invoke('save_text', {
      content,
      directory: 'minutes',
      filename: '纪要.md',
      content_type: '',
      filename_mode: null,
      directory_mode: '',
      signed: null,
      sign_expired: '',
    });
    expect(result.streams.map((s) => s.type)).toEqual(['text', 'json']);
    const file = jsonOf(result).files[0];
    expect(file).toMatchObject({
      status: 'success',
      object_key: 'minutes/纪要.md',
      content_type: 'text/markdown; charset=utf-8',
    });
    expect((await read('minutes/纪要.md')).equals(Buffer.from(content, 'utf8'))).toBe(true);
  });

  it('list_objects, get_object_info and sign_url answer with Dify empty values for their optionals', async () => {
    await client.putObject('conf/a.txt', Buffer.from('alpha'), { meta: { source: 'conformance' } });
    await client.putObject('conf/sub/b.txt', Buffer.from('beta'));
    const listed = jsonOf(
      await invoke('list_objects', {
        prefix: 'conf/',
        delimiter: '/',
        max_keys: null,
        continuation_token: '',
      }),
    );
    expect(listed.objects.map((o: Json) => o.key)).toEqual(['conf/a.txt']);
    expect(listed.common_prefixes).toEqual([{ prefix: 'conf/sub/', relative_prefix: 'conf/sub/' }]);
    const info = jsonOf(await invoke('get_object_info', { file_url: '', object_key: 'conf/a.txt' }));
    expect(info).toMatchObject({ size: 5, user_metadata: { source: 'conformance' } });
    const signed = await invoke('sign_url', {
      file_url: `oss://${DEFAULT_BUCKET}/conf/a.txt`,
      object_key: null,
      method: '',
      expires: '',
      content_type: '',
      download_filename: '',
    });
    expect(signed.streams.map((s) => s.type)).toEqual(['text', 'json', 'link']);
    const url = jsonOf(signed).url as string;
    expect(signed.streams[2].message.text).toBe(url);
    expect(new URL(url).searchParams.get('x-oss-expires')).toBe('3600');
    const response = await fetch(url);
    expect(await response.text()).toBe('alpha');
  });

  it('upload_from_url and copy_object store what they report', async () => {
    const uploaded = jsonOf(
      await invoke(
        'upload_from_url',
        { url: `http://${webHost}/api/data.json`, directory: 'fetched', filename: '' },
        { public_download_allowed_hosts: webHost },
      ),
    );
    expect(uploaded.files[0]).toMatchObject({ object_key: 'fetched/data.json', file_size_bytes: 11 });
    const copied = jsonOf(
      await invoke('copy_object', { object_key: 'fetched/data.json', directory: 'backup', filename: '' }),
    );
    expect(copied).toMatchObject({ object_key: 'backup/data.json', size: 11 });
    expect((await read('backup/data.json')).toString()).toBe('{"from":1} ');
  });

  it('delete_object is refused with DELETE_DISABLED unless allow_delete is "true"', async () => {
    await client.putObject('conf/delete-me.txt', Buffer.from('x'));
    const refused = await invoke('delete_object', { object_key: 'conf/delete-me.txt', file_url: '' });
    expect(refused.error).toMatchObject({ error_type: 'DELETE_DISABLED' });
    expect(await emulator.listObjects(DEFAULT_BUCKET, 'conf/delete-me.txt')).toHaveLength(1);
    const deleted = await invoke(
      'delete_object',
      { object_key: 'conf/delete-me.txt', file_url: '' },
      { allow_delete: 'true' },
    );
    expect(jsonOf(deleted)).toMatchObject({ status: 'deleted', existed: true });
    expect(await emulator.listObjects(DEFAULT_BUCKET, 'conf/delete-me.txt')).toEqual([]);
  });

  it('answers every escape from key_prefix_scope with KEY_OUT_OF_SCOPE and sends nothing to OSS', async () => {
    const scoped = { key_prefix_scope: 'conf', allow_delete: 'true' };
    const outside = `oss://${DEFAULT_BUCKET}/minutes/纪要.md`;
    const calls: Array<[string, Record<string, unknown>]> = [
      ['list_objects', { prefix: '../' }],
      ['list_objects', { prefix: '%2e%2e/' }],
      ['get_object_info', { object_key: '../minutes/纪要.md' }],
      ['get_object_info', { file_url: outside }],
      ['sign_url', { object_key: '%2e%2e/minutes/纪要.md' }],
      ['sign_url', { object_key: '..\\minutes\\纪要.md', method: 'PUT' }],
      ['copy_object', { file_url: outside, directory: 'stolen' }],
      ['copy_object', { object_key: 'a.txt', directory: '../minutes' }],
      ['delete_object', { object_key: 'sub//b.txt' }],
      ['delete_object', { file_url: outside }],
      ['save_text', { content: 'x', directory: '%2e%2e/minutes' }],
      ['upload_from_url', { url: `http://${webHost}/x.json`, directory: '../minutes' }],
    ];
    const before = emulator.requestLog.length;
    for (const [tool, params] of calls) {
      const result = await invoke(tool, params, { ...scoped, public_download_allowed_hosts: webHost });
      expect(result.error, `${tool} ${JSON.stringify(params)}`).toMatchObject({
        error_type: 'KEY_OUT_OF_SCOPE',
      });
    }
    expect(emulator.requestLog.length).toBe(before);
    expect(plugin.driver.problems).toEqual([]);
  });
});
