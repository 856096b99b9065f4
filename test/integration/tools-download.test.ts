import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { invokeTool } from '../../src/tools/invoke.js';
import type { ToolMessage } from '../../src/tools/tool-declaration.js';
import {
  type Collected,
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
const stored = new Map<string, Buffer>();

async function put(key: string, body: Buffer, contentType = 'application/octet-stream'): Promise<string> {
  web.files.set(`/src/${stored.size}`, { body, contentType });
  const messages = await runTool(
    'upload_file',
    {
      file: { url: web.url(`/src/${stored.size}`), filename: key.split('/').pop(), mime_type: contentType },
      directory: key.slice(0, key.lastIndexOf('/')),
    },
    world.settings({ overwrite: 'overwrite' }),
  );
  stored.set(key, body);
  return filesOf(messages)[0]!.public_url as string;
}

function blobs(messages: Collected[]): Array<Extract<Collected, { type: 'blob' }>> {
  return messages.filter((m): m is Extract<Collected, { type: 'blob' }> => m.type === 'blob');
}

beforeAll(async () => {
  world = await startWorld();
  web = await startFileServer();
});
afterAll(async () => {
  await web.close();
  await world.emulator.close();
});

describe('get_file_by_url', () => {
  it('streams an object of the bucket as a blob with exact size, name and type, plus JSON and a link', async () => {
    const body = randomBytes(5000);
    const url = await put('dl/季度 #1.pdf', body, 'application/pdf');
    const messages = await runTool('get_file_by_url', { file_url: url }, world.settings());
    expect(messages.map((m) => m.type)).toEqual(['text', 'json', 'link', 'blob']);
    const [blob] = blobs(messages);
    expect(blob).toMatchObject({ size: 5000, filename: '季度 #1.pdf', mimeType: 'application/pdf' });
    expect(blob!.bytes.equals(body)).toBe(true);
    expect(jsonOf(messages)).toMatchObject({
      key: 'dl/季度 #1.pdf',
      size: 5000,
      content_type: 'application/pdf',
    });
    expect(jsonOf(messages).etag).toEqual(expect.any(String));
    expect(jsonOf(messages).last_modified).toEqual(expect.any(String));
  });

  it('accepts oss://bucket/key, signed URLs and the custom domain (B5)', async () => {
    const body = Buffer.from('domain bytes');
    await put('dl/d.txt', body, 'text/plain');
    const settings = world.settings({ custom_domain: 'files.example.com' });
    for (const file_url of [
      'oss://tools-test/dl/d.txt',
      'https://files.example.com/dl/d.txt?x-oss-signature=abc',
    ]) {
      const [blob] = blobs(await runTool('get_file_by_url', { file_url }, settings));
      expect(blob!.bytes.toString()).toBe('domain bytes');
    }
  });

  it('refuses URLs of other hosts and buckets without sending any request (B1)', async () => {
    const logBefore = world.emulator.requestLog.length;
    const webBefore = web.requests.length;
    for (const file_url of [
      web.url('/tools-test/dl/d.txt'),
      'oss://other-bucket/dl/d.txt',
      `${world.emulator.endpoint}/other-bucket/dl/d.txt`,
      'https://tools-test.evil.example.com/dl/d.txt',
      'http://latest.100.100.100.200/meta-data',
    ]) {
      await expect(runTool('get_file_by_url', { file_url }, world.settings())).rejects.toMatchObject({
        code: 'URL_NOT_IN_BUCKET',
      });
    }
    expect(world.emulator.requestLog.length).toBe(logBefore);
    expect(web.requests.length).toBe(webBefore);
  });

  it('refuses an object over max_download_mb from the GET headers, without reading its body', async () => {
    const url = await put('dl/big.bin', randomBytes(1024 * 1024 + 1));
    const before = world.emulator.requestLog.length;
    // The body stalls for longer than the test may run: reading any of it would time the test out.
    world.emulator.faults.add({ op: 'GetObject', action: { type: 'delay', ms: 300_000, phase: 'body' } });
    await expect(
      runTool('get_file_by_url', { file_url: url }, world.settings({ max_download_mb: 1 })),
    ).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE',
    });
    await vi.waitFor(() =>
      expect(world.emulator.requestLog.slice(before).map((entry) => entry.op)).toEqual(['GetObject']),
    );
  });

  it('raises a missing object as an error instead of swallowing it (B10)', async () => {
    await expect(
      runTool('get_file_by_url', { file_url: 'oss://tools-test/dl/none.txt' }, world.settings()),
    ).rejects.toMatchObject({
      code: 'OSS_NO_SUCH_KEY',
    });
  });

  it('refuses keys outside key_prefix_scope before any request', async () => {
    const before = world.emulator.requestLog.length;
    for (const file_url of ['oss://tools-test/dl/d.txt', 'oss://tools-test/agents/a1/%2e%2e/x.txt']) {
      await expect(
        runTool('get_file_by_url', { file_url }, world.settings({ key_prefix_scope: 'agents/a1' })),
      ).rejects.toMatchObject({ code: 'KEY_OUT_OF_SCOPE' });
    }
    expect(world.emulator.requestLog.length).toBe(before);
  });

  it('keeps a connection reset that comes before the face reads the blob for that reader, not the process', async () => {
    // Found by the soak (seed 12280718): the body errored while the tool was still yielding its text and
    // JSON, with no 'error' listener on it yet, and the unhandled 'error' event killed the plugin.
    const url = await put('dl/reset-early.bin', randomBytes(256 * 1024));
    world.emulator.faults.add({ op: 'GetObject', times: 1, action: { type: 'reset', afterBytes: 1000 } });
    const messages = invokeTool(
      'get_file_by_url',
      { file_url: url },
      { face: 'dify', settings: world.settings() },
    );
    let next = await messages.next();
    while (!next.done && next.value.type !== 'blob') next = await messages.next();
    const blob = next.value as Extract<ToolMessage, { type: 'blob' }>;
    // Nobody reads yet: the reset reaches the stream, which closes on its own (no error listener of ours).
    await new Promise((resolve) => blob.stream.on('close', resolve));
    expect(blob.stream.errored).toMatchObject({ code: 'OSS_NETWORK_ERROR' });
    const read = async () => {
      for await (const _chunk of blob.stream) {
        // the stored error surfaces here, for the face
      }
    };
    await expect(read()).rejects.toMatchObject({ code: 'OSS_NETWORK_ERROR' });
    expect((await messages.next()).done).toBe(true);
  });
});

