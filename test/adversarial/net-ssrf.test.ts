// security-reliability.md §B 1-5, 8-10, 12-13: the SSRF cases of the guarded fetcher, against local
// servers. The dial seam sends any connection the guard lets through to a local server, so "nothing
// connected" is observable as server.connections === 0.
import { afterEach, describe, expect, it } from 'vitest';
import { guardedFetch } from '../../src/net/guarded-fetch.js';
import { checkPublicUrl, checkRedirect } from '../../src/net/url-policy.js';
import { type LocalServer, readAll, startLocalServer } from '../unit/net/local-server.js';

const servers: LocalServer[] = [];
async function serve(...args: Parameters<typeof startLocalServer>): Promise<LocalServer> {
  const server = await startLocalServer(...args);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A trap server plus fetch options that would land any allowed connection on it. */
async function trap(): Promise<{
  server: LocalServer;
  dialed: string[];
  options: Parameters<typeof guardedFetch>[1];
}> {
  const server = await serve((_request, response) => response.end('leaked'));
  const dialed: string[] = [];
  return {
    server,
    dialed,
    options: {
      maxBytes: 1000,
      dialAddress: (checked) => {
        dialed.push(checked.address);
        return { address: '127.0.0.1', family: 4, port: server.port };
      },
    },
  };
}

describe('guardedFetch SSRF guard (§B)', () => {
  it.each([
    'http://127.0.0.1/',
    'http://localhost/',
    'http://LOCALHOST./',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[0:0:0:0:0:ffff:a9fe:a9fe]/',
    'http://[::7f00:1]/',
    'http://0.0.0.0/',
    'http://[::]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.100.100.200/latest/meta-data/',
    'http://[fd00:ec2::254]/',
    'http://10.0.0.1/',
    'http://192.168.0.1/',
    'http://172.16.0.1/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://192.0.2.1/',
  ])('refuses %s with SSRF_BLOCKED before any TCP connect (§B1,3,4,5)', async (url) => {
    const { server, dialed, options } = await trap();
    await expect(guardedFetch(url, options)).rejects.toMatchObject({ code: 'SSRF_BLOCKED' });
    expect(dialed).toEqual([]);
    expect(server.connections).toBe(0);
  });

  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://①②⑦.0.0.1/', '127.0.0.1'],
    ['http://0xa9fea9fe/', '169.254.169.254'],
    ['http://[0:0:0:0:0:ffff:7f00:1]/', '[::ffff:7f00:1]'],
  ])('judges %s as the %s WHATWG URL normalises it to (§B2)', async (url, normalized) => {
    expect(new URL(url).hostname).toBe(normalized);
    const { server, options } = await trap();
    await expect(guardedFetch(url, options)).rejects.toMatchObject({ code: 'SSRF_BLOCKED' });
    expect(server.connections).toBe(0);
  });

  it.each([
    ['127.0.0.1', 4],
    ['10.1.2.3', 4],
    ['172.20.0.5', 4],
    ['192.168.10.10', 4],
    ['169.254.169.254', 4],
    ['100.100.100.200', 4],
    ['0.0.0.0', 4],
    ['224.0.0.251', 4],
    ['198.51.100.1', 4],
    ['::1', 6],
    ['::ffff:127.0.0.1', 6],
    ['::ffff:10.0.0.1', 6],
    ['64:ff9b::a9fe:a9fe', 6],
    ['2002:a9fe:a9fe::1', 6],
    ['fd00:ec2::254', 6],
    ['fe80::1', 6],
    ['::', 6],
  ] as const)('refuses a name that resolves to %s (injected resolver)', async (address, family) => {
    const { server, dialed, options } = await trap();
    await expect(
      guardedFetch('https://innocent.example.com/file', {
        ...options,
        resolver: async () => [{ address, family }],
      }),
    ).rejects.toMatchObject({ code: 'SSRF_BLOCKED', details: { range: expect.any(String) } });
    expect(dialed).toEqual([]);
    expect(server.connections).toBe(0);
  });

  it('refuses a name whose answers mix a public and a private address', async () => {
    const { server, options } = await trap();
    const resolver = async () => [
      { address: '93.184.216.34', family: 4 as const },
      { address: '10.0.0.7', family: 4 as const },
    ];
    await expect(guardedFetch('http://mixed.example.com/', { ...options, resolver })).rejects.toMatchObject({
      code: 'SSRF_BLOCKED',
    });
    expect(server.connections).toBe(0);
  });

  it('refuses after connecting when the socket lands on loopback although DNS said public', async () => {
    const { server, dialed, options } = await trap();
    const resolver = async () => [{ address: '93.184.216.34', family: 4 as const }];
    await expect(guardedFetch('http://rebind.example.com/', { ...options, resolver })).rejects.toMatchObject({
      code: 'SSRF_BLOCKED',
      details: { host: '127.0.0.1', range: 'loopback' },
    });
    expect(dialed).toEqual(['93.184.216.34']);
    expect(server.connections).toBe(1); // the TCP handshake happened …
    expect(server.requests).toHaveLength(0); // … but not one HTTP byte was sent
  });

  it('refuses loopback without an allow-list and serves it when 127.0.0.1:PORT is listed', async () => {
    const server = await serve((_request, response) => response.end('intranet'));
    await expect(guardedFetch(`${server.origin}/x`, { maxBytes: 100 })).rejects.toMatchObject({
      code: 'URL_PORT_NOT_ALLOWED',
    });
    await expect(
      guardedFetch(`${server.origin}/x`, { maxBytes: 100, allowedHosts: ['127.0.0.1'] }),
    ).rejects.toMatchObject({ code: 'URL_HOST_NOT_ALLOWED' });
    expect(server.connections).toBe(0);
    const body = await guardedFetch(`${server.origin}/x`, { maxBytes: 100, allowedHosts: [server.hostPort] });
    expect((await readAll(body.stream)).toString()).toBe('intranet');
  });

  it('refuses a redirect to an unlisted loopback port and never contacts it (§B8)', async () => {
    const target = await serve((_request, response) => response.end('secret'));
    const server = await serve((_request, response) =>
      response.writeHead(302, { location: `${target.origin}/admin` }).end(),
    );
    await expect(
      guardedFetch(`${server.origin}/`, { maxBytes: 100, allowedHosts: [server.hostPort] }),
    ).rejects.toMatchObject({
      code: 'REDIRECT_BLOCKED',
      details: { hop: 1, reason: 'URL_HOST_NOT_ALLOWED' },
    });
    expect(target.connections).toBe(0);
  });

  it.each([
    'http://[::ffff:127.0.0.1]:PORT/',
    'http://localhost:PORT/',
    'http://2130706433/',
    'http://169.254.169.254/latest/meta-data/',
    'file:///etc/passwd',
    'gopher://127.0.0.1:6379/_INFO',
  ])('refuses a redirect from a listed host to %s (§B8-9)', async (location) => {
    const server = await serve((_request, response, self) =>
      response.writeHead(301, { location: location.replace('PORT', String(self.port)) }).end(),
    );
    await expect(
      guardedFetch(`${server.origin}/`, { maxBytes: 100, allowedHosts: [server.hostPort] }),
    ).rejects.toMatchObject({ code: 'REDIRECT_BLOCKED', details: { hop: 1 } });
    expect(server.requests).toHaveLength(1);
  });

  it('follows 5 redirects and refuses the 6th (§B9)', async () => {
    const server = await serve((request, response) => {
      const left = Number(request.url?.slice(1));
      if (left > 0) response.writeHead(302, { location: `/${left - 1}` }).end();
      else response.end('arrived');
    });
    const options = { maxBytes: 100, allowedHosts: [server.hostPort] };
    const body = await guardedFetch(`${server.origin}/5`, options);
    expect((await readAll(body.stream)).toString()).toBe('arrived');
    const before = server.requests.length;
    await expect(guardedFetch(`${server.origin}/6`, options)).rejects.toMatchObject({
      code: 'REDIRECT_BLOCKED',
      details: { reason: 'TOO_MANY_REDIRECTS' },
    });
    expect(server.requests.length - before).toBe(6);
  });

  it.each([
    ['http://user:pass@example.com/', 'URL_CREDENTIALS_NOT_ALLOWED'],
    ['http://example.com:6379/', 'URL_PORT_NOT_ALLOWED'],
    ['ftp://example.com/file', 'URL_SCHEME_NOT_ALLOWED'],
    ['file:///etc/passwd', 'URL_SCHEME_NOT_ALLOWED'],
    ['data:text/plain;base64,aGk=', 'URL_SCHEME_NOT_ALLOWED'],
  ])('refuses %s with %s and shows no credentials (§B10)', async (url, code) => {
    const { server, options } = await trap();
    const error = await guardedFetch(url, options).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code });
    expect(
      JSON.stringify({ message: (error as Error).message, details: (error as { details: unknown }).details }),
    ).not.toContain('pass@');
    expect(server.connections).toBe(0);
  });

  it('ignores HTTP_PROXY from the environment (§B12)', async () => {
    const proxy = await serve((_request, response) => response.end('from proxy'));
    const server = await serve((_request, response) => response.end('direct'));
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy };
    process.env.HTTP_PROXY = proxy.origin;
    process.env.http_proxy = proxy.origin;
    try {
      const body = await guardedFetch(`${server.origin}/`, {
        maxBytes: 100,
        allowedHosts: [server.hostPort],
      });
      expect((await readAll(body.stream)).toString()).toBe('direct');
      expect(proxy.connections).toBe(0);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});

