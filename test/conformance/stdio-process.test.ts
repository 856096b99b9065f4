// The plugin as the daemon's local runtime starts it: a child process on stdin/stdout, driven from the
// spec. Uses the real registry; the emulator stands in for OSS and a local HTTP server for Dify's files.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_BUCKET,
  DEFAULT_CREDENTIAL,
  type Emulator,
  startEmulator,
} from '../../src/emulator/server.js';
import { OssClient } from '../../src/oss/client.js';
import { crc64 } from '../../src/oss/crc64.js';
import { blobBytes } from '../fixtures/fake-tools.js';
import { mergeBlobChunks, type PluginProcess, spawnPlugin } from './driver.js';

let emulator: Emulator;
let files: Server;
let filesOrigin = '';
const FILE_BODY = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 13) % 256));

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

beforeAll(async () => {
  emulator = await startEmulator();
  files = createServer((req, res) => {
    if (!req.url?.startsWith('/files/abc/file-preview')) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': FILE_BODY.length });
    res.end(FILE_BODY);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  const address = files.address();
  filesOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => files.close(resolve));
});

async function withPlugin(
  env: Record<string, string>,
  run: (p: PluginProcess) => Promise<void>,
): Promise<void> {
  const plugin = spawnPlugin(env);
  try {
    await run(plugin);
  } finally {
    plugin.child.stdin?.end();
    if ((await Promise.race([plugin.exited, new Promise((r) => setTimeout(r, 10_000, null))])) === null) {
      plugin.child.kill('SIGKILL');
    }
  }
}

describe('plugin over stdio (child process)', () => {
  it('sends the first heartbeat at start, then one per HEARTBEAT_INTERVAL, and nothing but JSON on stdout', async () => {
    await withPlugin({ HEARTBEAT_INTERVAL: '0.2' }, async ({ driver }) => {
      const first = await driver.waitFor((e) => e.event === 'heartbeat', 30_000, 'first heartbeat');
      expect(first.atMs).toBeLessThan(15_000);
      await driver.waitFor(() => driver.heartbeats().length >= 3, 10_000, 'three heartbeats');
      const [a, b, c] = driver.heartbeats().map((h) => h.atMs);
      expect((c ?? 0) - (b ?? 0)).toBeGreaterThanOrEqual(150);
      expect((b ?? 0) - (a ?? 0)).toBeLessThan(2000);
      expect(driver.textLines).toEqual([]);
      expect(driver.problems).toEqual([]);
    });
  });

  it('answers unknown actions, unknown tools, malformed and oversized lines with error and end, and keeps running', async () => {
    await withPlugin({}, async ({ driver, child }) => {
      const action = await driver.call('s-action', { type: 'tool', action: 'get_tool_runtime_parameters' });
      expect(action.error).toMatchObject({ error_type: 'PROTOCOL_ERROR' });
      const tool = await driver.call('s-tool', {
        type: 'tool',
        action: 'invoke_tool',
        provider: 'aliyun_oss',
        tool: 'no_such_tool',
        credentials: {},
        tool_parameters: {},
      });
      expect(tool.error).toMatchObject({ error_type: 'TOOL_NOT_FOUND', args: { code: 'TOOL_NOT_FOUND' } });
      driver.sendRaw('{"session_id":"s-bad","event":"request","data":{"type":"tool",\n');
      expect((await driver.result('s-bad')).error).toMatchObject({ error_type: 'PROTOCOL_ERROR' });
      driver.sendRaw('garbage without any id\n');
      driver.sendRaw(
        `{"session_id":"s-huge","event":"request","data":{"pad":"${'x'.repeat(6 * 1024 * 1024)}"}}\n`,
      );
      expect((await driver.result('s-huge', 30_000)).error?.message).toMatch(/line limit/);
      const after = await driver.call('s-after', { type: 'tool', action: 'nope' });
      expect(after.error).not.toBeNull();
      expect(child.exitCode).toBeNull();
      expect(driver.problems).toEqual([]);
    });
  });

  it('exits with code 0 on stdin EOF after in-flight sessions sent their end', async () => {
    const plugin = spawnPlugin({});
    await plugin.driver.waitFor((e) => e.event === 'heartbeat', 30_000);
    plugin.driver.request('s-last', {
      type: 'tool',
      action: 'validate_tool_credentials',
      provider: 'aliyun_oss',
      credentials: credentials(),
    });
    plugin.child.stdin?.end();
    const exit = await plugin.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(await plugin.driver.result('s-last', 1000)).toEqual({ streams: [{ result: true }], error: null });
  });

  it('tells credential outcomes apart against the emulator', async () => {
    await withPlugin({}, async ({ driver }) => {
      const check = (id: string, over: Record<string, string>) =>
        driver.call(id, {
          type: 'tool',
          action: 'validate_tool_credentials',
          provider: 'aliyun_oss',
          credentials: credentials(over),
        });
      expect(await check('ok', {})).toEqual({ streams: [{ result: true }], error: null });
      const cases: Array<[string, Record<string, string>, string]> = [
        ['key', { access_key_id: 'wrong-access-key' }, 'OSS_INVALID_ACCESS_KEY'],
        ['secret', { access_key_secret: 'wrong-secret-value' }, 'OSS_SIGNATURE_MISMATCH'],
        ['bucket', { bucket: 'no-such-bucket' }, 'OSS_NO_SUCH_BUCKET'],
        ['missing', { bucket: '' }, 'CONFIG_MISSING_CREDENTIALS'],
        ['endpoint', { endpoint: 'http://127.0.0.1:1' }, 'OSS_NETWORK_ERROR'],
      ];
      for (const [id, over, code] of cases) {
        const result = await check(id, over);
        expect(result.streams, id).toEqual([]);
        expect(result.error, id).toMatchObject({
          error_type: 'ToolProviderCredentialValidationError',
          args: { code },
        });
        expect(result.error.message, id).toMatch(/ \/ /);
      }
      for (const [id, code, ours] of [
        ['denied', 'AccessDenied', 'OSS_ACCESS_DENIED'],
        ['public', 'PublicEndpointForbidden', 'OSS_PUBLIC_ENDPOINT_FORBIDDEN'],
      ] as const) {
        emulator.faults.add({ op: 'HeadObject', action: { type: 'status', status: 403, code } });
        const result = await check(id, {});
        expect(result.error, id).toMatchObject({ args: { code: ours } });
      }
      expect(JSON.stringify(driver.events)).not.toContain(DEFAULT_CREDENTIAL.accessKeySecret);
      const heads = emulator.requestLog.filter((r) => r.op === 'HeadObject');
      expect(heads.every((r) => r.method === 'HEAD' && /\.dify-credential-check-/.test(r.key ?? ''))).toBe(
        true,
      );
      expect(emulator.requestLog.every((r) => r.op === 'HeadObject')).toBe(true);
    });
  });

  it('uploads a Dify file parameter served over HTTP into the emulator', async () => {
    await withPlugin({}, async ({ driver }) => {
      const result = await driver.call('s-up', {
        type: 'tool',
        action: 'invoke_tool',
        provider: 'aliyun_oss',
        tool: 'upload_file',
        credentials: credentials(),
        tool_parameters: {
          directory: 'conformance',
          file: {
            dify_model_identity: '__dify__file__',
            mime_type: 'application/octet-stream',
            filename: 'data.bin',
            extension: '.bin',
            size: FILE_BODY.length,
            type: 'custom',
            url: `${filesOrigin}/files/abc/file-preview?timestamp=1&nonce=2&sign=3`,
          },
          filename: '',
          signed: null,
        },
      });
      expect(result.error).toBeNull();
      const json = result.streams.find((s) => s.type === 'json')?.message.json_object;
      const key = json?.files?.[0]?.object_key;
      expect(key).toMatch(/^conformance\/data.*\.bin$/);
      const stored = await emulator.listObjects(DEFAULT_BUCKET, 'conformance/');
      expect(stored.map((o) => [o.key, o.size])).toContainEqual([key, FILE_BODY.length]);
      expect(json.files[0].crc64).toBe(crc64(FILE_BODY).toString());
      expect(driver.problems).toEqual([]);
    });
  });

  it('serves 50 interleaved concurrent sessions, each with exactly one end', async () => {
    await withPlugin({}, async ({ driver }) => {
      const ids = Array.from({ length: 50 }, (_, i) => `c-${i}`);
      for (const id of ids) {
        driver.request(id, {
          type: 'tool',
          action: 'validate_tool_credentials',
          provider: 'aliyun_oss',
          credentials: credentials(),
        });
      }
      const results = await Promise.all(ids.map((id) => driver.result(id, 30_000)));
      expect(results.every((r) => r.error === null && r.streams[0]?.result === true)).toBe(true);
      expect(driver.problems).toEqual([]);
    });
  });

  it('returns objects of 0 B, 1 B, 8192 B, 8193 B and 20 MiB as byte-exact blob chunks (get_file_by_url)', async () => {
    const client = new OssClient({
      accessKeyId: DEFAULT_CREDENTIAL.accessKeyId,
      accessKeySecret: DEFAULT_CREDENTIAL.accessKeySecret,
      endpoint: emulator.endpoint,
      bucket: DEFAULT_BUCKET,
      region: emulator.region,
    });
    const sizes = [0, 1, 8192, 8193, 20 * 1024 * 1024];
    for (const size of sizes) await client.putObject(`blobs/${size}.bin`, blobBytes(size));
    await client.close();
    await withPlugin({}, async ({ driver }) => {
      for (const size of sizes) {
        const result = await driver.call(
          `g-${size}`,
          {
            type: 'tool',
            action: 'invoke_tool',
            provider: 'aliyun_oss',
            tool: 'get_file_by_url',
            credentials: credentials(),
            tool_parameters: { file_url: `oss://${DEFAULT_BUCKET}/blobs/${size}.bin` },
          },
          60_000,
        );
        expect(result.error, String(size)).toBeNull();
        const [merged, ...others] = mergeBlobChunks(result.streams);
        expect(others).toEqual([]);
        expect(merged?.meta.filename).toBe(`${size}.bin`);
        expect(merged?.bytes.equals(blobBytes(size)), String(size)).toBe(true);
      }
      expect(driver.problems).toEqual([]);
    });
  });
});
