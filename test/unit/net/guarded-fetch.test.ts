import { afterEach, describe, expect, it } from 'vitest';
import { guardedFetch } from '../../../src/net/guarded-fetch.js';
import { type LocalServer, readAll, startLocalServer } from './local-server.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
const servers: LocalServer[] = [];

async function serve(...args: Parameters<typeof startLocalServer>): Promise<LocalServer> {
  const server = await startLocalServer(...args);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('guardedFetch', () => {
  it('streams the body of an allow-listed server with its metadata', async () => {
    const server = await serve((_request, response) => {
      response.setHeader('content-type', 'text/plain; charset=utf-8');
      response.end('hello world');
    });
    const body = await guardedFetch(`${server.origin}/docs/readme.txt?sig=abc`, {
      maxBytes: 1024,
      allowedHosts: [server.hostPort],
    });
    expect(body).toMatchObject({
      status: 200,
      size: 11,
      contentType: 'text/plain; charset=utf-8',
      filename: 'readme.txt',
      finalUrl: `${server.origin}/docs/readme.txt?sig=abc`,
    });
    expect((await readAll(body.stream)).toString()).toBe('hello world');
  });

  it('asks for identity encoding and sends its user agent', async () => {
    const server = await serve((_request, response) => response.end('x'));
    const body = await guardedFetch(`${server.origin}/`, {
      maxBytes: 10,
      allowedHosts: [server.hostPort],
      userAgent: 'test-agent/1',
    });
    await readAll(body.stream);
    expect(server.requests[0]?.headers).toMatchObject({
      'accept-encoding': 'identity',
      'user-agent': 'test-agent/1',
    });
  });

  it('names a body without extension from its sniffed type', async () => {
    const server = await serve((_request, response) => {
      response.setHeader('content-type', 'application/octet-stream');
      response.end(PNG);
    });
    const body = await guardedFetch(`${server.origin}/image`, {
      maxBytes: 1024,
      allowedHosts: [server.hostPort],
    });
    expect(body).toMatchObject({ filename: 'image.png', sniffedMimeType: 'image/png' });
    expect(await readAll(body.stream)).toEqual(PNG);
  });

  it('follows a redirect inside the allow-list and reports the final URL', async () => {
    const server = await serve((request, response) => {
      if (request.url === '/start') {
        response.writeHead(302, { location: '/final/data.bin' }).end();
        return;
      }
      response.end('final');
    });
    const body = await guardedFetch(`${server.origin}/start`, {
      maxBytes: 100,
      allowedHosts: [server.hostPort],
    });
    expect(body.finalUrl).toBe(`${server.origin}/final/data.bin`);
    expect((await readAll(body.stream)).toString()).toBe('final');
  });

  it.each([
    [404, false],
    [403, false],
    [503, true],
    [429, true],
  ])('fails with DOWNLOAD_FAILED naming status %i (retryable %s)', async (status, retryable) => {
    const server = await serve((_request, response) => response.writeHead(status).end('nope'));
    await expect(
      guardedFetch(`${server.origin}/`, { maxBytes: 100, allowedHosts: [server.hostPort] }),
    ).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED', retryable, details: { status } });
  });

  it('reaches a listed host name through the injected resolver', async () => {
    const server = await serve((_request, response) => response.end('via resolver'));
    const resolved: string[] = [];
    const body = await guardedFetch(`http://files.intranet.example:${server.port}/a.txt`, {
      maxBytes: 100,
      allowedHosts: [`files.intranet.example:${server.port}`],
      resolver: async (hostname) => {
        resolved.push(hostname);
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    expect((await readAll(body.stream)).toString()).toBe('via resolver');
    expect(resolved).toEqual(['files.intranet.example']);
    expect(server.requests[0]?.headers.host).toBe(`files.intranet.example:${server.port}`);
  });

  it('fails with DNS_LOOKUP_FAILED when the name does not resolve', async () => {
    await expect(
      guardedFetch('https://nowhere.example/x', {
        maxBytes: 100,
        resolver: async () => {
          throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example'), { code: 'ENOTFOUND' });
        },
      }),
    ).rejects.toMatchObject({ code: 'DNS_LOOKUP_FAILED' });
  });

  it('fails with DNS_LOOKUP_FAILED when the resolver never answers within the connect timeout', async () => {
    await expect(
      guardedFetch('https://slow-dns.example/x', {
        maxBytes: 100,
        connectTimeoutMs: 100,
        resolver: () => new Promise(() => undefined),
      }),
    ).rejects.toMatchObject({ code: 'DNS_LOOKUP_FAILED' });
  });

  it('fails with CANCELLED when the caller aborts while waiting for headers', async () => {
    const controller = new AbortController();
    const server = await serve(() => controller.abort());
    await expect(
      guardedFetch(`${server.origin}/`, {
        maxBytes: 100,
        allowedHosts: [server.hostPort],
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('fails with CANCELLED when the caller aborts while the body streams', async () => {
    const controller = new AbortController();
    const server = await serve((_request, response) => response.write(Buffer.alloc(5000, 7)));
    const body = await guardedFetch(`${server.origin}/`, {
      maxBytes: 100_000,
      allowedHosts: [server.hostPort],
      signal: controller.signal,
    });
    body.stream.once('data', () => controller.abort());
    await expect(readAll(body.stream)).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('rejects a non-positive maxBytes with INVALID_ARGUMENT', async () => {
    await expect(guardedFetch('https://example.com/', { maxBytes: 0 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
