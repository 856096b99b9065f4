import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets } from '../../../src/config/redact.js';
import { PluginRuntime, type PluginRuntimeOptions } from '../../../src/dify/runtime.js';
import { AppError } from '../../../src/errors.js';
import type { Logger } from '../../../src/tools/tool-declaration.js';
import { DaemonDriver } from '../../conformance/driver.js';
import { FAKE_TOOLS } from '../../fixtures/fake-tools.js';

const logs: string[] = [];
const logger: Logger = {
  debug: () => undefined,
  info: (m, f) => logs.push(`${m} ${JSON.stringify(f ?? {})}`),
  warn: (m, f) => logs.push(`${m} ${JSON.stringify(f ?? {})}`),
  error: (m, f) => logs.push(`${m} ${JSON.stringify(f ?? {})}`),
};

function start(options: Partial<PluginRuntimeOptions> = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  const driver = new DaemonDriver((line) => input.write(line));
  driver.attach(output);
  const runtime = new PluginRuntime({
    input,
    output,
    logger,
    tools: FAKE_TOOLS,
    probeFactory: () => async () => {
      throw new AppError('OSS_NO_SUCH_KEY');
    },
    heartbeatIntervalMs: 60_000,
    ...options,
  });
  const done = runtime.run();
  return { input, output, driver, runtime, done };
}

const invoke = (tool: string, tool_parameters: Record<string, unknown> = {}, credentials = {}) => ({
  type: 'tool',
  action: 'invoke_tool',
  provider: 'aliyun_oss',
  tool,
  tool_parameters,
  credentials,
});

afterEach(() => {
  clearSecrets();
  logs.length = 0;
});

