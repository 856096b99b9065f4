// §B cases through the MCP face: `oss-dify mcp` over stdio driven by the SDK client. Hostile arguments
// end as `isError` results with our code (schema errors before the handler runs, §B43), a mixed batch is
// a partial success with `isError: false` (§B38), and a client cancel stops a batch (§B39). A wrong
// secret over MCP (§B27) is covered by leak-canary.test.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { allText } from '../integration/mcp-harness.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'oss-dify.js');
const BUCKET = 'mcp-adv';
let emulator: Emulator;
let files: Server;
let host = '';
let client: Client;
let inFlight = 0;
let peak = 0;
const served: string[] = [];
let onRequest: (() => void) | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ buckets: [BUCKET] });
  files = createServer((req, res) => {
    served.push(req.url ?? '');
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
    onRequest?.();
    if (req.url?.startsWith('/hold')) return; // answered never; the client's cancel ends it
    // Held briefly so that batch items overlap and the concurrency limit is observable.
    setTimeout(() => {
      if (req.url?.startsWith('/missing')) res.writeHead(404).end();
      else if (req.url?.startsWith('/huge'))
        res.writeHead(200, { 'content-length': String(5 * 1024 * 1024) }).end();
      else res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '4' }).end('good');
    }, 40);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(files.address() as AddressInfo).port}`;
  const credential = emulator.credentials[0];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp'],
    env: {
      ...getDefaultEnvironment(),
      OSS_ACCESS_KEY_ID: credential?.accessKeyId ?? '',
      OSS_ACCESS_KEY_SECRET: credential?.accessKeySecret ?? '',
      OSS_ENDPOINT: emulator.endpoint,
      OSS_BUCKET: BUCKET,
      OSS_REGION: emulator.region,
      OSS_DIFY_PUBLIC_DOWNLOAD_ALLOWED_HOSTS: host,
      OSS_DIFY_MAX_DOWNLOAD_MB: '1',
      OSS_DIFY_BATCH_CONCURRENCY: '2',
    },
    stderr: 'pipe',
  });
  client = new Client({ name: 'faces-mcp', version: '1' });
  await client.connect(transport);
});

afterAll(async () => {
  await client?.close();
  files.closeAllConnections();
  await new Promise((resolve) => files.close(resolve));
  await emulator.close();
});

async function call(
  name: string,
  args: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<CallToolResult> {
  return (await client.callTool(
    { name, arguments: args },
    undefined,
    signal ? { signal } : {},
  )) as CallToolResult;
}

async function expectError(name: string, args: Record<string, unknown>, code: RegExp): Promise<void> {
  const result = await call(name, args);
  expect(result.isError, `${name} ${JSON.stringify(args).slice(0, 80)}`).toBe(true);
  expect(allText(result)).toMatch(code);
}

describe('oss-dify mcp with hostile arguments', () => {
  it('answers hostile keys and foreign URLs with isError and our code, and sends nothing to OSS', async () => {
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
      await expectError('save_text', { content: 'x', directory }, /KEY_INVALID/);
    }
    for (const key of ['a/../b', '../x', '.'])
      await expectError('get_object_info', { object_key: key }, /KEY_INVALID/);
    for (const url of [
      'https://other.oss-cn-hangzhou.aliyuncs.com/x',
      'https://mcp-adv.oss-cn-beijing.aliyuncs.com/x',
      'https://other.oss-cn-hangzhou-internal.aliyuncs.com/x',
      'https://u:p@mcp-adv.oss-cn-hangzhou.aliyuncs.com/x',
      'oss://other/x',
      'javascript:alert(1)',
    ]) {
      await expectError('get_file_by_url', { file_url: url }, /URL_NOT_IN_BUCKET/);
    }
    expect(emulator.requestLog).toEqual([]);
  });

  it('rejects out-of-range values, unknown fields and wrong types before the handler runs (§B43)', async () => {
    await expectError('sign_url', { object_key: 'a.txt', expires: 99_999_999 }, /expires/);
    await expectError('sign_url', { object_key: 'a.txt', expires: -1 }, /expires/);
    await expectError('sign_url', { object_key: 'a.txt', expires: 'abc' }, /expires/);
    await expectError('sign_url', { object_key: 'a.txt', surprise: true }, /surprise|unrecognized/i);
    await expectError('save_text', { content: 12, directory: 'd' }, /content/);
    await expectError('save_text', { content: 'x'.repeat(100), directory: ['d'] }, /directory/);
    await expectError('upload_file', { file: { file_url: 'file:///etc/passwd' }, directory: 'd' }, /file/);
    expect(emulator.requestLog).toEqual([]);
  });

  it('returns a partial batch with isError false: 6 stored, 4 reported, concurrency within the limit (§B38)', async () => {
    peak = 0;
    const good = (i: number) => ({ file_url: `http://${host}/good-${i}.txt` });
    const batch = [
      good(0),
      { file_url: `http://${host}/missing-1.txt` },
      good(1),
      { file_url: 'http://127.0.0.1:1/refused.txt' },
      good(2),
      { file_url: `http://${host}/huge.bin` },
      good(3),
      { file_url: 'http://169.254.169.254/latest/meta-data/' },
      good(4),
      good(5),
    ];
    const result = await call('multi_upload_files', { files: batch, directory: 'batch' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ status: 'partial', success_count: 6, error_count: 4 });
    const errors = ((result.structuredContent?.files ?? []) as Array<{ error_code?: string }>).map(
      (f) => f.error_code,
    );
    expect(errors).toContain('FILE_TOO_LARGE');
    expect(peak).toBeLessThanOrEqual(2);
    expect((await emulator.listObjects(BUCKET, 'batch/')).length).toBe(6);
  });

  it('stops a batch when the client cancels: no new item starts, nothing stored, server keeps serving (§B39)', async () => {
    served.length = 0;
    const controller = new AbortController();
    onRequest = () => controller.abort();
    const files10 = Array.from({ length: 10 }, (_, i) => ({ file_url: `http://${host}/hold-${i}.txt` }));
    await expect(
      call('multi_upload_files', { files: files10, directory: 'cancel' }, controller.signal),
    ).rejects.toThrow();
    onRequest = undefined;
    // The server saw the cancel once the connections it held are closed by the aborted downloads.
    await expect.poll(() => inFlight, { timeout: 10_000 }).toBe(0);
    expect(served.length).toBeLessThanOrEqual(2);
    expect(await emulator.listObjects(BUCKET, 'cancel/')).toEqual([]);
    expect(await emulator.listMultipartUploads(BUCKET)).toEqual([]);
    const after = await call('save_text', { content: 'still here', directory: 'after' });
    expect(after.isError).toBeFalsy();
  });
});
