// The remote-debug transport: dial the daemon's TCP port, register (handshake → manifest → tools →
// assets → end), then serve requests on the same socket (dify-protocol.md §2.3). Reconnects with backoff.
import { connect, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
// biome-ignore lint/correctness/useImportExtensions: a JSON module keeps its own extension
import packageJson from '../../package.json' with { type: 'json' };
import { redact } from '../config/redact.js';
import type { Settings } from '../config/settings.js';
import { AppError, isAppError } from '../errors.js';
import { type AnyToolDeclaration, TOOL_REGISTRY } from '../tools/registry.js';
import type { Logger } from '../tools/tool-declaration.js';
import { buildDeclarations } from './declarations.js';
import { ossHeadProbe } from './oss-probe.js';
import { OutputWriter } from './output-writer.js';
import { BLOB_CHUNK_BYTES, decodeLine, encodeRegistration, LineDecoder } from './protocol.js';
import { PluginRuntime, type ProbeFactory } from './runtime.js';

/** The Python SDK's defaults for `REMOTE_INSTALL_HOST` / `REMOTE_INSTALL_PORT` (dify_plugin `config.py`). */
export const DEFAULT_REMOTE_HOST = 'localhost';
export const DEFAULT_REMOTE_PORT = 5003;
/** Pauses before reconnect attempts; the SDK makes 3 attempts 5 s apart (`tcp/request_reader.py`). */
export const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16000] as const;
/** A connection that stayed registered this long resets the attempt counter. */
export const STABLE_CONNECTION_MS = 30_000;
const CONNECT_TIMEOUT_MS = 10_000;

/** What the registration sends: `buildDeclarations(...).remote`. */
export interface RemoteDeclarations {
  manifest: Record<string, unknown>;
  tools: Array<Record<string, unknown>>;
  assets: Array<{ filename: string; data: Buffer }>;
}

/** Options of {@link runRemoteDebug}. */
export interface RemoteDebugOptions {
  host: string;
  port: number;
  /** The debugging key Dify shows under Plugins → Debug. */
  key: string;
  /** Defaults for credential fields Dify leaves empty. */
  settings?: Settings;
  logger: Logger;
  /** Aborting closes the connection; runRemoteDebug then resolves. */
  signal?: AbortSignal;
  /** Manifest author; default: package.json `author`. */
  author?: string;
  /** Plugin version; default: package.json `version`. */
  version?: string;
  /** For tests: served tools (default: the registry) and their declarations (default: generated). */
  tools?: readonly AnyToolDeclaration[];
  declarations?: RemoteDeclarations;
  probeFactory?: ProbeFactory;
  /** Heartbeat period once registered; default 10 000 ms. */
  heartbeatIntervalMs?: number;
  /** Pause before each reconnect; the length bounds the attempts. Default {@link DEFAULT_RETRY_DELAYS_MS}. */
  retryDelaysMs?: readonly number[];
}

/** Where to connect, from the Python SDK's environment names. */
export interface RemoteTarget {
  host: string;
  port: number;
  key: string;
}

/**
 * Reads `REMOTE_INSTALL_URL` (`host:port` or `scheme://host:port`, preferred) or
 * `REMOTE_INSTALL_HOST` / `REMOTE_INSTALL_PORT`, and `REMOTE_INSTALL_KEY`.
 * @throws AppError CONFIG_INVALID when the key is missing or the port is not a port.
 */
export function remoteTargetFromEnv(env: Record<string, string | undefined>): RemoteTarget {
  const key = env.REMOTE_INSTALL_KEY?.trim();
  if (!key) throw new AppError('CONFIG_INVALID', 'REMOTE_INSTALL_KEY is required for remote debugging');
  let host = env.REMOTE_INSTALL_HOST?.trim() || DEFAULT_REMOTE_HOST;
  let portText = env.REMOTE_INSTALL_PORT?.trim() || String(DEFAULT_REMOTE_PORT);
  const url = env.REMOTE_INSTALL_URL?.trim();
  if (url) {
    const hostPort = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '');
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
    if (!match?.[1]) throw new AppError('CONFIG_INVALID', `REMOTE_INSTALL_URL "${url}" is not host:port`);
    host = match[1].replace(/^\[|\]$/g, '');
    portText = match[2] ?? String(DEFAULT_REMOTE_PORT);
  }
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new AppError('CONFIG_INVALID', `Remote debug port "${portText}" is not a TCP port`);
  }
  return { host, port, key };
}