describe('get_files_by_urls', () => {
  it('downloads a ;-list with a partial failure, duplicates once, in input order (B10, B15)', async () => {
    const a = await put('batch/a.txt', Buffer.from('AAA'), 'text/plain');
    const b = await put('batch/b.txt', Buffer.from('BBBB'), 'text/plain');
    const messages = await runTool(
      'get_files_by_urls',
      { file_urls: ` ${a} ; ${b};;${a}\noss://tools-test/batch/none.txt;https://elsewhere.example.com/x;` },
      world.settings(),
    );
    expect(blobs(messages).map((blob) => blob.bytes.toString())).toEqual(['AAA', 'BBBB']);
    const json = jsonOf(messages);
    expect(json).toMatchObject({ status: 'partial', success_count: 2, error_count: 2, total_size_bytes: 7 });
    expect((json.files as Array<Record<string, unknown>>).map((f) => f.error_code ?? f.status)).toEqual([
      'success',
      'success',
      'OSS_NO_SUCH_KEY',
      'URL_NOT_IN_BUCKET',
    ]);
    const text = messages.find((m) => m.type === 'text');
    expect(text).toMatchObject({ text: expect.stringContaining('Failed: 2 files') });
  });

  it('accepts a JSON array and fails only when every item failed', async () => {
    await expect(
      runTool(
        'get_files_by_urls',
        { file_urls: '["oss://tools-test/none-1", "oss://tools-test/none-2"]' },
        world.settings(),
      ),
    ).rejects.toMatchObject({ code: 'ALL_ITEMS_FAILED' });
  });

  it('refuses more URLs than max_files before any request', async () => {
    const before = world.emulator.requestLog.length;
    await expect(
      runTool(
        'get_files_by_urls',
        { file_urls: ['oss://tools-test/1', 'oss://tools-test/2', 'oss://tools-test/3'] },
        world.settings({ max_files: 2 }),
      ),
    ).rejects.toMatchObject({ code: 'TOO_MANY_FILES' });
    expect(world.emulator.requestLog.length).toBe(before);
  });

  it('streams every item of a larger batch byte-exact with a small concurrency (B11)', async () => {
    const urls: string[] = [];
    for (let index = 0; index < 8; index += 1)
      urls.push(await put(`conc/${index}.bin`, randomBytes(300_000)));
    const before = world.emulator.requestLog.length;
    const messages = await runTool(
      'get_files_by_urls',
      { file_urls: urls },
      world.settings({ batch_concurrency: 2 }),
    );
    expect(
      blobs(messages).map((blob) =>
        blob.bytes.equals(stored.get(`conc/${blobs(messages).indexOf(blob)}.bin`)!),
      ),
    ).toEqual(Array(8).fill(true));
    // The emulator logs a request when its response closes, which may follow the client's last read.
    const gets = () => world.emulator.requestLog.slice(before).filter((entry) => entry.op === 'GetObject');
    await vi.waitFor(() => expect(gets()).toHaveLength(8));
  });
});

