// security-reliability.md §B 14-20: size limits, lying lengths, compression bombs and slow servers,
// against local servers. Servers that "stall" simply never write again; timeouts are small options.
import { createServer, type Server, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { guardedFetch } from '../../src/net/guarded-fetch.js';
import { trustedFetch } from '../../src/net/trusted-fetch.js';
import { type LocalServer, readAll, startLocalServer } from '../unit/net/local-server.js';

const servers: LocalServer[] = [];
const rawServers: Array<{ server: Server; sockets: Set<Socket> }> = [];
async function serve(...args: Parameters<typeof startLocalServer>): Promise<LocalServer> {
  const server = await startLocalServer(...args);
  servers.push(server);
  return server;
}
/** A TCP server that answers every connection with `raw` bytes (then leaves the socket open). */
async function serveRaw(raw: Buffer | string, end = false): Promise<{ origin: string; hostPort: string }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => (end ? socket.end(raw) : socket.write(raw)));
    socket.on('error', () => undefined);
  });
  rawServers.push({ server, sockets });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { origin: `http://127.0.0.1:${port}`, hostPort: `127.0.0.1:${port}` };
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  for (const { server, sockets } of rawServers.splice(0)) {
    for (const socket of sockets) socket.destroy();
    server.close();
  }
});

/** Fetches and reads the whole body: limits may trip before or after guardedFetch resolves. */
function download(url: string, hostPort: string, extra: Partial<Parameters<typeof guardedFetch>[1]> = {}) {
  return guardedFetch(url, { maxBytes: 10_000, allowedHosts: [hostPort], ...extra }).then((body) =>
    readAll(body.stream),
  );
}

describe('guardedFetch download safety (§B)', () => {
  it('refuses a 10 GiB Content-Length before reading the body (§B14)', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': String(10 * 1024 ** 3) });
      response.write(Buffer.alloc(1000));
    });
    await expect(
      guardedFetch(`${server.origin}/big`, { maxBytes: 10_000, allowedHosts: [server.hostPort] }),
    ).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', details: { declaredBytes: 10 * 1024 ** 3 } });
  });

  it('stops a chunked body that streams past the limit, passing on at most the limit (§B15)', async () => {
    const server = await serve((_request, response) => {
      for (let i = 0; i < 40; i++) response.write(Buffer.alloc(1000, i));
      response.end();
    });
    let passed = 0;
    const result = guardedFetch(`${server.origin}/`, {
      maxBytes: 10_000,
      allowedHosts: [server.hostPort],
    }).then(
      (body) =>
        new Promise((resolve, reject) => {
          body.stream.on('data', (chunk: Buffer) => {
            passed += chunk.length;
          });
          body.stream.on('end', resolve).on('error', reject);
        }),
    );
    await expect(result).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
    expect(passed).toBeLessThanOrEqual(10_000);
  });

  it('passes on a body of exactly the limit', async () => {
    const server = await serve((_request, response) => response.end(Buffer.alloc(10_000, 3)));
    expect((await download(`${server.origin}/`, server.hostPort)).length).toBe(10_000);
  });

  it('never passes on more than a too-small Content-Length declares (§B16)', async () => {
    const raw = await serveRaw(
      `HTTP/1.1 200 OK\r\ncontent-length: 10\r\nconnection: close\r\n\r\n${'x'.repeat(5000)}`,
      true,
    );
    const bytes = await download(`${raw.origin}/`, raw.hostPort).catch(() => Buffer.alloc(0));
    expect(bytes.length).toBeLessThanOrEqual(10);
  });

  it('fails with DOWNLOAD_INCOMPLETE when the body is shorter than its Content-Length (§B16)', async () => {
    const raw = await serveRaw(`HTTP/1.1 200 OK\r\ncontent-length: 5000\r\n\r\n${'x'.repeat(10)}`, true);
    await expect(download(`${raw.origin}/`, raw.hostPort)).rejects.toMatchObject({
      code: 'DOWNLOAD_INCOMPLETE',
    });
  });

  it('refuses a gzip bomb without inflating it (§B17)', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/octet-stream' });
      response.end(bomb);
    });
    const rssBefore = process.memoryUsage().rss;
    await expect(
      download(`${server.origin}/bomb`, server.hostPort, { maxBytes: 1024 ** 3 }),
    ).rejects.toMatchObject({
      code: 'CONTENT_ENCODING_NOT_ALLOWED',
    });
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(40 * 1024 * 1024);
    expect(server.requests[0]?.headers['accept-encoding']).toBe('identity');
  });

  it('refuses a 1000-fold Content-Encoding chain (§B18)', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-encoding': Array(1000).fill('gzip').join(', ') });
      response.end('x');
    });
    await expect(download(`${server.origin}/`, server.hostPort)).rejects.toMatchObject({
      code: 'CONTENT_ENCODING_NOT_ALLOWED',
    });
  });

  it('fails with DOWNLOAD_TIMEOUT (headers) when the server never answers (§B20)', async () => {
    const server = await serve(() => undefined);
    await expect(
      download(`${server.origin}/`, server.hostPort, { headersTimeoutMs: 200 }),
    ).rejects.toMatchObject({
      code: 'DOWNLOAD_TIMEOUT',
      details: { phase: 'headers' },
    });
  });

  it('fails with DOWNLOAD_TIMEOUT (idle) when the body stalls', async () => {
    const server = await serve((_request, response) => response.write(Buffer.alloc(5000, 1)));
    await expect(
      download(`${server.origin}/`, server.hostPort, { idleTimeoutMs: 200 }),
    ).rejects.toMatchObject({
      code: 'DOWNLOAD_TIMEOUT',
      details: { phase: 'idle' },
    });
  });

  it('fails with DOWNLOAD_TIMEOUT (total) on a slowloris body that never trips the idle timer (§B19)', async () => {
    const server = await serve((_request, response) => {
      response.write(Buffer.alloc(5000, 1));
      const drip = setInterval(() => response.write('.'), 20);
      response.on('close', () => clearInterval(drip));
    });
    await expect(
      download(`${server.origin}/`, server.hostPort, { idleTimeoutMs: 5000, totalTimeoutMs: 400 }),
    ).rejects.toMatchObject({ code: 'DOWNLOAD_TIMEOUT', details: { phase: 'total' } });
  });

  it('applies the same limits to trusted Dify file URLs (§B14-16)', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': '999999' });
      response.end('x');
    });
    await expect(trustedFetch(`${server.origin}/files/1`, { maxBytes: 1000 })).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE',
    });
    const slow = await serve(() => undefined);
    await expect(
      trustedFetch(`${slow.origin}/files/2`, { maxBytes: 1000, headersTimeoutMs: 200 }),
    ).rejects.toMatchObject({ code: 'DOWNLOAD_TIMEOUT', details: { phase: 'headers' } });
  });
});
