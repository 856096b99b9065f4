import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OssClient } from '../../src/oss/client.js';
import {
  difyFile,
  type FileServer,
  failureOf,
  jsonOf,
  runTool,
  startFileServer,
  startWorld,
  type ToolsWorld,
  writeCount,
} from '../integration/tools-harness.js';
import { CANARY_WRONG_SECRET, describeHits, scanText } from './canary.js';

let world: ToolsWorld;
let files: FileServer;

beforeAll(async () => {
  world = await startWorld();
  files = await startFileServer();
  files.files.set('/files/ok.txt', { body: Buffer.from('hello adversary') });
});

afterAll(async () => {
  await files.close();
  await world.emulator.close();
});

beforeEach(() => {
  world.emulator.faults.clear();
  world.emulator.requestLog.length = 0;
});

describe('invokeTool with hostile keys (§B24)', () => {
  const DIRECTORIES = [
    '/abs',
    '\\win',
    'a/../b',
    'a//b',
    '%2e%2e/x',
    '.',
    'a\u0001b',
    'x\r\ny',
    '季'.repeat(700),
  ];
  it.each(DIRECTORIES)('rejects directory %j with KEY_INVALID before any write', async (directory) => {
    const error = await failureOf(world, 'save_text', { content: 'x', directory });
    expect(error.code).toBe('KEY_INVALID');
    expect(writeCount(world)).toBe(0);
  });

  const NAMES = ['/abs', '\\win', 'a/../b', '..', '.', 'a\u0000b', 'a\u0007b'];
  it.each(NAMES)('rejects filename %j with KEY_INVALID before any write', async (filename) => {
    const error = await failureOf(world, 'save_text', { content: 'x', directory: 'ok', filename });
    expect(error.code).toBe('KEY_INVALID');
    expect(writeCount(world)).toBe(0);
  });

  it('keeps a 2000-byte CJK filename under 1023 key bytes, its extension and the directory', async () => {
    const filename = `${'季'.repeat(666)}.txt`;
    expect(Buffer.byteLength(filename)).toBeGreaterThan(1990);
    const json = jsonOf(
      await runTool('save_text', { content: 'x', directory: 'cjk', filename }, world.settings()),
    );
    const key = (json.files as Array<{ object_key: string }>)[0]?.object_key ?? '';
    expect(key.startsWith('cjk/')).toBe(true);
    expect(key.endsWith('.txt')).toBe(true);
    expect(Buffer.byteLength(key)).toBeLessThanOrEqual(1023);
    expect((await world.emulator.listObjects('tools-test', 'cjk/')).map((o) => o.key)).toEqual([key]);
  });

  const KEYS = ['/abs', '\\win', 'a/../b', '../x', 'a/./b', '.', '..', '季'.repeat(400)];
  it.each(KEYS)('rejects object_key %j with KEY_INVALID on every key tool, no OSS request', async (key) => {
    for (const tool of ['get_object_info', 'sign_url', 'delete_object']) {
      const error = await failureOf(
        world,
        tool,
        { object_key: key },
        world.settings({ allow_delete: 'true' }),
      );
      expect(error.code, tool).toBe('KEY_INVALID');
    }
    const copy = await failureOf(world, 'copy_object', { object_key: key, directory: 'copies' });
    expect(copy.code).toBe('KEY_INVALID');
    expect(world.emulator.requestLog).toEqual([]);
  });

  it('keeps every stored key under key_prefix_scope whatever the directory says', async () => {
    const scoped = world.settings({ key_prefix_scope: 'jail' });
    for (const directory of ['../out', 'jail/../../x', '/jail2', 'ok']) {
      await runTool('save_text', { content: 'x', directory }, scoped).catch(() => undefined);
    }
    const keys = world.emulator.requestLog.filter((r) => r.op === 'PutObject').map((r) => r.key);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => key?.startsWith('jail/'))).toBe(true);
  });
});

