// A throw-away HTTP server on 127.0.0.1:0 for the net tests: each test gives a handler, gets the base
// URL and the list of requests seen, and closes it (open sockets included) when done.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A running test server. */
export interface LocalServer {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  origin: string;
  port: number;
  /** `127.0.0.1:PORT`, the allow-list entry for this server. */
  hostPort: string;
  /** Method, URL and headers of every request received, in order. */
  requests: Array<{ method: string; url: string; headers: IncomingMessage['headers'] }>;
  /** Resolves once a client has opened a TCP connection (for "no connect" assertions read `connections`). */
  connections: number;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1:0 with `handler`. */
export async function startLocalServer(
  handler: (request: IncomingMessage, response: ServerResponse, server: LocalServer) => void,
): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer();
  const state: LocalServer = {
    origin: '',
    port: 0,
    hostPort: '',
    requests: [],
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (socket: Socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    state.requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    handler(request, response, state);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.port = port;
  state.origin = `http://127.0.0.1:${port}`;
  state.hostPort = `127.0.0.1:${port}`;
  return state;
}

/** Reads a whole stream into one Buffer. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
