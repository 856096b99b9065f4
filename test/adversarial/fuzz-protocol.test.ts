// Protocol fuzz of the Dify runtime (issue #7 part 5), in-process over PassThrough streams and over the
// real stdio of a child process: malformed lines, seeded random JSON, oversized lines, invalid UTF-8,
// unknown events and actions, wrong types, huge numbers, deep nesting and a session id reused while in
// flight. The runtime must never crash, every request carrying a session id must get exactly one `end`,
// and a normal invoke must still work afterwards.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PluginRuntime } from '../../src/dify/runtime.js';
import {
  DEFAULT_BUCKET,
  DEFAULT_CREDENTIAL,
  type Emulator,
  startEmulator,
} from '../../src/emulator/server.js';
import { AppError } from '../../src/errors.js';
import type { AnyToolDeclaration } from '../../src/tools/registry.js';
import type { Logger } from '../../src/tools/tool-declaration.js';
import { DaemonDriver, type PluginEvent, spawnPlugin } from '../conformance/driver.js';
import { FAKE_TOOLS } from '../fixtures/fake-tools.js';

const SEED = 0x7a11;

/** mulberry32: a tiny seeded PRNG so every run sends the same cases. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_NUMBERS = [0, -0, 1e308, -1e308, 2 ** 53 + 1, 1e-320, 1.2345678901234568e29];
const ODD_STRINGS = [
  '',
  ' ',
  'invoke_tool',
  'tool',
  'request',
  '\u0000',
  '\u202e',
  '🙂'.repeat(50),
  'x'.repeat(5000),
];

/** Session id values that are not ids (the runtime cannot answer them, so no end is due). */
const NOT_IDS: unknown[] = [null, 42, 1e308, true, [], {}, ''];

/** A random JSON value of bounded depth. */
function randomValue(random: () => number, depth: number): unknown {
  const pick = Math.floor(random() * (depth > 0 ? 8 : 5));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return ODD_NUMBERS[Math.floor(random() * ODD_NUMBERS.length)];
    case 3:
      return ODD_STRINGS[Math.floor(random() * ODD_STRINGS.length)];
    case 4:
      return Math.floor(random() * 1e6).toString(36);
    case 5:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth - 1));
    default: {
      const out: Record<string, unknown> = {};
      const keys = [
        'type',
        'action',
        'tool',
        'tool_parameters',
        'credentials',
        'text',
        'file',
        'files',
        'size',
      ];
      for (let i = Math.floor(random() * 5); i > 0; i--) {
        out[keys[Math.floor(random() * keys.length)]!] = randomValue(random, depth - 1);
      }
      return out;
    }
  }
}

/** One fuzz line and whether the spec asks for an `end` (a request event with a string session id). */
interface FuzzCase {
  line: string;
  sessionId?: string;
}

/** Random envelopes around random data; about half are requests that must end. */
function randomCases(count: number, random: () => number, prefix: string): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const envelope: Record<string, unknown> = {};
    const isRequest = random() < 0.7;
    const sessionId = `${prefix}-${i}`;
    const idKind = random();
    if (idKind < 0.75) envelope.session_id = sessionId;
    else if (idKind < 0.85) envelope.session_id = NOT_IDS[Math.floor(random() * NOT_IDS.length)];
    if (isRequest) envelope.event = 'request';
    else if (random() < 0.5) envelope.event = randomValue(random, 0);
    const dataKind = random();
    if (dataKind < 0.6) {
      const data = (randomValue(random, 3) ?? {}) as Record<string, unknown>;
      if (typeof data === 'object' && !Array.isArray(data)) {
        const routes = [
          ['tool', 'invoke_tool'],
          ['tool', 'validate_tool_credentials'],
          ['tool', 'get_tool_runtime_parameters'],
          ['model', 'invoke_llm'],
          [randomValue(random, 0), randomValue(random, 0)],
        ] as const;
        const [type, action] = routes[Math.floor(random() * routes.length)]!;
        data.type = type;
        data.action = action;
        if (random() < 0.5) data.tool = random() < 0.5 ? 'echo' : randomValue(random, 0);
      }
      envelope.data = data;
    } else if (dataKind < 0.8) envelope.data = randomValue(random, 2);
    const expectsEnd = envelope.event === 'request' && envelope.session_id === sessionId;
    cases.push({ line: JSON.stringify(envelope), ...(expectsEnd ? { sessionId } : {}) });
  }
  return cases;
}

