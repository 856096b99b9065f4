// A daemon-side driver written from the protocol spec (shared/reference/dify-protocol.md §2-§4), not
// from our runtime: it sends request envelopes, checks every line the plugin writes, and reassembles
// blobs the way Dify's chunk merger does. Works on a child process, a socket or in-memory streams.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** The 5 MiB stdout line cap of the daemon's scanner (§2.1). */
export const SPEC_MAX_LINE_BYTES = 5 * 1024 * 1024;
const STREAM_TYPES = new Set([
  'text',
  'file',
  'blob',
  'blob_chunk',
  'json',
  'link',
  'image',
  'image_link',
  'binary_link',
  'variable',
  'log',
  'retriever_resources',
]);
const SESSION_TYPES = new Set(['stream', 'end', 'error', 'invoke']);

// biome-ignore lint/suspicious/noExplicitAny: wire JSON is checked by hand below
export type Json = any;

/** One event line the plugin wrote, with when it arrived. */
export interface PluginEvent {
  event: string;
  session_id: string | null;
  data: Json;
  atMs: number;
}

/** All a session produced up to its `end`. */
export interface SessionResult {
  streams: Json[];
  error: Json | null;
}

const isObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Plays the daemon on one connection: write requests, read and check events. */
export class DaemonDriver {
  readonly events: PluginEvent[] = [];
  /** Spec violations seen so far; a conforming plugin leaves this empty. */
  readonly problems: string[] = [];
  /** Non-JSON lines the plugin wrote to the protocol stream (tolerated by the daemon, but logged). */
  readonly textLines: string[] = [];
  private readonly ended = new Set<string>();
  private readonly waiters: Array<{ test: (e: PluginEvent) => boolean; resolve: (e: PluginEvent) => void }> =
    [];
  private readonly started = Date.now();

  constructor(private readonly writeLine: (line: string) => void) {}

  /** Reads `\n`-separated lines from `readable` (no cap here, so oversized lines are caught). */
  attach(readable: Readable): void {
    let rest = Buffer.alloc(0);
    readable.on('data', (chunk: Buffer) => {
      let data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      let at = data.indexOf(0x0a);
      while (at !== -1) {
        this.feed(data.subarray(0, at));
        data = data.subarray(at + 1);
        at = data.indexOf(0x0a);
      }
      rest = Buffer.from(data);
    });
  }

