import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSettings } from '../../../src/config/settings.js';
import { type McpHttpServer, pageCookieValue, startMcpHttpServer } from '../../../src/mcp/http.js';
import { createFakeToolkit, type FakeToolkit } from './fake-tools.js';

const TOKEN = 'test-token-0123456789';
const servers: McpHttpServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function start(kit: FakeToolkit, extra: { maxBodyBytes?: number; maxUploadBytes?: number } = {}) {
  const server = await startMcpHttpServer({
    settings: parseSettings({ bucket: 'fake' }),
    token: TOKEN,
    port: 0,
    tools: kit.tools,
    browser: {
      endpoint: 'http://127.0.0.1:1',
      bucket: 'fake',
      list: async () =>
        [...kit.bucket].map(([key, object]) => ({
          key,
          size: object.bytes.length,
          contentType: object.contentType,
          lastModified: object.lastModified,
        })),
    },
    ...extra,
  });
  servers.push(server);
  return server;
}

/** A raw request, so tests can send any Host header (fetch does not let us). */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('startMcpHttpServer', () => {
  it('answers 401 without a token and with a wrong one, before any tool runs', async () => {
    const server = await start(createFakeToolkit());
    const missing = await raw(server.mcpUrl, { method: 'POST', headers: MCP_HEADERS, body: INITIALIZE });
    const wrong = await raw(server.mcpUrl, {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}x` },
      body: INITIALIZE,
    });
    expect([missing.status, wrong.status]).toEqual([401, 401]);
  });

  it('answers 403 to a foreign Host or Origin even with the right token', async () => {
    const server = await start(createFakeToolkit());
    const headers = { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}` };
    const host = await raw(server.mcpUrl, {
      method: 'POST',
      headers: { ...headers, host: `evil.example:${server.port}` },
      body: INITIALIZE,
    });
    const origin = await raw(server.mcpUrl, {
      method: 'POST',
      headers: { ...headers, origin: 'http://evil.example' },
      body: INITIALIZE,
    });
    const page = await raw(`${server.url}/`, { headers: { host: 'attacker.test' } });
    expect([host.status, origin.status, page.status]).toEqual([403, 403, 403]);
    const ok = await raw(server.mcpUrl, {
      method: 'POST',
      headers: { ...headers, origin: server.url },
      body: INITIALIZE,
    });
    expect(ok.status).toBe(200);
  });

  it('answers 405 to GET and DELETE, since a stateless server keeps no stream or session', async () => {
    const server = await start(createFakeToolkit());
    const headers = { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' };
    const get = await raw(server.mcpUrl, { headers });
    const del = await raw(server.mcpUrl, { method: 'DELETE', headers });
    expect([get.status, del.status]).toEqual([405, 405]);
    expect(get.headers.allow).toBe('POST');
  });

  it('answers 413 to a body over the cap', async () => {
    const server = await start(createFakeToolkit(), { maxBodyBytes: 1024 });
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(4096) } });
    const res = await raw(server.mcpUrl, {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}` },
      body: big,
    });
    expect(res.status).toBe(413);
  });

  it('serves the MCP SDK client statelessly and refuses local paths over HTTP', async () => {
    const kit = createFakeToolkit();
    const server = await start(kit);
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server.mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
      }),
    );
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['upload_file', 'get_file_by_url']);
    const uploaded = await client.callTool({
      name: 'upload_file',
      arguments: {
        file: { content_base64: Buffer.from('over http').toString('base64'), filename: 'h.txt' },
        directory: 'x',
      },
    });
    expect(uploaded.structuredContent).toMatchObject({ object_key: 'x/h.txt' });
    const path = await client.callTool({
      name: 'upload_file',
      arguments: { file: { path: '/etc/hostname' }, directory: 'x' },
    });
    expect(path.isError).toBe(true);
    await client.close();
  });

  it('trades ?token= for an HttpOnly SameSite=Strict cookie that opens the page but not /mcp', async () => {
    const server = await start(createFakeToolkit());
    const login = await raw(`${server.url}/?token=${TOKEN}`);
    expect(login.status).toBe(303);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly; SameSite=Strict/);
    expect(cookie).not.toContain(TOKEN);
    const cookieHeader = cookie.split(';')[0]!;
    const page = await raw(`${server.url}/`, { headers: { cookie: cookieHeader } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-tool="upload_file"');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    const mcp = await raw(server.mcpUrl, {
      method: 'POST',
      headers: { ...MCP_HEADERS, cookie: cookieHeader },
      body: INITIALIZE,
    });
    expect(mcp.status).toBe(401);
    expect((await raw(`${server.url}/`)).status).toBe(401);
    expect((await raw(`${server.url}/?token=nope`)).status).toBe(401);
  });

  it('uploads a form file through upload_file and downloads it byte-exact', async () => {
    const kit = createFakeToolkit();
    const server = await start(kit);
    const cookie = `oss_dify_token=${pageCookieValue(TOKEN)}`;
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
    const form = new FormData();
    form.set('file', new Blob([bytes]), 'data 1.bin');
    form.set('directory', 'page');
    const posted = await new Response(form);
    const body = Buffer.from(await posted.arrayBuffer());
    const res = await raw(`${server.url}/upload`, {
      method: 'POST',
      headers: { cookie, 'content-type': posted.headers.get('content-type')!, origin: server.url },
      body,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/?uploaded=page%2Fdata%201.bin');
    expect(kit.bucket.get('page/data 1.bin')?.bytes.equals(bytes)).toBe(true);
    const page = await raw(`${server.url}/`, { headers: { cookie } });
    expect(page.body).toContain('href="/objects/page/data%201.bin"');
    const download = await new Promise<{ status: number; body: Buffer; disposition: string }>(
      (resolve, reject) => {
        request(`${server.url}/objects/page/data%201.bin`, { headers: { cookie } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks),
              disposition: String(response.headers['content-disposition']),
            }),
          );
        })
          .on('error', reject)
          .end();
      },
    );
    expect(download.status).toBe(200);
    expect(download.body.equals(bytes)).toBe(true);
    expect(download.disposition).toMatch(/^attachment/);
  });

  it('refuses an upload over the limit with 413 and stores nothing', async () => {
    const kit = createFakeToolkit();
    const server = await start(kit, { maxUploadBytes: 1000 });
    const form = new FormData();
    form.set('file', new Blob([Buffer.alloc(200_000)]), 'big.bin');
    form.set('directory', 'page');
    const posted = new Response(form);
    const res = await raw(`${server.url}/upload`, {
      method: 'POST',
      headers: {
        cookie: `oss_dify_token=${pageCookieValue(TOKEN)}`,
        'content-type': posted.headers.get('content-type')!,
      },
      body: Buffer.from(await posted.arrayBuffer()),
    });
    expect(res.status).toBe(413);
    expect(res.body).toContain('FILE_TOO_LARGE');
    expect(kit.bucket.size).toBe(0);
  });
});