/** Hand-written malformed and hostile lines. */
function craftedCases(prefix: string): FuzzCase[] {
  const id = (name: string): string => `${prefix}-${name}`;
  const request = (name: string, data: string): FuzzCase => ({
    line: `{"session_id":"${id(name)}","event":"request","data":${data}}`,
    sessionId: id(name),
  });
  const deep = 50_000;
  return [
    { line: '{' },
    { line: '}' },
    { line: '[1,2' },
    { line: 'null' },
    { line: '"just a string"' },
    { line: '12345' },
    { line: 'garbage without any id' },
    { line: '{"event":"request"}' },
    { line: '{"event":"request","data":{"type":"tool","action":"invoke_tool"}}' },
    { line: `{"session_id":"${id('cut')}","event":"request","data":{"type":"tool",`, sessionId: id('cut') },
    { line: '{"session_id":"ignored","event":"backwards_response","data":{}}' },
    { line: '{"session_id":"ignored-2","event":"heartbeat","data":null}' },
    { line: `{"session_id":"${id('nodata')}","event":"request"}`, sessionId: id('nodata') },
    request('array-data', '[]'),
    request('string-data', '"tool"'),
    request('unknown-action', '{"type":"tool","action":"launch_missiles"}'),
    request('unknown-type', '{"type":"endpoint","action":"invoke_endpoint"}'),
    request('tool-number', '{"type":"tool","action":"invoke_tool","tool":123}'),
    request('tool-missing', '{"type":"tool","action":"invoke_tool"}'),
    request('params-string', '{"type":"tool","action":"invoke_tool","tool":"echo","tool_parameters":"text"}'),
    request('params-array', '{"type":"tool","action":"invoke_tool","tool":"echo","tool_parameters":[1,2]}'),
    request(
      'creds-array',
      '{"type":"tool","action":"invoke_tool","tool":"echo","credentials":[],"tool_parameters":{"text":"x"}}',
    ),
    request(
      'text-number',
      '{"type":"tool","action":"invoke_tool","tool":"echo","tool_parameters":{"text":1e308}}',
    ),
    request(
      'huge-number',
      '{"type":"tool","action":"invoke_tool","tool":"emit_blob","tool_parameters":{"size":1e400}}',
    ),
    request(
      'negative-size',
      '{"type":"tool","action":"invoke_tool","tool":"emit_blob","tool_parameters":{"size":-1}}',
    ),
    request(
      'max-files',
      '{"type":"tool","action":"invoke_tool","tool":"echo","credentials":{"max_files":"1e400"},"tool_parameters":{"text":"x"}}',
    ),
    request(
      'fake-file',
      '{"type":"tool","action":"invoke_tool","tool":"read_file","tool_parameters":{"file":{"dify_model_identity":"__dify__file__","url":42}}}',
    ),
    request(
      'relative-file',
      '{"type":"tool","action":"invoke_tool","tool":"read_file","tool_parameters":{"file":{"dify_model_identity":"__dify__file__","url":"/files/x"}}}',
    ),
    request(
      'proto',
      '{"type":"tool","action":"invoke_tool","tool":"__proto__","tool_parameters":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}',
    ),
    request(
      'deep-params',
      `{"type":"tool","action":"invoke_tool","tool":"echo","tool_parameters":{"text":"deep","x":${'['.repeat(deep)}${']'.repeat(deep)}}}`,
    ),
    request(
      'deep-creds',
      `{"type":"tool","action":"validate_tool_credentials","credentials":{"bucket":${'{"a":'.repeat(deep)}1${'}'.repeat(deep)}}}`,
    ),
    request('deep-data', `${'['.repeat(deep)}${']'.repeat(deep)}`),
    {
      line: `\uFEFF{"session_id":"${id('bom')}","event":"request","data":{"type":"tool","action":"nope"}}`,
      sessionId: id('bom'),
    },
    {
      line: `{"session_id":"${id('crlf')}","event":"request","data":{"type":"tool","action":"nope"}}\r`,
      sessionId: id('crlf'),
    },
  ];
}

