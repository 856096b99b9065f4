// Remote debugging against a TCP listener that plays the daemon (daemon-listener.ts): registration
// order and timing, heartbeats only after `end`, requests on the same socket, refusals and reconnects.
import { afterEach, describe, expect, it } from 'vitest';
import { runRemoteDebug } from '../../src/dify/tcp.js';
import { AppError } from '../../src/errors.js';
import { blobBytes, FAKE_TOOLS } from '../fixtures/fake-tools.js';
import { type DaemonListener, startDaemonListener } from './daemon-listener.js';
import { mergeBlobChunks, spawnPlugin } from './driver.js';

const KEY = '3f0c1a2e-0000-4000-8000-000000000001';
const logs: string[] = [];
const logger = {
  debug() {},
  info: (m: string) => logs.push(m),
  warn: (m: string) => logs.push(m),
  error: (m: string) => logs.push(m),
};
let listener: DaemonListener | undefined;
const controller = { current: new AbortController() };

function run(options: { key?: string; retryDelaysMs?: number[]; port?: number } = {}) {
  controller.current = new AbortController();
  return runRemoteDebug({
    host: '127.0.0.1',
    port: options.port ?? listener?.port ?? 1,
    key: options.key ?? KEY,
    logger,
    signal: controller.current.signal,
    tools: FAKE_TOOLS,
    heartbeatIntervalMs: 50,
    retryDelaysMs: options.retryDelaysMs ?? [10, 10],
    probeFactory: () => async () => {
      throw new AppError('OSS_NO_SUCH_KEY');
    },
  });
}

afterEach(async () => {
  controller.current.abort();
  await listener?.close();
  listener = undefined;
  logs.length = 0;
});

describe('runRemoteDebug', () => {
  it('registers in order within the time limits, then heartbeats and serves requests on the socket', async () => {
    listener = await startDaemonListener({ key: KEY });
    const running = run();
    const connection = await listener.connection(0);
    const driver = await connection.registered;
    const types = connection.registration.map((r) => r.type);
    expect(types[0]).toBe('handshake');
    expect(types.slice(1, 3)).toEqual(['manifest_declaration', 'tool_declaration']);
    expect(types.at(-1)).toBe('end');
    expect(new Set(types.slice(3, -1))).toEqual(new Set(['asset_chunk']));
    expect(connection.registration[0]?.atMs).toBeLessThan(10_000);
    const manifest = connection.registration[1]?.data;
    expect(manifest.meta.runner.language).toBe('python');
    expect(connection.assets.get(manifest.icon)?.toString('utf8')).toContain('<svg');
    const tools = connection.registration[2]?.data[0].tools.map(
      (t: { identity: { name: string } }) => t.identity.name,
    );
    expect(tools).toEqual(FAKE_TOOLS.map((t) => t.name));

    await driver.waitFor((e) => e.event === 'heartbeat', 5000, 'first heartbeat after end');
    const result = await driver.call('r1', {
      type: 'tool',
      action: 'invoke_tool',
      provider: 'aliyun_oss',
      tool: 'emit_blob',
      credentials: {},
      tool_parameters: { size: 20_000 },
    });
    expect(mergeBlobChunks(result.streams)[0]?.bytes.equals(blobBytes(20_000))).toBe(true);
    expect(driver.problems).toEqual([]);
    controller.current.abort();
    await expect(running).resolves.toBeUndefined();
  });

  it('rejects with REMOTE_REFUSED and the daemon’s text when the key is wrong, without retrying', async () => {
    listener = await startDaemonListener({ key: KEY });
    const error = await run({ key: 'wrong-key' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REMOTE_REFUSED' });
    expect((error as Error).message).toContain('handshake failed, invalid key');
    expect(listener.connections).toHaveLength(1);
  });

  it('reconnects and registers again after the daemon drops the connection', async () => {
    listener = await startDaemonListener({ key: KEY });
    const running = run();
    const first = await listener.connection(0);
    await first.registered;
    first.socket.destroy();
    const second = await listener.connection(1);
    const driver = await second.registered;
    expect(second.registration.map((r) => r.type).slice(0, 3)).toEqual([
      'handshake',
      'manifest_declaration',
      'tool_declaration',
    ]);
    const result = await driver.call('after-reconnect', {
      type: 'tool',
      action: 'validate_tool_credentials',
      credentials: {},
    });
    expect(result).toEqual({ streams: [{ result: true }], error: null });
    controller.current.abort();
    await running;
  });

  it('gives up with DIFY_REMOTE_DISCONNECTED after the bounded retries', async () => {
    listener = await startDaemonListener({ key: KEY });
    const port = listener.port;
    await listener.close();
    listener = undefined;
    await expect(run({ port, retryDelaysMs: [5, 5, 5] })).rejects.toMatchObject({
      code: 'DIFY_REMOTE_DISCONNECTED',
      details: { attempts: 4 },
    });
    expect(logs.filter((l) => l.includes('reconnecting'))).toHaveLength(3);
  });
});

describe('plugin process with INSTALL_METHOD=remote', () => {
  it('registers with the real declarations and answers a request', async () => {
    listener = await startDaemonListener({ key: KEY });
    const plugin = spawnPlugin({
      INSTALL_METHOD: 'remote',
      REMOTE_INSTALL_URL: `tcp://127.0.0.1:${listener.port}`,
      REMOTE_INSTALL_KEY: KEY,
    });
    const connection = await listener.connection(0);
    const driver = await connection.registered;
    expect(connection.registration[1]?.data.name).toBe('aliyun_oss');
    await driver.waitFor((e) => e.event === 'heartbeat', 15_000);
    const result = await driver.call('p1', { type: 'tool', action: 'nope' });
    expect(result.error).toMatchObject({ error_type: 'PROTOCOL_ERROR' });
    plugin.child.kill('SIGTERM');
    expect(await plugin.exited).toMatchObject({ code: 0 });
  });

  it('shows the daemon’s refusal on stderr and exits non-zero', async () => {
    listener = await startDaemonListener({ key: KEY });
    const plugin = spawnPlugin({
      INSTALL_METHOD: 'remote',
      REMOTE_INSTALL_HOST: '127.0.0.1',
      REMOTE_INSTALL_PORT: String(listener.port),
      REMOTE_INSTALL_KEY: 'not-the-key',
    });
    const exit = await plugin.exited;
    expect(exit.code).not.toBe(0);
    expect(plugin.stderr()).toContain('REMOTE_REFUSED');
    expect(plugin.stderr()).toContain('handshake failed, invalid key');
  });
});
