// Shared set-up of the tools integration tests: an emulator, a local server playing Dify's FILES_URL
// (and any public host), and a runner that drains a tool's messages with blob bytes read.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { parseSettings, type Settings } from '../../src/config/settings.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { invokeTool } from '../../src/tools/invoke.js';
import type { Face, ToolContextOptions } from '../../src/tools/tool-context.js';
import type { ToolMessage } from '../../src/tools/tool-declaration.js';

/** A file the local server serves. `chunked` omits Content-Length. */
export interface ServedFile {
  body: Buffer;
  contentType?: string;
  chunked?: boolean;
  contentDisposition?: string;
}

/** A local HTTP server with a request counter. */
export interface FileServer {
  origin: string;
  host: string;
  files: Map<string, ServedFile>;
  requests: string[];
  url(path: string): string;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1:0 serving `files` by path (query ignored). */
export async function startFileServer(): Promise<FileServer> {
  const files = new Map<string, ServedFile>();
  const requests: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    requests.push(req.url ?? '');
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    const file = files.get(path);
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    const headers: Record<string, string | number> = {
      'content-type': file.contentType ?? 'application/octet-stream',
    };
    if (!file.chunked) headers['content-length'] = file.body.length;
    if (file.contentDisposition) headers['content-disposition'] = file.contentDisposition;
    res.writeHead(200, headers);
    if (file.chunked) {
      const step = 64 * 1024;
      for (let at = 0; at < file.body.length; at += step) res.write(file.body.subarray(at, at + step));
      res.end();
    } else res.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    host: `127.0.0.1:${port}`,
    files,
    requests,
    url: (path) => `${origin}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The emulator plus settings pointing at its private bucket. */
export interface ToolsWorld {
  emulator: Emulator;
  bucket: string;
  settings(overrides?: Record<string, unknown>): Settings;
}

/** Starts an emulator with a private bucket `tools-test` and a second bucket `other-bucket`. */
export async function startWorld(): Promise<ToolsWorld> {
  const emulator = await startEmulator({ port: 0, buckets: ['tools-test', 'other-bucket'] });
  const credential = emulator.credentials[0]!;
  return {
    emulator,
    bucket: 'tools-test',
    settings: (overrides = {}) =>
      parseSettings({
        access_key_id: credential.accessKeyId,
        access_key_secret: credential.accessKeySecret,
        endpoint: emulator.endpoint,
        bucket: 'tools-test',
        region: emulator.region,
        ...overrides,
      }),
  };
}

/** A tool message with blob bytes read into `bytes`. */
export type Collected =
  | Exclude<ToolMessage, { type: 'blob' }>
  | (Extract<ToolMessage, { type: 'blob' }> & { bytes: Buffer });

/** Runs a tool to its end, reading each blob before asking for the next message (as every face does). */
export async function runTool(
  name: string,
  params: Record<string, unknown>,
  settings: Settings,
  extra: Partial<ToolContextOptions> & { face?: Face } = {},
): Promise<Collected[]> {
  const out: Collected[] = [];
  for await (const message of invokeTool(name, params, { face: 'dify', ...extra, settings })) {
    if (message.type === 'blob') {
      const chunks: Buffer[] = [];
      for await (const chunk of message.stream) chunks.push(chunk as Buffer);
      out.push({ ...message, bytes: Buffer.concat(chunks) });
    } else out.push(message);
  }
  return out;
}

/** The JSON message of a run. */
export function jsonOf(messages: Collected[]): Record<string, unknown> {
  const json = messages.find((message) => message.type === 'json');
  if (json?.type !== 'json') throw new Error('no json message');
  return json.json as Record<string, unknown>;
}

/** The `files` array of an upload or batch JSON. */
export function filesOf(messages: Collected[]): Array<Record<string, unknown>> {
  return jsonOf(messages).files as Array<Record<string, unknown>>;
}

/** A tool's failure as a test reads it: code, message, details, and all of it as text (for leak checks). */
export interface ToolFailure {
  code: string;
  message: string;
  details?: unknown;
  text: string;
}

/** Runs a tool that must fail and returns its error (the test fails when the tool succeeds). */
export async function failureOf(
  world: ToolsWorld,
  name: string,
  params: Record<string, unknown>,
  settings = world.settings(),
  extra: Parameters<typeof runTool>[3] = {},
): Promise<ToolFailure> {
  try {
    const out = await runTool(name, params, settings, extra);
    throw new Error(`expected ${name} to fail, got ${JSON.stringify(out).slice(0, 300)}`);
  } catch (error) {
    const e = error as { code: string; message: string; details?: unknown };
    const text = JSON.stringify({ ...e, message: e.message });
    return { ...e, code: e.code, message: e.message, details: e.details, text };
  }
}

/** Object writes (PutObject, InitiateMultipartUpload) the world's emulator has logged. */
export function writeCount(world: ToolsWorld): number {
  return world.emulator.requestLog.filter((r) => ['PutObject', 'InitiateMultipartUpload'].includes(r.op))
    .length;
}

/** The first item of the `files` array. */
export function firstFile(messages: Collected[]): Record<string, unknown> {
  return filesOf(messages)[0]!;
}

/** Puts `body` on `server` at `path` and returns its Dify-style signed URL (FILES_URL plus query). */
export function serveDifyFile(
  server: FileServer,
  path: string,
  body: Buffer | string,
  extra: { contentType?: string; chunked?: boolean } = {},
): string {
  server.files.set(path, { body: Buffer.isBuffer(body) ? body : Buffer.from(body), ...extra });
  return server.url(`${path}?timestamp=1&nonce=n&sign=s`);
}

/** What {@link useWorldWithFiles} gives a test file: read only inside tests (after beforeAll ran). */
export interface WorldWithFiles {
  readonly world: ToolsWorld;
  /** The server playing Dify's FILES_URL. */
  readonly dify: FileServer;
  /** Puts `body` on the FILES_URL server and returns its Dify-style URL (see {@link serveDifyFile}). */
  serve(path: string, body: Buffer | string, extra?: { contentType?: string; chunked?: boolean }): string;
}

/** Starts a tools world and a FILES_URL server for the calling test file, and closes both after it. */
export function useWorldWithFiles(): WorldWithFiles {
  let started: { world: ToolsWorld; dify: FileServer } | undefined;
  beforeAll(async () => {
    started = { world: await startWorld(), dify: await startFileServer() };
  });
  afterAll(async () => {
    await started?.dify.close();
    await started?.world.emulator.close();
  });
  const get = () => {
    if (!started) throw new Error('useWorldWithFiles: read inside a test, after beforeAll');
    return started;
  };
  return {
    get world() {
      return get().world;
    },
    get dify() {
      return get().dify;
    },
    serve: (path, body, extra = {}) => serveDifyFile(get().dify, path, body, extra),
  };
}

/** A Dify file object as the daemon sends it. */
export function difyFile(url: string, filename: string | null, extra: Record<string, unknown> = {}) {
  return {
    dify_model_identity: '__dify__file__',
    url,
    filename,
    mime_type: null,
    extension: null,
    size: null,
    ...extra,
  };
}