/** Waits until every id in `ids` has an end, then checks each has exactly one and nothing else ended. */
async function expectOneEndEach(driver: DaemonDriver, ids: string[], timeoutMs: number): Promise<void> {
  const wanted = new Set(ids);
  const ends = (): PluginEvent[] =>
    driver.events.filter((e) => e.event === 'session' && e.data?.type === 'end');
  await driver.waitFor(
    () => new Set(ends().map((e) => e.session_id)).size >= wanted.size,
    timeoutMs,
    `${wanted.size} ends`,
  );
  const counts = new Map<string, number>();
  for (const e of ends()) counts.set(String(e.session_id), (counts.get(String(e.session_id)) ?? 0) + 1);
  const wrong = [...counts].filter(([sid, n]) => n !== 1 || !wanted.has(sid));
  expect(wrong).toEqual([]);
  expect([...wanted].filter((sid) => !counts.has(sid))).toEqual([]);
}

const logs: string[] = [];
const logger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (m) => logs.push(m),
  error: (m, f) => logs.push(`${m} ${String((f as { error?: unknown } | undefined)?.error ?? '')}`),
};

/** A tool that holds its session open until the test releases it. */
function gateTool(gate: Promise<void>): AnyToolDeclaration {
  return {
    ...FAKE_TOOLS[0]!,
    name: 'gate',
    parameters: [],
    params: z.object({}),
    handler: async function* () {
      await gate;
      yield { type: 'text', text: 'released' };
    },
  };
}

function startInProcess(tools: readonly AnyToolDeclaration[], maxLineBytes?: number) {
  const input = new PassThrough();
  const output = new PassThrough();
  const driver = new DaemonDriver((line) => input.write(line));
  driver.attach(output);
  const runtime = new PluginRuntime({
    input,
    output,
    logger,
    tools,
    probeFactory: () => async () => {
      throw new AppError('OSS_NO_SUCH_KEY');
    },
    heartbeatIntervalMs: 60_000,
    ...(maxLineBytes ? { maxLineBytes } : {}),
  });
  return { input, driver, runtime, done: runtime.run() };
}

const echo = {
  type: 'tool',
  action: 'invoke_tool',
  provider: 'aliyun_oss',
  tool: 'echo',
  tool_parameters: { text: 'still here' },
};