/** The registration lines in the daemon's order; assets cut into 8192-byte pieces, none empty. */
export function registrationLines(key: string, declarations: RemoteDeclarations): string[] {
  const lines = [
    encodeRegistration('handshake', { key }),
    encodeRegistration('manifest_declaration', declarations.manifest),
    encodeRegistration('tool_declaration', declarations.tools),
  ];
  for (const asset of declarations.assets) {
    for (let offset = 0; offset < asset.data.length; offset += BLOB_CHUNK_BYTES) {
      const piece = asset.data.subarray(offset, offset + BLOB_CHUNK_BYTES);
      const end = offset + BLOB_CHUNK_BYTES >= asset.data.length;
      lines.push(
        encodeRegistration('asset_chunk', { filename: asset.filename, data: piece.toString('base64'), end }),
      );
    }
  }
  lines.push(encodeRegistration('end', {}));
  return lines;
}

type Outcome = { kind: 'dropped'; registered: boolean; livedMs: number } | { kind: 'stopped' };

/**
 * Connects to the daemon, registers and serves until `signal` aborts. A dropped connection is retried
 * after each of `retryDelaysMs`; a stable connection resets the count.
 * @throws AppError REMOTE_REFUSED with the daemon's text (e.g. "handshake failed, invalid key");
 * DIFY_REMOTE_DISCONNECTED when every retry failed; DIFY_DECLARATION_INVALID from the generator.
 */
export async function runRemoteDebug(options: RemoteDebugOptions): Promise<void> {
  const declarations =
    options.declarations ??
    buildDeclarations(options.tools ?? TOOL_REGISTRY, {
      author: options.author ?? packageJson.author,
      version: options.version ?? packageJson.version,
    }).remote;
  const lines = registrationLines(options.key, declarations);
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  let failures = 0;
  while (!options.signal?.aborted) {
    const outcome = await connectOnce(options, lines);
    if (outcome.kind === 'stopped') return;
    if (outcome.registered && outcome.livedMs >= STABLE_CONNECTION_MS) failures = 0;
    const delay = delays[failures];
    failures += 1;
    if (delay === undefined) {
      throw new AppError('DIFY_REMOTE_DISCONNECTED', undefined, {
        details: { host: options.host, port: options.port, attempts: failures },
      });
    }
    options.logger.warn('connection to the Dify daemon lost; reconnecting', {
      delay_ms: delay,
      attempt: failures,
    });
    await pause(delay, options.signal);
  }
}

async function connectOnce(options: RemoteDebugOptions, lines: string[]): Promise<Outcome> {
  const { logger } = options;
  const startedAt = Date.now();
  const socket = await openSocket(options.host, options.port, options.signal).catch((error: unknown) => {
    logger.warn('cannot connect to the Dify daemon', { host: options.host, port: options.port, error });
    return null;
  });
  if (!socket) return { kind: 'dropped', registered: false, livedMs: 0 };
  const onAbort = (): void => void socket.destroy();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let refusal: string | null = null;
  let registered = false;
  const input = new PassThrough();
  const preDecoder = new LineDecoder();
  socket.on('data', (chunk: Buffer) => {
    if (registered) {
      if (!input.write(chunk)) socket.pause();
      return;
    }
    for (const line of preDecoder.push(chunk)) {
      if (line.kind === 'line' && decodeLine(line.text).kind === 'text') refusal ??= line.text.trim();
    }
  });
  input.on('drain', () => socket.resume());
  socket.on('error', (error) => logger.debug('debug socket error', { error }));
  socket.once('close', () => {
    for (const line of registered ? [] : preDecoder.end()) {
      if (line.kind === 'line' && decodeLine(line.text).kind === 'text') refusal ??= line.text.trim();
    }
    input.end();
  });
  try {
    const writer = new OutputWriter(socket);
    for (const line of lines) await writer.write(line);
    registered = true;
    logger.info('registered with the Dify daemon', { host: options.host, port: options.port });
    const runtime = new PluginRuntime({
      input,
      output: socket,
      logger,
      probeFactory: options.probeFactory ?? ossHeadProbe,
      onTextLine: (text) => {
        refusal ??= text.trim();
      },
      ...(options.tools ? { tools: options.tools } : {}),
      ...(options.settings ? { baseSettings: options.settings } : {}),
      ...(options.heartbeatIntervalMs === undefined
        ? {}
        : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
    });
    await runtime.run();
  } catch (error) {
    if (!isAppError(error) || error.code !== 'CANCELLED') throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    socket.destroy();
  }
  await closed(socket);
  if (refusal !== null) {
    throw new AppError('REMOTE_REFUSED', `The Dify daemon refused the connection: ${redact(refusal)}`, {
      details: { daemon_message: redact(refusal).slice(0, 500) },
    });
  }
  if (options.signal?.aborted) return { kind: 'stopped' };
  return { kind: 'dropped', registered, livedMs: Date.now() - startedAt };
}

function openSocket(host: string, port: number, signal?: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, ...(signal ? { signal } : {}) });
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy(new Error('connect timed out')));
    socket.once('connect', () => {
      socket.setTimeout(0);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function closed(socket: Socket): Promise<void> {
  return socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
