// Blob chunking and session multiplexing, driven from the daemon side through in-memory streams with
// fake tools (sizes the real tools cannot produce on demand): reassembled as Dify's merger would.
import { createServer, type Server } from 'node:http';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginRuntime } from '../../src/dify/runtime.js';
import { AppError } from '../../src/errors.js';
import { blobBytes, FAKE_TOOLS } from '../fixtures/fake-tools.js';
import { DaemonDriver, mergeBlobChunks } from './driver.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function startPlugin(outputHighWaterMark?: number) {
  const input = new PassThrough();
  const output = new PassThrough(outputHighWaterMark ? { highWaterMark: outputHighWaterMark } : {});
  const driver = new DaemonDriver((line) => input.write(line));
  driver.attach(output);
  const runtime = new PluginRuntime({
    input,
    output,
    logger: silent,
    tools: FAKE_TOOLS,
    probeFactory: () => async () => {
      throw new AppError('OSS_NO_SUCH_KEY');
    },
  });
  const done = runtime.run();
  const stop = async (): Promise<void> => {
    input.end();
    await done;
  };
  return { driver, stop };
}

const invoke = (tool: string, tool_parameters: Record<string, unknown>) => ({
  type: 'tool',
  action: 'invoke_tool',
  provider: 'aliyun_oss',
  tool,
  credentials: {},
  tool_parameters,
});

let files: Server;
let filesOrigin = '';
const FILE = blobBytes(100_000);

beforeAll(async () => {
  files = createServer((_req, res) => res.end(FILE));
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  const address = files.address();
  filesOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(() => new Promise((resolve) => files.close(resolve)));

describe('blob_chunk output', () => {
  it.each([0, 1, 8192, 8193, 20 * 1024 * 1024])('reassembles a %i-byte blob byte-exactly', async (size) => {
    const plugin = startPlugin();
    const result = await plugin.driver.call(
      `b-${size}`,
      invoke('emit_blob', { size, piece: 65_537 }),
      60_000,
    );
    expect(result.error).toBeNull();
    const chunks = result.streams.filter((s) => s.type === 'blob_chunk');
    expect(chunks).toHaveLength(Math.ceil(size / 8192) + 1);
    const [merged, ...others] = mergeBlobChunks(result.streams);
    expect(others).toEqual([]);
    expect(merged?.meta).toEqual({ mime_type: 'application/octet-stream', filename: 'data.bin' });
    expect(merged?.bytes.equals(blobBytes(size))).toBe(true);
    expect(plugin.driver.problems).toEqual([]);
    await plugin.stop();
  });

  it('errors the session without an end chunk when the stream is shorter than declared', async () => {
    const plugin = startPlugin();
    const result = await plugin.driver.call('short', invoke('emit_blob', { size: 10_000, declared: 10_001 }));
    expect(result.error).toMatchObject({ error_type: 'DIFY_BLOB_SIZE_MISMATCH' });
    expect(result.streams.some((s) => s.type === 'blob_chunk' && s.message.end)).toBe(false);
    expect(() => mergeBlobChunks(result.streams)).toThrow(/total_length|end flag/);
    await plugin.stop();
  });

  it('delivers a blob intact through an output that pushes back after 1 KiB', async () => {
    const plugin = startPlugin(1024);
    const result = await plugin.driver.call(
      'slow',
      invoke('emit_blob', { size: 8 * 1024 * 1024, piece: 8192 }),
      60_000,
    );
    expect(mergeBlobChunks(result.streams)[0]?.bytes.length).toBe(8 * 1024 * 1024);
    expect(mergeBlobChunks(result.streams)[0]?.bytes.equals(blobBytes(8 * 1024 * 1024))).toBe(true);
    await plugin.stop();
  });
});

describe('sessions', () => {
  it('serves 50 interleaved concurrent sessions, each complete and in order, with one end each', async () => {
    const plugin = startPlugin();
    const ids = Array.from({ length: 50 }, (_, i) => `s-${i}`);
    for (const id of ids) plugin.driver.request(id, invoke('chatty', { count: 20 }));
    const results = await Promise.all(ids.map((id) => plugin.driver.result(id)));
    for (const result of results) {
      expect(result.error).toBeNull();
      expect(result.streams.map((s) => s.message.text)).toEqual(
        Array.from({ length: 20 }, (_, i) => String(i)),
      );
    }
    const order = plugin.driver.events.filter((e) => e.event === 'session').map((e) => e.session_id);
    const lastStart = Math.max(...ids.map((id) => order.indexOf(id)));
    const firstEnd = plugin.driver.events.findIndex((e) => e.data?.type === 'end');
    expect(lastStart).toBeLessThan(firstEnd);
    expect(plugin.driver.problems).toEqual([]);
    await plugin.stop();
  });

  it('hands a Dify file parameter to the tool, which downloads it from the file URL', async () => {
    const plugin = startPlugin();
    const file = {
      dify_model_identity: '__dify__file__',
      filename: 'x.bin',
      mime_type: null,
      extension: '.bin',
      size: FILE.length,
      type: 'custom',
      url: `${filesOrigin}/files/1/file-preview?sign=s`,
    };
    const result = await plugin.driver.call('f1', invoke('read_file', { file }));
    expect(result.streams[0].message.json_object).toMatchObject({ filename: 'x.bin', bytes: FILE.length });
    const relative = await plugin.driver.call(
      'f2',
      invoke('read_file', { file: { ...file, url: '/files/1/file-preview' } }),
    );
    expect(relative.error).toMatchObject({ error_type: 'FILE_URL_RELATIVE' });
    expect(relative.error.message).toContain('FILES_URL');
    await plugin.stop();
  });

  it('shapes errors as the daemon accepts them: error_type, message, at most 10 args', async () => {
    const plugin = startPlugin();
    const result = await plugin.driver.call('e1', invoke('fail', { mode: 'app' }));
    expect(Object.keys(result.error)).toEqual(['error_type', 'message', 'args']);
    expect(Object.keys(result.error.args).length).toBeLessThanOrEqual(10);
    expect(
      Object.values(result.error.args).every((v) => ['string', 'number', 'boolean'].includes(typeof v)),
    ).toBe(true);
    expect(plugin.driver.problems).toEqual([]);
    await plugin.stop();
  });
});