describe('invokeTool with URLs outside the configured bucket (§B44)', () => {
  it('refuses other buckets, regions, -internal hosts, userinfo and non-OSS schemes without a request', async () => {
    const host = new URL(world.emulator.endpoint).host;
    const urls = [
      `http://${host}/other-bucket/x.txt`,
      'https://other-bucket.oss-cn-hangzhou.aliyuncs.com/x.txt',
      'https://tools-test.oss-cn-beijing.aliyuncs.com/x.txt',
      'https://other-bucket.oss-cn-hangzhou-internal.aliyuncs.com/x.txt',
      'https://user:pass@tools-test.oss-cn-hangzhou.aliyuncs.com/x.txt',
      `http://user:pass@${host}/tools-test/x.txt`,
      'oss://other-bucket/x.txt',
      'javascript:alert(1)',
      'file:///etc/passwd',
      `http://${host}/tools-test/${'y'.repeat(3_000_000)}`,
    ];
    for (const url of urls) {
      for (const tool of ['get_file_by_url', 'get_object_info', 'get_files_by_urls']) {
        const param = tool === 'get_files_by_urls' ? 'file_urls' : 'file_url';
        const error = await failureOf(world, tool, { [param]: url });
        const code =
          tool === 'get_files_by_urls' ? (error.details as { files?: Array<{ error_code: string }> }) : error;
        const itemCode =
          'files' in (code as object)
            ? (code as { files: Array<{ error_code: string }> }).files[0]?.error_code
            : (code as { code: string }).code;
        expect(['URL_NOT_IN_BUCKET', 'KEY_INVALID'], `${tool} ${url.slice(0, 80)}`).toContain(itemCode);
        expect(error.text).not.toContain('pass@');
      }
    }
    expect(world.emulator.requestLog).toEqual([]);
  });
});

describe('invokeTool with out-of-range and mistyped parameters (§B41, §B43)', () => {
  it.each([99_999_999, -1, 'abc', 0, 1.5])(
    'rejects sign_url expires %j with INVALID_ARGUMENT',
    async (expires) => {
      const error = await failureOf(world, 'sign_url', { object_key: 'a.txt', expires });
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', details: { parameter: 'expires' } });
    },
  );

  it('clamps sign_expired to 1..604800 as documented (99999999 → 604800; -1 and abc → 3600)', async () => {
    for (const [value, expected] of [
      [99_999_999, '604800'],
      [-1, '3600'],
      ['abc', '3600'],
    ] as const) {
      const json = jsonOf(
        await runTool(
          'save_text',
          { content: 'x', directory: 'exp', signed: true, sign_expired: value },
          world.settings(),
        ),
      );
      const signed = (json.files as Array<{ signed_url: string }>)[0]?.signed_url ?? '';
      expect(new URL(signed).searchParams.get('x-oss-expires'), String(value)).toBe(expected);
    }
  });

  it('rejects wrong types and names the parameter, without running the handler', async () => {
    for (const [params, parameter] of [
      [{ content: 12, directory: 'd' }, 'content'],
      [{ content: 'x', directory: ['d'] }, 'directory'],
      [{ content: 'x', directory: 'd', signed: 'maybe' }, 'signed'],
      [{ content: 'x', directory: 'd', filename_mode: 'evil' }, 'filename_mode'],
    ] as const) {
      const error = await failureOf(world, 'save_text', params);
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', details: { parameter } });
    }
    expect(world.emulator.requestLog).toEqual([]);
  });

  it('answers a 5 MB parameter with a coded error, not a crash', async () => {
    const error = await failureOf(world, 'get_file_by_url', {
      file_url: `oss://tools-test/${'z'.repeat(5_000_000)}`,
    });
    expect(error.code).toBe('KEY_INVALID');
    expect(error.message.length).toBeLessThan(2000);
  });

  it('trims, drops empty and dedupes ;-list entries, and refuses more than max_files', async () => {
    await runTool('save_text', { content: 'one', directory: 'list', filename: 'one.txt' }, world.settings());
    const out = await runTool(
      'get_files_by_urls',
      { file_urls: ' ;; oss://tools-test/list/one.txt ; oss://tools-test/list/one.txt;; ' },
      world.settings(),
    );
    expect(out.filter((m) => m.type === 'blob')).toHaveLength(1);
    const many = Array.from({ length: 21 }, (_, i) => `oss://tools-test/n${i}`).join(';');
    expect((await failureOf(world, 'get_files_by_urls', { file_urls: many })).code).toBe('TOO_MANY_FILES');
    const dify = Array.from({ length: 3 }, () => difyFile(files.url('/files/ok.txt'), 'ok.txt'));
    const capped = world.settings({ max_files: '2' });
    expect((await failureOf(world, 'multi_upload_files', { files: dify, directory: 'm' }, capped)).code).toBe(
      'TOO_MANY_FILES',
    );
  });
});

