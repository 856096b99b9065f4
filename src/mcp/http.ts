// The HTTP face: MCP over Streamable HTTP at /mcp (stateless: a fresh server and transport per request)
// and the page at /. Every request passes the Host/Origin checks; /mcp needs the bearer token, the page
// accepts it once as ?token= and then a derived HttpOnly SameSite=Strict cookie.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Settings } from '../config/settings.js';
import { AppError } from '../errors.js';
import { type AnyToolDeclaration, TOOL_REGISTRY } from '../tools/registry.js';
import type { Logger } from '../tools/tool-declaration.js';
import {
  allowedHostsFor,
  cookieValue,
  hostAllowed,
  originAllowed,
  TOKEN_COOKIE,
  tokenMatches,
} from './http-guard.js';
import { renderLoginPage } from './login-page.js';
import { handleUpload, type ObjectBrowser, type PageContext, serveObject, servePage } from './page-routes.js';
import { createMcpServer } from './server.js';

/** Default port of `oss-dify serve`. */
export const DEFAULT_HTTP_PORT = 8787;
/** Default cap of a JSON-RPC request body (base64 file content travels inside it). */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
/** Default cap of a file sent through the page's upload form. */
export const DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/** Options of {@link startMcpHttpServer}. */
export interface McpHttpOptions {
  settings: Settings;
  /** Bearer token every /mcp request must carry. */
  token: string;
  /** Interface to bind. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Port; 0 picks a free one. Default {@link DEFAULT_HTTP_PORT}. */
  port?: number;
  /** Extra Host names (host or host:port) clients use to reach the server, e.g. host.docker.internal. */
  allowedHosts?: readonly string[];
  tools?: readonly AnyToolDeclaration[];
  /** Cap of a /mcp request body in bytes. Default {@link DEFAULT_MAX_BODY_BYTES}. */
  maxBodyBytes?: number;
  /** Cap of an uploaded file in bytes. Default {@link DEFAULT_MAX_UPLOAD_BYTES}. */
  maxUploadBytes?: number;
  /** The embedded emulator's bucket, listed on the page. */
  browser?: ObjectBrowser;
  logger?: Logger;
}

/** A running HTTP server. */
export interface McpHttpServer {
  /** Base URL, e.g. http://127.0.0.1:8787 */
  url: string;
  /** The MCP endpoint, `${url}/mcp`. */
  mcpUrl: string;
  port: number;
  close(): Promise<void>;
}

const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  // Not no-referrer: under it Chromium sends `Origin: null` on form posts, which the Origin check refuses.
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
};

/** The page cookie's value: derived from the token, so the cookie alone cannot call /mcp. */
export function pageCookieValue(token: string): string {
  return createHmac('sha256', token).update('oss-dify page session').digest('base64url');
}

function plain(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(`${text}\n`);
}

function bearer(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
}

async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) throw new AppError('FILE_TOO_LARGE', `The request body exceeds ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) throw new AppError('FILE_TOO_LARGE', `The request body exceeds ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks, total).toString('utf8'));
  } catch {
    throw new AppError('INVALID_ARGUMENT', 'The request body is not valid JSON');
  }
}

function jsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/**
 * Starts the HTTP server (MCP at /mcp, page at /). Refuses with 403 a foreign Host or Origin (DNS
 * rebinding), 401 a missing or wrong token, 413 a body over the cap.
 * @throws AppError INVALID_ARGUMENT when the token is empty.
 */
