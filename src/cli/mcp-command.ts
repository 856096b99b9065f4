// `oss-dify mcp`: the tools over stdio for desktop MCP clients. stdout carries only JSON-RPC; the
// embedded-emulator notice and the logs go to stderr.
import type { Readable, Writable } from 'node:stream';
import { createLogger } from '../config/logger.js';
import { startStdioServer } from '../mcp/stdio.js';
import type { AnyToolDeclaration } from '../tools/registry.js';
import type { CliIo } from './cli-io.js';
import { type EmulatorLoader, loadEmulator, resolveConnection } from './connection.js';

/** Options of {@link runMcpStdio}. */
export interface McpCommandOptions extends CliIo {
  stdin: NodeJS.ReadableStream;
  /** Tools to serve (tests). Default: the registry. */
  tools?: readonly AnyToolDeclaration[];
  /** Emulator loader (tests). */
  loadEmulator?: EmulatorLoader;
}

/**
 * Serves MCP over stdin/stdout until the client closes stdin or `signal` aborts. With no OSS
 * credentials the tools use the embedded emulator (data in ./.oss-data), as `oss-dify tool` does.
 * @throws AppError CONFIG_INVALID / CONFIG_MISSING_CREDENTIALS for bad settings.
 */
export async function runMcpStdio(options: McpCommandOptions): Promise<void> {
  const connection = await resolveConnection(options, options.loadEmulator ?? loadEmulator);
  try {
    const server = await startStdioServer({
      settings: connection.settings,
      stdin: options.stdin as Readable,
      stdout: options.stdout as Writable,
      logger: createLogger({ name: 'mcp', sink: options.stderr }),
      ...(options.tools ? { tools: options.tools } : {}),
    });
    const aborted = new Promise<void>((resolve) => {
      if (options.signal?.aborted) resolve();
      options.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    await Promise.race([server.closed, aborted]);
    await server.close();
  } finally {
    await connection.close();
  }
}