describe('invokeTool storing active content (§B25)', () => {
  it('stores HTML and SVG payloads as attachments, never inline', async () => {
    files.files.set('/files/page.svg', {
      body: Buffer.from('<svg onload="alert(1)"/>'),
      contentType: 'image/svg+xml',
    });
    files.files.set('/files/png.html', { body: Buffer.from('\x89PNG\r\n\x1a\nxxxxxxxxxxxxxxxx', 'latin1') });
    const keys: string[] = [];
    const html = await runTool(
      'save_text',
      {
        content: '<script>alert(1)</script>',
        directory: 'xss',
        filename: 'p.html',
        content_type: 'text/html',
      },
      world.settings(),
    );
    keys.push((jsonOf(html).files as Array<{ object_key: string }>)[0]?.object_key ?? '');
    for (const path of ['/files/page.svg', '/files/png.html']) {
      const name = path.split('/').at(-1) ?? '';
      const out = await runTool(
        'upload_file',
        { file: difyFile(files.url(path), name), directory: 'xss' },
        world.settings(),
      );
      keys.push((jsonOf(out).files as Array<{ object_key: string }>)[0]?.object_key ?? '');
    }
    const client = ossClient();
    for (const key of keys) {
      const meta = await client.headObject(key);
      const inlineActive =
        /html|svg|xml|javascript/i.test(meta.contentType) &&
        !/^attachment/i.test(meta.contentDisposition ?? '');
      expect(inlineActive, `${key}: ${meta.contentType} ${meta.contentDisposition}`).toBe(false);
    }
    await client.close();
  });
});

function ossClient(): OssClient {
  const s = world.settings();
  return new OssClient({
    accessKeyId: s.access_key_id ?? '',
    accessKeySecret: s.access_key_secret ?? '',
    endpoint: s.endpoint ?? '',
    bucket: 'tools-test',
    region: s.region ?? '',
  });
}

describe('invokeTool against OSS errors (§B27, §B35, §B36)', () => {
  it('maps a wrong secret to OSS_SIGNATURE_MISMATCH with no signed material in the error', async () => {
    const error = await failureOf(
      world,
      'save_text',
      { content: 'x', directory: 'd' },
      world.settings({ access_key_secret: CANARY_WRONG_SECRET }),
    );
    expect(error.code).toBe('OSS_SIGNATURE_MISMATCH');
    const hits = scanText(error.text, 'error', 'log');
    expect(hits, describeHits(hits)).toEqual([]);
    expect(error.text).not.toMatch(/StringToSign|SignatureProvided|OSSAccessKeyId|x-oss-signature/i);
  });

  it.each([
    [403, 'AccessDenied', 'OSS_ACCESS_DENIED'],
    [400, 'InvalidObjectName', 'OSS_INVALID_REQUEST'],
  ])('does not retry HTTP %i %s (one PutObject, mapped code)', async (status, ossCode, code) => {
    world.emulator.faults.add({
      op: 'PutObject',
      times: 5,
      action: { type: 'status', status, code: ossCode },
    });
    const error = await failureOf(world, 'save_text', { content: 'x', directory: 'no-retry' });
    expect(error.code).toBe(code);
    expect(world.emulator.requestLog.filter((r) => r.op === 'PutObject')).toHaveLength(1);
  });

  it('survives a 20-minute server clock skew with one re-sign at the server offset, no retry storm', async () => {
    world.emulator.faults.add({
      times: Number.POSITIVE_INFINITY,
      action: { type: 'skew', ms: 20 * 60 * 1000 },
    });
    const json = jsonOf(await runTool('save_text', { content: 'x', directory: 'skew' }, world.settings()));
    expect(json).toMatchObject({ status: 'completed' });
    const log = world.emulator.requestLog.map((r) => `${r.op} ${r.status}`);
    // The first request meets the skew (403), the client re-signs once with the learnt offset.
    expect(log.filter((line) => line.endsWith(' 403'))).toHaveLength(1);
    expect(log.length).toBeLessThanOrEqual(3);
  });
});