describe('checkRedirect', () => {
  const start = checkPublicUrl('https://files.example.com/a', []);

  it.each([
    ['https://127.0.0.1/', 'SSRF_BLOCKED'],
    ['https://[::ffff:a9fe:a9fe]/', 'SSRF_BLOCKED'],
    ['https://metadata.google.internal/', 'SSRF_BLOCKED'],
    ['https://10.0.0.1/', 'SSRF_BLOCKED'],
    ['http://files.example.com/b', 'REDIRECT_BLOCKED'], // https → http downgrade
    ['file:///etc/passwd', 'URL_SCHEME_NOT_ALLOWED'],
    ['https://x:y@files.example.com/', 'URL_CREDENTIALS_NOT_ALLOWED'],
  ])('refuses a hop to %s with %s', (location, code) => {
    expect(() => checkRedirect(start, location, 1, 5, [])).toThrow(expect.objectContaining({ code }));
  });

  it('resolves a relative location against the current URL', () => {
    expect(checkRedirect(start, '../b?x=1', 1, 5, []).url.href).toBe('https://files.example.com/b?x=1');
  });

  it('refuses the hop after the maximum', () => {
    expect(() => checkRedirect(start, '/b', 6, 5, [])).toThrow(
      expect.objectContaining({
        code: 'REDIRECT_BLOCKED',
        details: expect.objectContaining({ reason: 'TOO_MANY_REDIRECTS' }),
      }),
    );
  });
});
