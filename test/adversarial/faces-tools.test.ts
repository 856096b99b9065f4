// Adversarial cases of security-reliability.md §B through invokeTool, the one entry every face uses:
// hostile keys and URLs (§B24, §B44), out-of-range and mistyped parameters (§B41, §B43), active content
// (§B25), wrong secret (§B27), no retry on 403/400 (§B35), clock skew (§B36), a mixed batch (§B38),
// cancellation (§B39) and an expired Dify file URL (§B40). Net-level cases live in net-*.test.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OssClient } from '../../src/oss/client.js';
import {
  type Collected,
  difyFile,
  type FileServer,
  jsonOf,
  runTool,
  startFileServer,
  startWorld,
  type ToolsWorld,
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

/** Runs a tool and returns its error (or fails the test when it succeeds). */
async function failureOf(
  name: string,
  params: Record<string, unknown>,
  settings = world.settings(),
  extra: Parameters<typeof runTool>[3] = {},
): Promise<{ code: string; message: string; details?: unknown; text: string }> {
  try {
    const out = await runTool(name, params, settings, extra);
    throw new Error(`expected ${name} to fail, got ${JSON.stringify(out).slice(0, 300)}`);
  } catch (error) {
    const e = error as { code: string; message: string; details?: unknown };
    const text = JSON.stringify({ ...e, message: e.message });
    return { ...e, code: e.code, message: e.message, details: e.details, text };
  }
}

const writes = (): number =>
  world.emulator.requestLog.filter((r) => ['PutObject', 'InitiateMultipartUpload'].includes(r.op)).length;

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
    const error = await failureOf('save_text', { content: 'x', directory });
    expect(error.code).toBe('KEY_INVALID');
    expect(writes()).toBe(0);
  });

  const NAMES = ['/abs', '\\win', 'a/../b', '..', '.', 'a\u0000b', 'a\u0007b'];
  it.each(NAMES)('rejects filename %j with KEY_INVALID before any write', async (filename) => {
    const error = await failureOf('save_text', { content: 'x', directory: 'ok', filename });
    expect(error.code).toBe('KEY_INVALID');
    expect(writes()).toBe(0);
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
      const error = await failureOf(tool, { object_key: key }, world.settings({ allow_delete: 'true' }));
      expect(error.code, tool).toBe('KEY_INVALID');
    }
    const copy = await failureOf('copy_object', { object_key: key, directory: 'copies' });
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
        const error = await failureOf(tool, { [param]: url });
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
      const error = await failureOf('sign_url', { object_key: 'a.txt', expires });
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
      const error = await failureOf('save_text', params);
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', details: { parameter } });
    }
    expect(world.emulator.requestLog).toEqual([]);
  });

  it('answers a 5 MB parameter with a coded error, not a crash', async () => {
    const error = await failureOf('get_file_by_url', {
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
    expect((await failureOf('get_files_by_urls', { file_urls: many })).code).toBe('TOO_MANY_FILES');
    const dify = Array.from({ length: 3 }, () => difyFile(files.url('/files/ok.txt'), 'ok.txt'));
    const capped = world.settings({ max_files: '2' });
    expect((await failureOf('multi_upload_files', { files: dify, directory: 'm' }, capped)).code).toBe(
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
    const error = await failureOf('save_text', { content: 'x', directory: 'no-retry' });
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

/** A Dify-files server that counts requests in flight and answers each after `holdMs`. */
async function startCountingServer(holdMs: number): Promise<{
  origin: string;
  peak: () => number;
  started: string[];
  onRequest: (listener: () => void) => void;
  close: () => Promise<void>;
}> {
  let inFlight = 0;
  let peak = 0;
  const started: string[] = [];
  const listeners: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    started.push(req.url ?? '');
    for (const listener of listeners.splice(0)) listener();
    res.on('close', () => {
      inFlight -= 1;
    });
    const path = req.url?.split('?')[0] ?? '';
    const timer = setTimeout(() => {
      if (path.startsWith('/missing')) res.writeHead(404).end('gone');
      else if (path.startsWith('/expired')) res.writeHead(403).end('expired');
      else if (path.startsWith('/huge'))
        res.writeHead(200, { 'content-length': String(49_000 * 1024 ** 3) }).end();
      else res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '9' }).end('good file');
    }, holdMs);
    req.on('close', () => {
      if (!res.writableEnded) clearTimeout(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    peak: () => peak,
    started,
    onRequest: (listener) => listeners.push(listener),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function mixedBatch(origin: string): unknown[] {
  const good = Array.from({ length: 6 }, (_, i) =>
    difyFile(`${origin}/good-${i}.txt?sign=x`, `good-${i}.txt`),
  );
  return [
    good[0],
    difyFile(`${origin}/missing.txt`, 'missing.txt'),
    good[1],
    difyFile('file:///etc/passwd', 'passwd'),
    good[2],
    difyFile(`${origin}/huge.bin`, 'huge.bin'),
    good[3],
    difyFile('/files/relative-without-files-url', 'rel.txt'),
    good[4],
    good[5],
  ];
}

describe('invokeTool batches (§B38, §B39, §B40)', () => {
  it('uploads 6 of 10 with per-item errors for 3 bad URLs and 1 over 48.8 TiB, never above batch_concurrency', async () => {
    const server = await startCountingServer(60);
    try {
      const settings = world.settings({ batch_concurrency: '2' });
      const json = jsonOf(
        await runTool(
          'multi_upload_files',
          { files: mixedBatch(server.origin), directory: 'batch' },
          settings,
        ),
      );
      expect(json).toMatchObject({ status: 'partial', success_count: 6, error_count: 4 });
      const items = json.files as Array<{ status: string; error_code?: string }>;
      expect(items.map((item) => item.status)).toEqual([
        'success',
        'error',
        'success',
        'error',
        'success',
        'error',
        'success',
        'error',
        'success',
        'success',
      ]);
      expect(items[5]?.error_code).toBe('FILE_TOO_LARGE');
      expect(server.peak()).toBeLessThanOrEqual(2);
      expect(server.peak()).toBe(2);
      expect((await world.emulator.listObjects('tools-test', 'batch/')).length).toBe(6);
    } finally {
      await server.close();
    }
  });

  it('stops a batch on abort: no new items start, nothing half-written, CANCELLED', async () => {
    const server = await startCountingServer(30_000);
    const controller = new AbortController();
    server.onRequest(() => controller.abort());
    try {
      const settings = world.settings({ batch_concurrency: '2' });
      const files10 = Array.from({ length: 10 }, (_, i) =>
        difyFile(`${server.origin}/good-${i}.txt`, `c-${i}.txt`),
      );
      const outcome = await runTool('multi_upload_files', { files: files10, directory: 'cancel' }, settings, {
        signal: controller.signal,
      }).then(
        (out: Collected[]) => ({ ok: true as const, json: jsonOf(out) }),
        (error: { code: string }) => ({ ok: false as const, code: error.code }),
      );
      if (outcome.ok) {
        const items = outcome.json.files as Array<{ status: string; error_code?: string }>;
        expect(items.every((item) => item.status === 'error' && item.error_code === 'CANCELLED')).toBe(true);
      } else expect(outcome.code).toBe('CANCELLED');
      expect(server.started.length).toBeLessThanOrEqual(2);
      expect(await world.emulator.listObjects('tools-test', 'cancel/')).toEqual([]);
      expect(await world.emulator.listMultipartUploads('tools-test')).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('fails an expired Dify file URL (HTTP 403) after one request with a clear, non-retryable error', async () => {
    const server = await startCountingServer(0);
    try {
      const error = await failureOf('upload_file', {
        file: difyFile(`${server.origin}/expired/f.pdf?timestamp=1&sign=abc`, 'f.pdf'),
        directory: 'exp',
      });
      expect(error.code).toBe('DOWNLOAD_FAILED');
      expect(error.details).toMatchObject({ status: 403 });
      expect(error.message).toMatch(/403/);
      expect(error.message).toMatch(/expire/i);
      expect(error.text).not.toContain('sign=abc');
      expect(server.started).toHaveLength(1);
      expect(writes()).toBe(0);
    } finally {
      await server.close();
    }
  });
});
