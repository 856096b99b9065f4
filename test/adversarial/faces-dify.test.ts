// §B cases through the Dify face: the plugin as a child process driven by the daemon-side driver
// (test/conformance/driver.ts). Hostile parameters arrive as Dify sends them (strings, nulls, file
// objects); each must end in one error event with our code, or a partial result, never a crash.
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
import { type PluginProcess, spawnPlugin } from '../conformance/driver.js';
import { difyFile } from '../integration/tools-harness.js';
import { CANARY_WRONG_SECRET, describeHits, scanText } from './canary.js';

let emulator: Emulator;
let plugin: PluginProcess;
let files: Server;
let origin = '';
let inFlight = 0;
let peak = 0;
const served: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  files = createServer((req, res) => {
    served.push(req.url ?? '');
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
    // Held briefly so that batch items overlap and the concurrency limit is observable.
    setTimeout(() => {
      if (req.url?.startsWith('/expired')) res.writeHead(403).end();
      else if (req.url?.startsWith('/missing')) res.writeHead(404).end();
      else if (req.url?.startsWith('/huge'))
        res.writeHead(200, { 'content-length': String(49_000 * 1024 ** 3) }).end();
      else
        res
          .writeHead(200, { 'content-type': 'text/html', 'content-length': '25' })
          .end('<script>alert(1)</script>');
    }, 40);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  plugin = spawnPlugin({});
});

afterAll(async () => {
  plugin.child.stdin?.end();
  await plugin.exited;
  files.closeAllConnections();
  await new Promise((resolve) => files.close(resolve));
  await emulator.close();
});

let sessions = 0;
async function invoke(tool: string, params: Record<string, unknown>, over: Record<string, string> = {}) {
  sessions += 1;
  return plugin.driver.call(`adv-${sessions}`, {
    type: 'tool',
    action: 'invoke_tool',
    provider: 'aliyun_oss',
    tool,
    credentials: {
      access_key_id: DEFAULT_CREDENTIAL.accessKeyId,
      access_key_secret: DEFAULT_CREDENTIAL.accessKeySecret,
      endpoint: emulator.endpoint,
      bucket: DEFAULT_BUCKET,
      region: emulator.region,
      ...over,
    },
    tool_parameters: params,
  });
}

const codeOf = (result: { error: { args?: { code?: string }; error_type?: string } | null }) =>
  result.error?.args?.code ?? (result.error ? result.error.error_type : 'ok');

