// The stdio face: MCP over stdin/stdout for desktop clients (Claude Desktop, Cursor). stdout carries
// only JSON-RPC; logs go to stderr through the caller's logger. Streams are injected for tests.
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Settings } from '../config/settings.js';
import type { AnyToolDeclaration } from '../tools/registry.js';
import type { Logger } from '../tools/tool-declaration.js';
import { createMcpServer } from './server.js';

/** Options of {@link startStdioServer}. */
export interface McpStdioOptions {
  settings: Settings;
  tools?: readonly AnyToolDeclaration[];
  /** Default process.stdin. */
  stdin?: Readable;
  /** Default process.stdout. */
  stdout?: Writable;
  logger?: Logger;
}

/** A running stdio server; `closed` settles when the input ends or {@link close} is called. */
export interface McpStdioServer {
  closed: Promise<void>;
  close(): Promise<void>;
}

/** Serves the tools over stdio (local `path` file inputs allowed, under settings.local_path_root only). */
export async function startStdioServer(options: McpStdioOptions): Promise<McpStdioServer> {
  const server = createMcpServer({
    settings: options.settings,
    transport: 'stdio',
    ...(options.tools ? { tools: options.tools } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const stdin = options.stdin ?? process.stdin;
  const transport = new StdioServerTransport(stdin, options.stdout ?? process.stdout);
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  transport.onclose = () => markClosed();
  // The SDK transport does not watch for the end of its input; a client closing the pipe ends us.
  const onEnd = (): void => {
    void server.close();
  };
  stdin.once('end', onEnd);
  await server.connect(transport);
  return {
    closed,
    close: async () => {
      stdin.off('end', onEnd);
      await server.close();
      markClosed();
    },
  };
}
