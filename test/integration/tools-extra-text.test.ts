// save_text and upload_from_url against the emulator: the upload path of upload_file, fed by a string
// or by the guarded fetcher.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OssClient } from '../../src/oss/client.js';
import { crc64 } from '../../src/oss/crc64.js';
import {
  type FileServer,
  filesOf,
  jsonOf,
  runTool,
  startFileServer,
  startWorld,
  type ToolsWorld,
} from './tools-harness.js';

let world: ToolsWorld;
let web: FileServer;
let client: OssClient;

async function read(key: string): Promise<{ bytes: Buffer; contentType: string }> {
  const object = await client.getObject(key);
  const chunks: Buffer[] = [];
  for await (const chunk of object.body) chunks.push(chunk as Buffer);
  return { bytes: Buffer.concat(chunks), contentType: object.contentType };
}

function newClient(extra: { singlePutThresholdBytes?: number; partSizeBytes?: number } = {}): OssClient {
  const credential = world.emulator.credentials[0]!;
  return new OssClient({
    accessKeyId: credential.accessKeyId,
    accessKeySecret: credential.accessKeySecret,
    endpoint: world.emulator.endpoint,
    bucket: world.bucket,
    region: world.emulator.region,
    ...extra,
  });
}

beforeAll(async () => {
  world = await startWorld();
  web = await startFileServer();
  client = newClient();
});

afterAll(async () => {
  await client.close();
  await web.close();
  await world.emulator.close();
});

describe('save_text', () => {
  it('stores CJK text byte-exact as UTF-8 text/plain, with the same JSON fields as upload_file', async () => {
    const content = '季度报告：收入增长 12%。\n日本語のテキスト 🚀\r\n  trailing spaces kept  ';
    const messages = await runTool(
      'save_text',
      { content, directory: 'reports', filename: '季度报告.txt' },
      world.settings(),
    );
    expect(messages.map((m) => m.type)).toEqual(['text', 'json']);
    const [file] = filesOf(messages);
    const bytes = Buffer.from(content, 'utf8');
    expect(file).toMatchObject({
      status: 'success',
      filename: '季度报告.txt',
      object_key: 'reports/季度报告.txt',
      file_size_bytes: bytes.length,
      content_type: 'text/plain; charset=utf-8',
      crc64: crc64(bytes).toString(),
    });
    expect(Object.keys(file!)).toEqual(
      expect.arrayContaining(['file_url', 'public_url', 'signed_url', 'etag', 'file_type', 'file_size_mb']),
    );
    const stored = await read('reports/季度报告.txt');
    expect(stored.bytes.equals(bytes)).toBe(true);
    expect(stored.contentType).toBe('text/plain; charset=utf-8');
  });

  it('names the file from the content type when no filename is given, and renames instead of overwriting', async () => {
    const first = filesOf(
      await runTool(
        'save_text',
        { content: '# Title', directory: 'notes', content_type: 'text/markdown' },
        world.settings(),
      ),
    )[0]!;
    expect(first).toMatchObject({
      object_key: 'notes/text.md',
      content_type: 'text/markdown; charset=utf-8',
    });
    const second = filesOf(
      await runTool(
        'save_text',
        { content: '# Other', directory: 'notes', content_type: 'text/markdown' },
        world.settings(),
      ),
    )[0]!;
    expect(second).toMatchObject({ object_key: 'notes/text-1.md', renamed_from: 'notes/text.md' });
    expect((await read('notes/text.md')).bytes.toString()).toBe('# Title');
  });

  it('takes the type from the filename extension when content_type is not given', async () => {
    const md = filesOf(
      await runTool('save_text', { content: '# R', directory: 'ext', filename: 'r.md' }, world.settings()),
    )[0]!;
    expect(md.content_type).toBe('text/markdown; charset=utf-8');
    await expect(
      runTool('save_text', { content: 'not json', directory: 'ext', filename: 'r.json' }, world.settings()),
    ).rejects.toMatchObject({ code: 'CONTENT_INVALID' });
  });

  it('validates JSON content and stores valid JSON as application/json, with a signed URL on request', async () => {
    await expect(
      runTool(
        'save_text',
        { content: '{"ok": tru}', directory: 'data', content_type: 'application/json' },
        world.settings(),
      ),
    ).rejects.toMatchObject({ code: 'CONTENT_INVALID' });
    expect(await world.emulator.listObjects(world.bucket, 'data/')).toEqual([]);
    const file = filesOf(
      await runTool(
        'save_text',
        {
          content: '{"ok": true}',
          directory: 'data',
          filename: 'result',
          content_type: 'application/json',
          signed: 'true',
        },
        world.settings(),
      ),
    )[0]!;
    expect(file).toMatchObject({
      object_key: 'data/result.json',
      content_type: 'application/json; charset=utf-8',
    });
    expect(file.signed_url).toContain('x-oss-signature=');
  });

  it('keeps to the scope: relative directories go under it and escapes are refused before any request', async () => {
    const settings = world.settings({ key_prefix_scope: 'agent-1' });
    const file = filesOf(
      await runTool('save_text', { content: 'x', directory: 'out', filename: 'a.txt' }, settings),
    )[0]!;
    expect(file.object_key).toBe('agent-1/out/a.txt');
    const before = world.emulator.requestLog.length;
    for (const params of [
      { directory: '../agent-2' },
      { directory: '%2e%2e/agent-2' },
      { directory: 'out\\..\\..\\agent-2' },
      { directory: 'out//x' },
      { directory: 'out', filename: '../../agent-2/a.txt' },
      { directory: 'out', filename: '%2e%2e/%2e%2e/agent-2/a.txt' },
    ]) {
      await expect(
        runTool('save_text', { content: 'x', ...params }, settings),
        JSON.stringify(params),
      ).rejects.toMatchObject({
        code: expect.stringMatching(/^(KEY_OUT_OF_SCOPE|KEY_INVALID)$/),
      });
    }
    expect(world.emulator.requestLog.length).toBe(before);
  });
});