describe('PluginRuntime under protocol fuzz (in-process)', () => {
  it(`ends every request exactly once for crafted and ${400} seeded random lines (seed ${SEED})`, async () => {
    const { input, driver, runtime, done } = startInProcess(FAKE_TOOLS);
    const cases = [...craftedCases('c'), ...randomCases(400, seeded(SEED), 'r')];
    for (const c of cases) input.write(`${c.line}\n`);
    const ids = cases.flatMap((c) => (c.sessionId ? [c.sessionId] : []));
    expect(ids.length).toBeGreaterThan(200);
    await expectOneEndEach(driver, ids, 30_000);
    const after = await driver.call('after-fuzz', echo);
    expect(after.error).toBeNull();
    expect(after.streams[0]).toMatchObject({ type: 'text', message: { text: 'still here' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(driver.problems).toEqual([]);
    expect(runtime.activeSessions).toBe(0);
    input.end();
    await done;
    expect(logs.filter((line) => /session failed/.test(line) && /RangeError|TypeError/.test(line))).toEqual(
      [],
    );
  });

  it('ends oversized lines, invalid UTF-8 and bytes split at random points, then serves a normal invoke', async () => {
    const { input, driver, done } = startInProcess(FAKE_TOOLS, 64 * 1024);
    const random = seeded(SEED + 1);
    const big = `{"session_id":"big","event":"request","data":{"pad":"${'x'.repeat(200 * 1024)}"}}\n`;
    const bigNoId = `{"event":"request","data":{"pad":"${'y'.repeat(200 * 1024)}"}}\n`;
    const badUtf8 = Buffer.concat([
      Buffer.from(
        '{"session_id":"utf8","event":"request","data":{"type":"tool","action":"invoke_tool","tool":"echo","tool_parameters":{"text":"',
      ),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]),
      Buffer.from('"}}}\n'),
    ]);
    const badId = Buffer.concat([
      Buffer.from('{"session_id":"id-'),
      Buffer.from([0xc0, 0xaf]),
      Buffer.from('","event":"request","data":{}}\n'),
    ]);
    const multibyte = Buffer.from(
      `${JSON.stringify({ session_id: 'mb', event: 'request', data: { ...echo, tool_parameters: { text: '日本語🙂' } } })}\n`,
    );
    const all = Buffer.concat([Buffer.from(big), Buffer.from(bigNoId), badUtf8, badId, multibyte]);
    for (let at = 0; at < all.length; ) {
      const step = 1 + Math.floor(random() * 9000);
      input.write(all.subarray(at, at + step));
      at += step;
    }
    await expectOneEndEach(driver, ['big', 'utf8', 'id-\ufffd\ufffd', 'mb'], 20_000);
    expect((await driver.result('big')).error?.message).toMatch(/line limit/);
    expect((await driver.result('mb')).streams[0]).toMatchObject({ message: { text: '日本語🙂' } });
    const after = await driver.call('after-bytes', echo);
    expect(after.error).toBeNull();
    expect(driver.problems).toEqual([]);
    input.end();
    await done;
  });

  it('gives each of two requests that share an in-flight session id its own end', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { input, driver, runtime, done } = startInProcess([...FAKE_TOOLS, gateTool(gate)]);
    driver.request('dup', { type: 'tool', action: 'invoke_tool', tool: 'gate', tool_parameters: {} });
    driver.request('dup', echo);
    const ends = (): number =>
      driver.events.filter((e) => e.session_id === 'dup' && e.data?.type === 'end').length;
    await driver.waitFor(() => ends() === 1, 10_000, 'end of the echo');
    release();
    await driver.waitFor(() => ends() === 2, 10_000, 'end of the gate');
    const texts = driver.events.filter((e) => e.session_id === 'dup' && e.data?.data?.type === 'text');
    expect(texts.map((e) => e.data.data.message.text).sort()).toEqual(['released', 'still here']);
    expect((await driver.call('after-dup', echo)).error).toBeNull();
    expect(runtime.activeSessions).toBe(0);
    input.end();
    await done;
  });
});

describe('plugin process under protocol fuzz (real stdio)', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('survives malformed, random, oversized, invalid UTF-8 and deeply nested input and still serves', async () => {
    const plugin = spawnPlugin({ HEARTBEAT_INTERVAL: '30' });
    const { driver, child } = plugin;
    try {
      await driver.waitFor((e) => e.event === 'heartbeat', 30_000, 'first heartbeat');
      const cases = [...craftedCases('pc'), ...randomCases(200, seeded(SEED + 2), 'pr')];
      for (const c of cases) child.stdin!.write(`${c.line}\n`);
      child.stdin!.write(Buffer.from([0xff, 0xfe, 0x0a, 0x80, 0x7b, 0x0a]));
      child.stdin!.write(
        `{"session_id":"p-huge","event":"request","data":{"pad":"${'x'.repeat(6 * 1024 * 1024)}"}}\n`,
      );
      const ids = [...cases.flatMap((c) => (c.sessionId ? [c.sessionId] : [])), 'p-huge'];
      await expectOneEndEach(driver, ids, 40_000);
      const credentials = {
        access_key_id: DEFAULT_CREDENTIAL.accessKeyId,
        access_key_secret: DEFAULT_CREDENTIAL.accessKeySecret,
        endpoint: emulator.endpoint,
        bucket: DEFAULT_BUCKET,
        region: emulator.region,
      };
      const listed = await driver.call('p-after', {
        type: 'tool',
        action: 'invoke_tool',
        provider: 'aliyun_oss',
        tool: 'list_objects',
        credentials,
        tool_parameters: {},
      });
      expect(listed.error).toBeNull();
      expect(listed.streams.some((s) => s.type === 'json')).toBe(true);
      expect(child.exitCode).toBeNull();
      expect(driver.problems).toEqual([]);
      expect(driver.textLines).toEqual([]);
      child.stdin!.end();
      expect(await plugin.exited).toEqual({ code: 0, signal: null });
      expect(plugin.stderr()).not.toMatch(/Uncaught|unhandled|FATAL|Maximum call stack/i);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