describe('get_public_file_by_url', () => {
  it('downloads from an allowed host with the name from Content-Disposition', async () => {
    web.files.set('/pub/x', {
      body: Buffer.from('%PDF-1.7 public'),
      contentType: 'application/pdf',
      contentDisposition: 'attachment; filename="fallback.pdf"; filename*=UTF-8\'\'%E6%8A%A5%E5%91%8A.pdf',
    });
    const messages = await runTool(
      'get_public_file_by_url',
      { file_url: web.url('/pub/x') },
      world.settings({ public_download_allowed_hosts: web.host }),
    );
    expect(messages.map((m) => m.type)).toEqual(['text', 'json', 'blob']);
    expect(blobs(messages)[0]).toMatchObject({ filename: '报告.pdf', mimeType: 'application/pdf', size: 15 });
  });

  it('gives a chunked body its exact size', async () => {
    const body = randomBytes(200_000);
    web.files.set('/pub/chunked.bin', { body, chunked: true });
    const [blob] = blobs(
      await runTool(
        'get_public_file_by_url',
        { file_url: web.url('/pub/chunked.bin') },
        world.settings({ public_download_allowed_hosts: web.host }),
      ),
    );
    expect(blob!.size).toBe(200_000);
    expect(blob!.bytes.equals(body)).toBe(true);
  });

  it('blocks loopback without the allow-list and refuses oversize bodies (B2)', async () => {
    web.files.set('/pub/big', { body: randomBytes(1024 * 1024 + 5) });
    const before = web.requests.length;
    await expect(
      runTool('get_public_file_by_url', { file_url: web.url('/pub/big') }, world.settings()),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/^(SSRF_BLOCKED|URL_PORT_NOT_ALLOWED)$/),
    });
    await expect(
      runTool('get_public_file_by_url', { file_url: 'http://127.0.0.1/x' }, world.settings()),
    ).rejects.toMatchObject({
      code: 'SSRF_BLOCKED',
    });
    expect(web.requests.length).toBe(before);
    await expect(
      runTool(
        'get_public_file_by_url',
        { file_url: web.url('/pub/big') },
        world.settings({ public_download_allowed_hosts: web.host, max_download_mb: 1 }),
      ),
    ).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
  });

  it('works without OSS settings, since it never touches the bucket', async () => {
    web.files.set('/pub/plain.txt', { body: Buffer.from('plain'), contentType: 'text/plain' });
    const { parseSettings } = await import('../../src/config/settings.js');
    const [blob] = blobs(
      await runTool(
        'get_public_file_by_url',
        { file_url: web.url('/pub/plain.txt') },
        parseSettings({ public_download_allowed_hosts: web.host }),
      ),
    );
    expect(blob!.bytes.toString()).toBe('plain');
  });
});