export async function startMcpHttpServer(options: McpHttpOptions): Promise<McpHttpServer> {
  if (options.token.length === 0) throw new AppError('INVALID_ARGUMENT', 'The MCP token must not be empty');
  const host = options.host ?? '127.0.0.1';
  const tools = options.tools ?? TOOL_REGISTRY;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const { settings, logger, token } = options;
  const cookie = pageCookieValue(token);
  const state: { port: number; allowed: ReturnType<typeof allowedHostsFor>; page?: PageContext } = {
    port: 0,
    allowed: undefined,
  };

  const handleMcp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!tokenMatches(bearer(req), token)) {
      jsonRpcError(res, 401, -32001, 'Missing or wrong bearer token');
      return;
    }
    if (req.method !== 'POST') {
      // Stateless: no standalone SSE stream (GET) and no session to delete; the spec lets a server
      // answer 405 here, and the SDK client then simply works without the GET stream.
      res.setHeader('allow', 'POST');
      jsonRpcError(res, 405, -32000, 'Method not allowed: this server is stateless; use POST');
      return;
    }
    let body: unknown;
    try {
      body = await readJsonBody(req, maxBodyBytes);
    } catch (error) {
      const tooLarge = (error as AppError).code === 'FILE_TOO_LARGE';
      jsonRpcError(res, tooLarge ? 413 : 400, tooLarge ? -32600 : -32700, (error as Error).message);
      if (tooLarge) req.resume();
      return;
    }
    const server = createMcpServer({ settings, tools, transport: 'http', ...(logger ? { logger } : {}) });
    // No sessionIdGenerator: the SDK's stateless mode (no Mcp-Session-Id), what Dify's 2025-era client expects.
    const transport = new StreamableHTTPServerTransport({});
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const pageAuthorized = (req: IncomingMessage): boolean =>
    tokenMatches(bearer(req), token) || tokenMatches(cookieValue(req.headers.cookie, TOKEN_COOKIE), cookie);

  const handlePage = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
    const page = state.page!;
    const given = url.searchParams.get('token');
    if (url.pathname === '/' && given !== null) {
      if (!tokenMatches(given, token)) {
        res.writeHead(401, { 'content-type': 'text/html; charset=utf-8' });
        res.end(renderLoginPage('That token is not right.'));
        return;
      }
      // Trade the token in the URL for a cookie, and drop it from the address bar and history.
      res.writeHead(303, {
        location: '/',
        'set-cookie': `${TOKEN_COOKIE}=${cookie}; HttpOnly; SameSite=Strict; Path=/`,
      });
      res.end();
      return;
    }
    if (!pageAuthorized(req)) {
      res.writeHead(401, { 'content-type': 'text/html; charset=utf-8', 'www-authenticate': 'Bearer' });
      res.end(renderLoginPage());
      return;
    }
    if (req.method === 'GET' && url.pathname === '/') return servePage(page, url, res);
    if (req.method === 'GET' && url.pathname.startsWith('/objects/')) {
      const key = url.pathname.slice('/objects/'.length).split('/').map(decodeURIComponent).join('/');
      return serveObject(page, key, res);
    }
    if (req.method === 'POST' && url.pathname === '/upload') return handleUpload(page, req, res);
    plain(res, 404, 'Not found');
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!hostAllowed(req.headers.host, state.allowed, state.port)) {
      logger?.warn('refused a foreign Host header', { path: url.pathname });
      plain(res, 403, 'Forbidden: this Host is not allowed');
      return;
    }
    if (!originAllowed(req.headers.origin, state.allowed)) {
      logger?.warn('refused a foreign Origin header', { path: url.pathname });
      plain(res, 403, 'Forbidden: this Origin is not allowed');
      return;
    }
    const work =
      url.pathname === '/mcp'
        ? handleMcp(req, res)
        : url.pathname === '/healthz'
          ? Promise.resolve(plain(res, 200, 'ok'))
          : handlePage(req, res, url);
    work.catch((error: unknown) => {
      logger?.error('http request failed', { path: url.pathname, error });
      if (!res.headersSent) plain(res, 500, 'Internal error');
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_HTTP_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const base = `http://${urlHost}:${port}`;
  state.port = port;
  state.allowed = allowedHostsFor(host, port, options.allowedHosts ?? []);
  state.page = {
    settings,
    tools,
    mcpUrl: `${base}/mcp`,
    browser: options.browser,
    logger,
    maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
  };
  return {
    url: base,
    mcpUrl: `${base}/mcp`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