  /** Checks one line against the spec and records it. */
  feed(raw: Buffer): void {
    if (raw.length > SPEC_MAX_LINE_BYTES) this.problems.push(`line of ${raw.length} bytes exceeds 5 MiB`);
    const text = raw.toString('utf8').trim();
    if (text === '') return;
    let value: Json;
    try {
      value = JSON.parse(text);
    } catch {
      this.textLines.push(text);
      return;
    }
    const event: PluginEvent = { ...value, atMs: Date.now() - this.started };
    this.check(event);
    this.events.push(event);
    for (const waiter of [...this.waiters]) {
      if (waiter.test(event)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  }

  private check(e: PluginEvent): void {
    const where = `session ${e.session_id}`;
    if (e.event === 'heartbeat') {
      if (e.session_id !== null || !isObject(e.data))
        this.problems.push('heartbeat must be {session_id:null, data:{}}');
      return;
    }
    if (e.event !== 'session') {
      if (!['log', 'error'].includes(e.event)) this.problems.push(`unknown event "${e.event}"`);
      return;
    }
    if (typeof e.session_id !== 'string') this.problems.push('session event without session_id');
    if (!isObject(e.data) || !SESSION_TYPES.has(e.data.type) || e.data.data === undefined) {
      this.problems.push(`${where}: session message needs type and data`);
      return;
    }
    if (this.ended.has(e.session_id as string)) this.problems.push(`${where}: message after end`);
    if (e.data.type === 'end') this.ended.add(e.session_id as string);
    if (e.data.type === 'error') {
      const d = e.data.data;
      if (!isObject(d) || typeof d.error_type !== 'string' || typeof d.message !== 'string')
        this.problems.push(`${where}: error needs error_type and message`);
      else if (d.args !== undefined && (!isObject(d.args) || Object.keys(d.args).length > 10))
        this.problems.push(`${where}: error args must be an object of at most 10 keys`);
    }
    if (e.data.type === 'stream' && 'type' in e.data.data) {
      const chunk = e.data.data;
      if (!STREAM_TYPES.has(chunk.type)) this.problems.push(`${where}: bad stream type ${chunk.type}`);
      if (!(chunk.message === null || isObject(chunk.message)))
        this.problems.push(`${where}: message not an object`);
      if (!(chunk.meta === null || chunk.meta === undefined || isObject(chunk.meta)))
        this.problems.push(`${where}: meta not an object`);
      if (chunk.type === 'blob_chunk' && Buffer.from(chunk.message.blob, 'base64').length > 8192)
        this.problems.push(`${where}: blob_chunk over 8192 bytes`);
    }
  }

  /** Sends a request envelope as the daemon builds it (§3.1). */
  request(sessionId: string, data: Record<string, unknown>): void {
    this.writeLine(
      `${JSON.stringify({ session_id: sessionId, conversation_id: null, message_id: null, app_id: null, endpoint_id: null, context: {}, event: 'request', data: { user_id: 'u1', ...data } })}\n`,
    );
  }

  /** Sends a raw line (for malformed input tests). */
  sendRaw(line: string): void {
    this.writeLine(line);
  }

  /** Resolves with the first event (already seen or future) that passes `test`. */
  waitFor(test: (e: PluginEvent) => boolean, timeoutMs = 20_000, label = 'event'): Promise<PluginEvent> {
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${label}`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  /** Sends a request and resolves with its stream payloads and error when its `end` arrives. */
  async call(sessionId: string, data: Record<string, unknown>, timeoutMs?: number): Promise<SessionResult> {
    this.request(sessionId, data);
    return this.result(sessionId, timeoutMs);
  }

  /** The outcome of a session already requested, once its `end` arrives. */
  async result(sessionId: string, timeoutMs?: number): Promise<SessionResult> {
    const isEnd = (e: PluginEvent): boolean => e.session_id === sessionId && e.data?.type === 'end';
    await this.waitFor(isEnd, timeoutMs, `end of ${sessionId}`);
    const mine = this.events.filter((e) => e.event === 'session' && e.session_id === sessionId);
    const errors = mine.filter((e) => e.data.type === 'error');
    if (mine.filter((e) => e.data.type === 'end').length !== 1)
      this.problems.push(`${sessionId}: not exactly one end`);
    return {
      streams: mine.filter((e) => e.data.type === 'stream').map((e) => e.data.data),
      error: errors[0]?.data.data ?? null,
    };
  }

  /** Heartbeat events seen so far. */
  heartbeats(): PluginEvent[] {
    return this.events.filter((e) => e.event === 'heartbeat');
  }
}

/** One file as Dify's merger rebuilds it from `blob_chunk`s (§4.2). */
export interface MergedBlob {
  bytes: Buffer;
  meta: Json;
}

/**
 * Reassembles blob chunks like Dify's `merge_blob_chunks`, stricter: sequences must run from 0 without
 * gaps, every chunk carries the same meta and total_length, decoded data fills exactly total_length,
 * and the last chunk has `end: true` and an empty blob.
 * @throws Error naming the first violation.
 */
export function mergeBlobChunks(streams: Json[]): MergedBlob[] {
  const byId = new Map<string, Json[]>();
  for (const chunk of streams.filter((s) => s.type === 'blob_chunk')) {
    const list = byId.get(chunk.message.id) ?? [];
    list.push(chunk);
    byId.set(chunk.message.id, list);
  }
  return [...byId.values()].map((chunks) => {
    const first = chunks[0];
    const total = first.message.total_length as number;
    const bytes = Buffer.alloc(total);
    let filled = 0;
    chunks.forEach((chunk, index) => {
      const m = chunk.message;
      if (m.sequence !== index) throw new Error(`sequence ${m.sequence} at position ${index}`);
      if (m.total_length !== total) throw new Error('total_length changed between chunks');
      if (JSON.stringify(chunk.meta) !== JSON.stringify(first.meta))
        throw new Error('meta changed between chunks');
      const data = Buffer.from(m.blob, 'base64');
      if (data.length > 8192) throw new Error('chunk over 8192 bytes');
      if (filled + data.length > total) throw new Error('more bytes than total_length');
      data.copy(bytes, filled);
      filled += data.length;
      const last = index === chunks.length - 1;
      if (m.end !== last) throw new Error(`end flag ${m.end} on chunk ${index}`);
      if (last && data.length !== 0) throw new Error('final chunk must be empty');
    });
    if (filled !== total) throw new Error(`got ${filled} bytes, total_length ${total}`);
    return { bytes, meta: first.meta };
  });
}

/** A plugin started as a child process, driven over its stdin/stdout. */
export interface PluginProcess {
  child: ChildProcess;
  driver: DaemonDriver;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Repository root (the child runs from here). */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/**
 * Spawns the plugin: `OSS_DIFY_PLUGIN_CMD` (a shell command, e.g. the packaged bundle) when set, else
 * `node --import tsx src/dify/main.ts`.
 */
export function spawnPlugin(env: Record<string, string> = {}): PluginProcess {
  const command = process.env.OSS_DIFY_PLUGIN_CMD;
  const fullEnv: NodeJS.ProcessEnv = { ...process.env, OSS_DIFY_LOG_LEVEL: 'debug', ...env };
  delete fullEnv.INSTALL_METHOD;
  if (env.INSTALL_METHOD) fullEnv.INSTALL_METHOD = env.INSTALL_METHOD;
  const child = command
    ? spawn(command, { shell: true, cwd: REPO_ROOT, env: fullEnv, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(process.execPath, ['--import', 'tsx', 'src/dify/main.ts'], {
        cwd: REPO_ROOT,
        env: fullEnv,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
  const driver = new DaemonDriver((line) => child.stdin?.write(line));
  child.stdin?.on('error', () => undefined);
  driver.attach(child.stdout as Readable);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, driver, stderr: () => stderr, exited };
}
