import { afterEach, describe, expect, it } from 'vitest';
import { trustedFetch } from '../../../src/net/trusted-fetch.js';
import { type LocalServer, readAll, startLocalServer } from './local-server.js';

const servers: LocalServer[] = [];

async function serve(...args: Parameters<typeof startLocalServer>): Promise<LocalServer> {
  const server = await startLocalServer(...args);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('trustedFetch', () => {
  it('downloads a Dify file URL on a private address without an allow-list', async () => {
    const server = await serve((_request, response) => {
      response.setHeader('content-type', 'application/pdf');
      response.setHeader('content-disposition', `inline; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf`);
      response.end('%PDF-1.7 body');
    });
    const body = await trustedFetch(`${server.origin}/files/abc/file-preview?timestamp=1&nonce=2&sign=3`, {
      maxBytes: 1000,
    });
    expect(body).toMatchObject({
      status: 200,
      filename: '报告.pdf',
      contentType: 'application/pdf',
      size: 13,
    });
    expect((await readAll(body.stream)).toString()).toBe('%PDF-1.7 body');
    expect(server.requests[0]?.headers['accept-encoding']).toBe('identity');
  });

  it('fails with FILE_URL_RELATIVE naming FILES_URL for a relative URL', async () => {
    await expect(trustedFetch('/files/abc/file-preview?sign=x', { maxBytes: 10 })).rejects.toMatchObject({
      code: 'FILE_URL_RELATIVE',
      message: expect.stringContaining('FILES_URL'),
    });
  });

  it('refuses a non-http scheme', async () => {
    await expect(trustedFetch('file:///etc/passwd', { maxBytes: 10 })).rejects.toMatchObject({
      code: 'URL_SCHEME_NOT_ALLOWED',
    });
  });

  it('does not follow a redirect (REDIRECT_BLOCKED) and never requests its target', async () => {
    const target = await serve((_request, response) => response.end('secret'));
    const server = await serve((_request, response) =>
      response.writeHead(302, { location: `${target.origin}/db` }).end(),
    );
    await expect(trustedFetch(`${server.origin}/files/1`, { maxBytes: 100 })).rejects.toMatchObject({
      code: 'REDIRECT_BLOCKED',
      details: { status: 302 },
    });
    expect(target.requests).toHaveLength(0);
  });

  it('reports an expired signed URL (403) as a non-retryable DOWNLOAD_FAILED', async () => {
    const server = await serve((_request, response) => response.writeHead(403).end('expired'));
    await expect(trustedFetch(`${server.origin}/files/1`, { maxBytes: 100 })).rejects.toMatchObject({
      code: 'DOWNLOAD_FAILED',
      retryable: false,
      details: { status: 403 },
    });
  });

  it('stops a chunked body at the byte limit with FILE_TOO_LARGE', async () => {
    const server = await serve((_request, response) => {
      response.write(Buffer.alloc(6000, 1));
      response.end(Buffer.alloc(6000, 2));
    });
    // The limit may trip while the head is sniffed or later while streaming: both must refuse.
    const download = trustedFetch(`${server.origin}/files/1`, { maxBytes: 10_000 }).then((body) =>
      readAll(body.stream),
    );
    await expect(download).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
  });

  it('refuses a compressed body with CONTENT_ENCODING_NOT_ALLOWED', async () => {
    const server = await serve((_request, response) => {
      response.setHeader('content-encoding', 'gzip');
      response.end(Buffer.from('1f8b0800000000000003', 'hex'));
    });
    await expect(trustedFetch(`${server.origin}/files/1`, { maxBytes: 100 })).rejects.toMatchObject({
      code: 'CONTENT_ENCODING_NOT_ALLOWED',
    });
  });
});
