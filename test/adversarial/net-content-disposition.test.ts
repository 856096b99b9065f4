// security-reliability.md §B 21-23: hostile Content-Disposition headers served by a real server and
// read through the guarded fetcher; the name that comes out must be a plain, safe file name.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { guardedFetch } from '../../src/net/guarded-fetch.js';
import { readAll } from '../unit/net/local-server.js';

const open: Array<{ server: Server; sockets: Set<Socket> }> = [];
afterEach(() => {
  for (const { server, sockets } of open.splice(0)) {
    for (const socket of sockets) socket.destroy();
    server.close();
  }
});

/** Serves one raw header block (written byte for byte, unlike node:http) and a 2-byte body. */
async function serveHeader(headerLine: Buffer | string): Promise<{ origin: string; hostPort: string }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n');
      socket.write(headerLine);
      socket.end('\r\n\r\nok');
    });
  });
  open.push({ server, sockets });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { origin: `http://127.0.0.1:${port}`, hostPort: `127.0.0.1:${port}` };
}

async function filenameFor(headerLine: Buffer | string, path = '/dl'): Promise<string> {
  const server = await serveHeader(headerLine);
  const body = await guardedFetch(`${server.origin}${path}`, {
    maxBytes: 100,
    allowedHosts: [server.hostPort],
  });
  expect((await readAll(body.stream)).toString()).toBe('ok');
  return body.filename;
}

const SAFE_NAME = /^[^/\\\p{Cc}\p{Cf}<>:"|?*]+$/u;

describe('guardedFetch with hostile Content-Disposition (§B21-23)', () => {
  it.each([
    ['content-disposition: attachment; filename="../../etc/passwd"', 'passwd'],
    ['content-disposition: attachment; filename="..\\\\..\\\\x.pdf"', 'x.pdf'],
    [
      `content-disposition: attachment; filename*=UTF-8''..%2F..%2Froot%2F.ssh%2Fauthorized_keys`,
      'authorized_keys',
    ],
    [
      `content-disposition: attachment; filename*=UTF-8''evil%0D%0ASet-Cookie%3A%20a%3Db.txt`,
      'evilSet-Cookie a=b.txt',
    ],
    [`content-disposition: attachment; filename*=UTF-8''nul%00byte.txt`, 'nulbyte.txt'],
    [`content-disposition: attachment; filename*=UTF-8''%E2%80%AEgnp.exe`, 'gnp.exe'],
    [
      `content-disposition: attachment; filename*=UTF-8''%E4%B8%AD%E6%96%87%E6%8A%A5%E5%91%8A.pdf`,
      '中文报告.pdf',
    ],
    [`content-disposition: attachment; filename="plain.pdf"; filename*=UTF-8''%E6%96%B0.pdf`, '新.pdf'],
    [`content-disposition: attachment; filename*=UTF-8''%E6%96%B0.pdf; filename="plain.pdf"`, '新.pdf'],
    [
      `content-disposition: attachment; filename*=UTF-8''%ZZbroken.pdf; filename="fallback.pdf"`,
      'fallback.pdf',
    ],
    ['content-disposition: attachment; filename=".."', 'dl'],
  ])('turns %j into %j', async (header, expected) => {
    const name = await filenameFor(header);
    expect(name).toBe(expected);
    expect(name).toMatch(SAFE_NAME);
  });

  it('caps a 3,000-character CJK name (9 KB) at 255 bytes keeping .pdf (§B23)', async () => {
    const name = await filenameFor(`content-disposition: attachment; filename="${'長'.repeat(3000)}.pdf"`);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(name.endsWith('.pdf')).toBe(true);
  });

  it('reads a raw UTF-8 quoted name as a latin-1 header and still yields a safe name', async () => {
    const header = Buffer.concat([
      Buffer.from('content-disposition: attachment; filename="'),
      Buffer.from('报告.txt'),
      Buffer.from('"'),
    ]);
    const name = await filenameFor(header);
    expect(name.endsWith('.txt')).toBe(true);
    expect(name).toMatch(SAFE_NAME);
  });

  it("refuses a header block past undici's 16 KiB cap instead of buffering it", async () => {
    const server = await serveHeader(
      `content-disposition: attachment; filename="${'a'.repeat(100_000)}.pdf"`,
    );
    await expect(
      guardedFetch(`${server.origin}/dl`, { maxBytes: 100, allowedHosts: [server.hostPort] }),
    ).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED', details: { reason: 'UND_ERR_HEADERS_OVERFLOW' } });
  });

  it('falls back to the URL path when the header gives nothing usable', async () => {
    expect(await filenameFor('content-disposition: attachment', '/files/%E6%95%B0%E6%8D%AE.csv')).toBe(
      '数据.csv',
    );
  });
});
