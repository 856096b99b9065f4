// A TCP listener that plays the daemon's remote-debug port, written from dify-protocol.md §2.3: it checks
// the registration (handshake within 10 s with the right key, manifest before tools, non-empty assets,
// referenced icon uploaded, nothing else before `end`) and refuses with the daemon's plain-text lines.
import { createServer, type Server, type Socket } from 'node:net';
import { DaemonDriver, type Json } from './driver.js';

/** One registration message as received. */
export interface RegistrationMessage {
  type: string;
  data: Json;
  atMs: number;
}

/** One plugin connection; `driver` serves requests once registration ended. */
export interface DebugConnection {
  socket: Socket;
  registration: RegistrationMessage[];
  /** Assets by filename, as reassembled from base64 chunks. */
  assets: Map<string, Buffer>;
  /** Resolves with the driver after a valid `end`; rejects with the refusal text otherwise. */
  registered: Promise<DaemonDriver>;
  /** Resolves when the plugin's socket closed. */
  closed: Promise<void>;
}

/** Options of {@link startDaemonListener}. */
export interface DaemonListenerOptions {
  key: string;
  /** Handshake deadline (the daemon's is 10 s). */
  handshakeTimeoutMs?: number;
}

/** A listening fake daemon. */
export interface DaemonListener {
  port: number;
  connections: DebugConnection[];
  /** The n-th connection (0-based), once it arrives. */
  connection(index: number): Promise<DebugConnection>;
  close(): Promise<void>;
}

/** Starts the fake daemon on 127.0.0.1, port 0. */
export async function startDaemonListener(options: DaemonListenerOptions): Promise<DaemonListener> {
  const connections: DebugConnection[] = [];
  const waiting: Array<{ index: number; resolve: (c: DebugConnection) => void }> = [];
  const server: Server = createServer((socket) => {
    const connection = accept(socket, options);
    connections.push(connection);
    for (const w of waiting.filter((w) => w.index === connections.length - 1)) w.resolve(connection);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    connections,
    connection: (index) =>
      connections[index]
        ? Promise.resolve(connections[index])
        : new Promise((resolve) => waiting.push({ index, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function accept(socket: Socket, options: DaemonListenerOptions): DebugConnection {
  const started = Date.now();
  const registration: RegistrationMessage[] = [];
  const assets = new Map<string, Buffer>();
  let driver: DaemonDriver | null = null;
  let settle: { resolve: (d: DaemonDriver) => void; reject: (e: Error) => void } = {
    resolve: () => undefined,
    reject: () => undefined,
  };
  const registered = new Promise<DaemonDriver>((resolve, reject) => {
    settle = { resolve, reject };
  });
  registered.catch(() => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);

  const refuse = (text: string): void => {
    socket.end(`${text}\n`);
    settle.reject(new Error(text));
  };
  const deadline = setTimeout(
    () => refuse('handshake failed, timeout'),
    options.handshakeTimeoutMs ?? 10_000,
  );
  socket.once('close', () => {
    clearTimeout(deadline);
    settle.reject(new Error('connection closed before end'));
  });

  const onRegistrationLine = (text: string): void => {
    let message: Json;
    try {
      message = JSON.parse(text);
    } catch {
      refuse('handshake failed, invalid handshake message');
      return;
    }
    if (typeof message?.type !== 'string' || message.data === undefined || message.data === null) {
      refuse('handshake failed, invalid handshake message');
      return;
    }
    registration.push({ type: message.type, data: message.data, atMs: Date.now() - started });
    const types = registration.map((r) => r.type);
    if (registration.length === 1) {
      clearTimeout(deadline);
      if (message.type !== 'handshake' || message.data.key !== options.key) {
        refuse('handshake failed, invalid key');
        return;
      }
      return;
    }
    switch (message.type) {
      case 'manifest_declaration':
        return;
      case 'tool_declaration':
        // The daemon overwrites its config with the manifest: tools sent first would be lost.
        if (!types.slice(0, -1).includes('manifest_declaration')) {
          refuse('tool declaration before manifest');
          return;
        }
        if (!Array.isArray(message.data) || message.data.length < 1) {
          refuse('invalid tool declaration');
          return;
        }
        return;
      case 'asset_chunk': {
        const { filename, data } = message.data;
        if (typeof filename !== 'string' || typeof data !== 'string' || data === '') {
          refuse('invalid asset chunk');
          return;
        }
        assets.set(
          filename,
          Buffer.concat([assets.get(filename) ?? Buffer.alloc(0), Buffer.from(data, 'base64')]),
        );
        return;
      }
      case 'end': {
        const manifest = registration.find((r) => r.type === 'manifest_declaration')?.data;
        const tools = registration.find((r) => r.type === 'tool_declaration')?.data;
        if (!manifest || !tools) {
          refuse('no declaration registered');
          return;
        }
        const icons = [manifest.icon, tools[0]?.identity?.icon].filter((i) => typeof i === 'string');
        const missing = icons.find((icon) => !assets.has(icon));
        if (missing) {
          refuse(`assets remap failed, file not found: ${missing}`);
          return;
        }
        driver = new DaemonDriver((line) => socket.write(line));
        settle.resolve(driver);
        return;
      }
      default: {
        refuse('handshake failed, invalid handshake message');
        return;
      }
    }
  };

  let rest = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    let data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let at = data.indexOf(0x0a);
    while (at !== -1) {
      const line = data.subarray(0, at);
      data = data.subarray(at + 1);
      at = data.indexOf(0x0a);
      if (driver) driver.feed(line);
      else if (line.toString('utf8').trim() !== '') onRegistrationLine(line.toString('utf8'));
    }
    rest = Buffer.from(data);
  });
  return { socket, registration, assets, registered, closed };
}