describe('PluginRuntime', () => {
  it('sends a heartbeat at start and then one per interval', async () => {
    const { driver, input, done } = start({ heartbeatIntervalMs: 15 });
    await driver.waitFor(() => driver.heartbeats().length >= 3, 5000, 'three heartbeats');
    expect(driver.heartbeats()[0]?.atMs).toBeLessThan(1000);
    input.end();
    await done;
    expect(driver.problems).toEqual([]);
  });

  it('waits a full interval for its first heartbeat when the entry point already sent one', async () => {
    const { driver, input, done } = start({ heartbeatIntervalMs: 1000, heartbeatAtStart: false });
    const result = await driver.call('s0', invoke('echo', { text: 'ready' }));
    expect(result.error).toBeNull();
    expect(driver.heartbeats()).toEqual([]);
    const first = await driver.waitFor((e) => e.event === 'heartbeat', 5000, 'first heartbeat');
    expect(first.atMs).toBeGreaterThanOrEqual(900);
    input.end();
    await done;
  });

  it('renders text, json, link and variable messages then one end', async () => {
    const { driver, input, done } = start();
    const result = await driver.call('s1', invoke('echo', { text: 'hi' }));
    expect(result.error).toBeNull();
    expect(result.streams).toEqual([
      { type: 'text', message: { text: 'hi' }, meta: null },
      { type: 'json', message: { json_object: { echoed: 'hi' } }, meta: null },
      { type: 'link', message: { text: 'https://example.com/hi' }, meta: null },
      {
        type: 'variable',
        message: { variable_name: 'echoed', variable_value: 'hi', stream: false },
        meta: null,
      },
    ]);
    input.end();
    await done;
    expect(driver.problems).toEqual([]);
  });

  it('sends error then exactly one end with the code and a redacted message when a tool throws', async () => {
    const { driver, input, done } = start();
    const secret = 'S3cretValue-abcdef';
    const result = await driver.call('s1', invoke('fail', { mode: 'app' }, { access_key_secret: secret }));
    expect(result.streams).toHaveLength(1);
    expect(result.error).toMatchObject({
      error_type: 'OSS_ACCESS_DENIED',
      args: { code: 'OSS_ACCESS_DENIED' },
    });
    expect(Object.keys(result.error.args).length).toBeLessThanOrEqual(10);
    expect(JSON.stringify(driver.events)).not.toContain(secret);
    const internal = await driver.call(
      's2',
      invoke('fail', { mode: 'plain' }, { access_key_secret: secret }),
    );
    expect(internal.error).toMatchObject({ error_type: 'INTERNAL', message: 'An internal error occurred.' });
    expect(logs.join('\n')).not.toContain(secret);
    input.end();
    await done;
    expect(driver.problems).toEqual([]);
  });

  it('splits long text but errors an output message that would pass the 5 MiB line cap', async () => {
    const { driver, input, done } = start();
    // 3 MiB of UTF-8 in; the fake's link percent-encodes it to 9 MiB.
    const text = '云'.repeat(1024 * 1024);
    const result = await driver.call('big', invoke('echo', { text }));
    const texts = result.streams.filter((s) => s.type === 'text').map((s) => s.message.text);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join('')).toBe(text);
    expect(result.streams.map((s) => s.type)).toEqual([...texts.map(() => 'text'), 'json']);
    expect(result.error).toMatchObject({ error_type: 'PROTOCOL_ERROR' });
    expect(driver.problems).toEqual([]);
    input.end();
    await done;
  });

  it('answers an unknown action with an error and an end', async () => {
    const { driver, input, done } = start();
    const result = await driver.call('s1', { type: 'tool', action: 'get_tool_runtime_parameters' });
    expect(result.error).toMatchObject({
      error_type: 'PROTOCOL_ERROR',
      args: { action: 'get_tool_runtime_parameters' },
    });
    const other = await driver.call('s2', { type: 'model', action: 'invoke_llm' });
    expect(other.error).toMatchObject({ error_type: 'PROTOCOL_ERROR' });
    input.end();
    await done;
  });

  it('answers a malformed line when its session id is visible and keeps serving', async () => {
    const { driver, input, done } = start();
    driver.sendRaw('{"session_id":"bad1","event":"request","data":{\n');
    driver.sendRaw('not json at all\n');
    const bad = await driver.result('bad1');
    expect(bad.error).toMatchObject({ error_type: 'PROTOCOL_ERROR' });
    const ok = await driver.call('s2', invoke('echo', { text: 'still here' }));
    expect(ok.error).toBeNull();
    input.end();
    await done;
    expect(logs.some((l) => l.includes('malformed request line'))).toBe(true);
  });

  it('answers an oversized line by its session id without buffering it whole', async () => {
    const { driver, input, done } = start({ maxLineBytes: 4096 });
    driver.request('big', invoke('echo', { text: 'x'.repeat(10_000) }));
    const big = await driver.result('big');
    expect(big.error?.message).toMatch(/exceeds the line limit/);
    expect((await driver.call('s2', invoke('echo', { text: 'small' }))).error).toBeNull();
    input.end();
    await done;
  });

  it('reports invalid credentials as CONFIG_INVALID', async () => {
    const { driver, input, done } = start();
    const result = await driver.call('s1', invoke('whoami', {}, { max_files: 'many' }));
    expect(result.error).toMatchObject({ error_type: 'CONFIG_INVALID', args: { field: 'max_files' } });
    input.end();
    await done;
  });

  it('fills empty credential fields from the base settings', async () => {
    const { parseSettings } = await import('../../../src/config/settings.js');
    const { driver, input, done } = start({
      baseSettings: parseSettings({ bucket: 'from-env', max_files: '7' }),
    });
    const result = await driver.call('s1', invoke('whoami', {}, { bucket: '', max_files: '9' }));
    expect(result.streams[0].message.json_object).toEqual({ bucket: 'from-env', max_files: 9, face: 'dify' });
    input.end();
    await done;
  });

  it('validates credentials with a result true, or a ToolProviderCredentialValidationError', async () => {
    const probes: string[] = [];
    const { driver, input, done } = start({
      probeFactory: (settings) => async (key) => {
        probes.push(key);
        throw new AppError(settings.bucket === 'good' ? 'OSS_NO_SUCH_KEY' : 'OSS_INVALID_ACCESS_KEY');
      },
    });
    const validate = (bucket: string) => ({
      type: 'tool',
      action: 'validate_tool_credentials',
      provider: 'aliyun_oss',
      credentials: { bucket },
    });
    expect(await driver.call('ok', validate('good'))).toEqual({ streams: [{ result: true }], error: null });
    const bad = await driver.call('bad', validate('bad'));
    expect(bad.streams).toEqual([]);
    expect(bad.error).toMatchObject({
      error_type: 'ToolProviderCredentialValidationError',
      args: { code: 'OSS_INVALID_ACCESS_KEY' },
    });
    expect(bad.error.message).toMatch(/AccessKey ID .* \/ .*AccessKey ID/);
    expect(probes).toHaveLength(2);
    input.end();
    await done;
  });

  it('waits for in-flight sessions after input ends, then stops', async () => {
    const { driver, input, done } = start();
    driver.request('s1', invoke('chatty', { count: 200 }));
    input.end();
    await done;
    const result = await driver.result('s1', 100);
    expect(result.streams).toHaveLength(200);
  });

  it('still tracks and aborts a session whose id a second request reused', async () => {
    const { driver, input, runtime, done } = start();
    driver.request('dup', invoke('whoami', {}, { bucket: 'wait-for-abort' }));
    await driver.waitFor((e) => e.session_id === 'dup' && e.data.type === 'stream');
    driver.request('dup', invoke('echo', { text: 'second' }));
    await driver.waitFor((e) => e.session_id === 'dup' && e.data.type === 'end');
    expect(runtime.activeSessions).toBe(1);
    runtime.abortAll('test');
    input.end();
    await expect(done).resolves.toBeUndefined();
    expect(runtime.activeSessions).toBe(0);
  });

  it('aborts sessions when the output closes and still finishes', async () => {
    const { driver, input, output, done } = start();
    driver.request('s1', invoke('whoami', {}, { bucket: 'wait-for-abort' }));
    await driver.waitFor((e) => e.session_id === 's1' && e.data.type === 'stream');
    output.destroy();
    input.end();
    await expect(done).resolves.toBeUndefined();
  });
});