describe('upload_from_url', () => {
  it('streams a body of unknown length into a multipart upload, byte-exact, with the JSON of upload_file', async () => {
    const body = randomBytes(600 * 1024);
    web.files.set('/pics/photo.jpg', { body, contentType: 'image/jpeg', chunked: true });
    const oss = newClient({ singlePutThresholdBytes: 128 * 1024, partSizeBytes: 128 * 1024 });
    const before = world.emulator.requestLog.length;
    const messages = await runTool(
      'upload_from_url',
      { url: web.url('/pics/photo.jpg'), directory: 'fetched' },
      world.settings({ public_download_allowed_hosts: web.host }),
      { oss },
    );
    await oss.close();
    const [file] = filesOf(messages);
    expect(file).toMatchObject({
      object_key: 'fetched/photo.jpg',
      content_type: 'image/jpeg',
      file_size_bytes: body.length,
      crc64: crc64(body).toString(),
    });
    const ops = world.emulator.requestLog.slice(before).map((r) => r.op);
    expect(ops.filter((op) => op === 'UploadPart').length).toBeGreaterThanOrEqual(4);
    expect((await read('fetched/photo.jpg')).bytes.equals(body)).toBe(true);
    expect(jsonOf(messages).status).toBe('completed');
  });

  it('refuses loopback and private addresses unless allow-listed, before any byte is fetched', async () => {
    web.files.set('/secret', { body: Buffer.from('internal'), contentType: 'text/plain' });
    const requests = web.requests.length;
    await expect(
      runTool('upload_from_url', { url: web.url('/secret'), directory: 'fetched' }, world.settings()),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^(SSRF_BLOCKED|URL_PORT_NOT_ALLOWED)$/) });
    await expect(
      runTool(
        'upload_from_url',
        { url: 'http://169.254.169.254/latest/meta-data', directory: 'f' },
        world.settings(),
      ),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^(SSRF_BLOCKED|URL_PORT_NOT_ALLOWED)$/) });
    await expect(
      runTool('upload_from_url', { url: 'file:///etc/passwd', directory: 'f' }, world.settings()),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^(URL_SCHEME_NOT_ALLOWED|URL_INVALID)$/) });
    expect(web.requests.length).toBe(requests);
  });

  it('stops at max_download_mb and stores nothing', async () => {
    web.files.set('/big.bin', { body: Buffer.alloc(1024 * 1024 + 1, 7), chunked: true });
    await expect(
      runTool(
        'upload_from_url',
        { url: web.url('/big.bin'), directory: 'too-big' },
        world.settings({ public_download_allowed_hosts: web.host, max_download_mb: 1 }),
      ),
    ).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
    expect(await world.emulator.listObjects(world.bucket, 'too-big/')).toEqual([]);
    expect(await world.emulator.listMultipartUploads(world.bucket)).toEqual([]);
  });

  it('keeps to the scope before fetching anything', async () => {
    web.files.set('/ok.txt', { body: Buffer.from('ok'), contentType: 'text/plain' });
    const settings = world.settings({ key_prefix_scope: 'agent-1', public_download_allowed_hosts: web.host });
    const requests = web.requests.length;
    for (const directory of ['../agent-2', '%2e%2e/agent-2', 'a\\..\\..\\agent-2', 'a//b']) {
      await expect(
        runTool('upload_from_url', { url: web.url('/ok.txt'), directory }, settings),
        directory,
      ).rejects.toMatchObject({ code: expect.stringMatching(/^(KEY_OUT_OF_SCOPE|KEY_INVALID)$/) });
    }
    expect(web.requests.length).toBe(requests);
    expect(await world.emulator.listObjects(world.bucket, 'agent-2/')).toEqual([]);
  });
});