describe('Dify runtime with hostile parameters', () => {
  it('answers hostile directories, names and keys with KEY_INVALID and writes nothing', async () => {
    for (const directory of [
      '/abs',
      '\\win',
      'a/../b',
      'a//b',
      '%2e%2e/x',
      '.',
      'a\u0001b',
      '季'.repeat(700),
    ]) {
      expect(codeOf(await invoke('save_text', { content: 'x', directory })), directory).toBe('KEY_INVALID');
    }
    for (const key of ['a/../b', '../x', '.', '/abs']) {
      expect(codeOf(await invoke('get_object_info', { object_key: key })), key).toBe('KEY_INVALID');
    }
    expect(emulator.requestLog.filter((r) => r.op === 'PutObject')).toEqual([]);
    expect(plugin.driver.problems).toEqual([]);
  });

  it('refuses URLs outside the configured bucket without an OSS request (§B44)', async () => {
    const before = emulator.requestLog.length;
    for (const url of [
      'https://other-bucket.oss-cn-hangzhou.aliyuncs.com/x',
      'https://dify-oss.oss-cn-beijing.aliyuncs.com/x',
      'https://other.oss-cn-hangzhou-internal.aliyuncs.com/x',
      'https://u:p@dify-oss.oss-cn-hangzhou.aliyuncs.com/x',
      'oss://other/x',
      'javascript:alert(1)',
      'file:///etc/passwd',
    ]) {
      expect(codeOf(await invoke('get_file_by_url', { file_url: url })), url).toBe('URL_NOT_IN_BUCKET');
    }
    expect(emulator.requestLog.length).toBe(before);
  });

  it('rejects out-of-range expires, wrong types and empty ;-lists with INVALID_ARGUMENT-class codes', async () => {
    for (const expires of [99_999_999, -1, 'abc']) {
      expect(codeOf(await invoke('sign_url', { object_key: 'a.txt', expires }))).toBe('INVALID_ARGUMENT');
    }
    expect(codeOf(await invoke('save_text', { content: { nested: true }, directory: 'd' }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(await invoke('get_files_by_urls', { file_urls: ' ; ;; ' }))).toBe('INVALID_ARGUMENT');
    const many = Array.from({ length: 21 }, (_, i) => `oss://${DEFAULT_BUCKET}/k${i}`).join(';');
    expect(codeOf(await invoke('get_files_by_urls', { file_urls: many }))).toBe('TOO_MANY_FILES');
    const huge = await invoke('get_file_by_url', {
      file_url: `oss://${DEFAULT_BUCKET}/${'z'.repeat(3_000_000)}`,
    });
    expect(codeOf(huge)).toBe('KEY_INVALID');
    expect(JSON.stringify(huge.error).length).toBeLessThan(5000);
  });

  it('maps a wrong secret to OSS_SIGNATURE_MISMATCH with no signing material in the error event (§B27)', async () => {
    const result = await invoke(
      'save_text',
      { content: 'x', directory: 'd' },
      { access_key_secret: CANARY_WRONG_SECRET },
    );
    expect(codeOf(result)).toBe('OSS_SIGNATURE_MISMATCH');
    const hits = scanText(JSON.stringify(result), 'dify error', 'log');
    expect(hits, describeHits(hits)).toEqual([]);
    expect(JSON.stringify(result)).not.toMatch(/StringToSign|SignatureProvided|OSSAccessKeyId/);
  });

  it('does not retry a 403 and reports an expired Dify file URL after one request (§B35, §B40)', async () => {
    emulator.faults.add({
      op: 'PutObject',
      times: 3,
      action: { type: 'status', status: 403, code: 'AccessDenied' },
    });
    const puts = emulator.requestLog.filter((r) => r.op === 'PutObject').length;
    expect(codeOf(await invoke('save_text', { content: 'x', directory: 'deny' }))).toBe('OSS_ACCESS_DENIED');
    expect(emulator.requestLog.filter((r) => r.op === 'PutObject').length - puts).toBe(1);
    emulator.faults.clear();
    served.length = 0;
    const expired = await invoke('upload_file', {
      file: difyFile(`${origin}/expired/f.pdf?sign=1`, 'f.pdf'),
      directory: 'e',
    });
    expect(codeOf(expired)).toBe('DOWNLOAD_FAILED');
    expect(expired.error?.message).toMatch(/expired/);
    expect(served).toHaveLength(1);
  });

  it('returns a partial batch: 6 stored, 3 bad and 1 oversize reported, concurrency at most the limit (§B38, §B25)', async () => {
    peak = 0;
    const good = (i: number) => difyFile(`${origin}/good-${i}.html`, `page-${i}.html`);
    const batch = [
      good(0),
      difyFile(`${origin}/missing-1`, 'm1.txt'),
      good(1),
      difyFile(`${origin}/missing-2`, 'm2.txt'),
      good(2),
      difyFile(`${origin}/huge`, 'huge.bin'),
      good(3),
      difyFile(`${origin}/expired/x`, 'x.txt'),
      good(4),
      good(5),
    ];
    const result = await invoke(
      'multi_upload_files',
      { files: batch, directory: 'batch' },
      { batch_concurrency: '3' },
    );
    expect(result.error).toBeNull();
    const json = result.streams.find((s) => s.type === 'json')?.message.json_object;
    expect(json).toMatchObject({ status: 'partial', success_count: 6, error_count: 4 });
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
    const stored = await emulator.listObjects(DEFAULT_BUCKET, 'batch/');
    expect(stored).toHaveLength(6);
    // HTML payloads are stored so a custom domain never serves them inline.
    const client = new OssClient({
      accessKeyId: DEFAULT_CREDENTIAL.accessKeyId,
      accessKeySecret: DEFAULT_CREDENTIAL.accessKeySecret,
      endpoint: emulator.endpoint,
      bucket: DEFAULT_BUCKET,
      region: emulator.region,
    });
    for (const object of stored) {
      const meta = await client.headObject(object.key);
      const inline = /html/i.test(meta.contentType) && !/^attachment/i.test(meta.contentDisposition ?? '');
      expect(inline, `${object.key}: ${meta.contentType} ${meta.contentDisposition}`).toBe(false);
    }
    await client.close();
    expect(plugin.driver.problems).toEqual([]);
  });
});
