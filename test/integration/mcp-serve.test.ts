// `startServe` with real OSS settings and with a Dify daemon stand-in on TCP: what it prints, the
// remote-debug handshake, a refusal that stops everything with REMOTE_REFUSED, and a clean stop.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServe, runServe, type ServeOptions, startServe } from '../../src/cli/serve.js';
import { type Harness, harnessEnv, startHarness } from './mcp-harness.js';

let harness: Harness;
let cwd: string;

beforeAll(async () => {
  harness = await startHarness();
  cwd = await mkdtemp(join(tmpdir(), 'mcp-serve-'));
});

afterAll(async () => {
  await harness?.close();
  await rm(cwd, { recursive: true, force: true });
});

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stream, text: () => text };
}

async function serveWith(
  env: Record<string, string>,
  extra: Partial<ServeOptions> = {},
): Promise<{ serve: RunningServe; out: () => string; err: () => string }> {
  const out = capture();
  const err = capture();
  const serve = await startServe({ port: 0, env, cwd, stdout: out.stream, stderr: err.stream, ...extra });
  return { serve, out: out.text, err: err.text };
}

/** A TCP listener standing in for the daemon's remote-debug port; `lines` gets each received line. */
async function fakeDaemon(
  onLine: (line: string, socket: Socket) => void,
): Promise<Server & { port: number }> {
  const server = createServer((socket) => {
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let at = buffer.indexOf('\n'); at !== -1; at = buffer.indexOf('\n')) {
        onLine(buffer.slice(0, at), socket);
        buffer = buffer.slice(at + 1);
      }
    });
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return Object.assign(server, { port: (server.address() as { port: number }).port });
}

describe('startServe', () => {
  it('uses the OSS settings from the environment and never prints a given token', async () => {
    const { serve, out } = await serveWith({
      ...harnessEnv(harness),
      OSS_DIFY_MCP_TOKEN: 'given-token-123456',
    });
    try {
      expect(serve.generatedToken).toBe(false);
      expect(serve.emulatorEndpoint).toBeUndefined();
      expect(out()).toContain(`Storage:  OSS bucket dify-oss at ${harness.emulator.endpoint}`);
      expect(out()).toContain('Token:    from OSS_DIFY_MCP_TOKEN');
      expect(out()).not.toContain('given-token-123456');
      expect(out()).not.toContain(harness.emulator.credentials[0]!.accessKeySecret);
      const res = await fetch(serve.http.mcpUrl, {
        method: 'POST',
        headers: {
          authorization: 'Bearer given-token-123456',
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
      expect(res.status).toBe(200);
    } finally {
      await serve.close();
    }
  });

  it('registers with the Dify daemon given by --remote and --key, and stops the connection on close', async () => {
    const received: string[] = [];
    const closed: Promise<unknown>[] = [];
    const daemon = await fakeDaemon((line, socket) => {
      received.push(line);
      if (received.length === 1) closed.push(once(socket, 'close'));
    });
    const handshake = new Promise<void>((resolve) => {
      daemon.on('connection', (socket) => socket.once('data', () => resolve()));
    });
    const { serve, out } = await serveWith(harnessEnv(harness), {
      remote: `127.0.0.1:${daemon.port}`,
      key: 'debug-key-1',
    });
    await handshake;
    expect(out()).toContain(`Dify:     remote debug with 127.0.0.1:${daemon.port}`);
    await serve.close();
    await Promise.all(closed);
    expect(JSON.parse(received[0]!)).toEqual({ type: 'handshake', data: { key: 'debug-key-1' } });
    daemon.close();
  });

  it('shows a refused remote-debug key and stops serving with REMOTE_REFUSED (#5)', async () => {
    const daemon = await fakeDaemon((_line, socket) => {
      socket.end('handshake failed, invalid key\n');
    });
    const out = capture();
    const err = capture();
    try {
      await expect(
        runServe({
          port: 0,
          env: harnessEnv(harness),
          cwd,
          stdout: out.stream,
          stderr: err.stream,
          remote: `127.0.0.1:${daemon.port}`,
          key: 'wrong',
        }),
      ).rejects.toMatchObject({ code: 'REMOTE_REFUSED' });
      expect(err.text()).toMatch(/Dify remote debug stopped: REMOTE_REFUSED: .*invalid key/);
      const page = /Page: +(http:\/\/[^/\s]+)/.exec(out.text())?.[1];
      expect(page).toBeDefined();
      await expect(fetch(`${page}/healthz`)).rejects.toThrow();
    } finally {
      daemon.close();
    }
  });

  it('stops listening when closed', async () => {
    const { serve } = await serveWith(harnessEnv(harness));
    const url = `${serve.http.url}/healthz`;
    expect((await fetch(url)).status).toBe(200);
    await serve.close();
    await expect(fetch(url)).rejects.toThrow();
  });
});
