// `oss-dify serve` and `oss-dify mcp`: thin commands over runServe (src/cli/serve.ts) and runMcpStdio
// (src/cli/mcp-command.ts), imported lazily so the other commands start without the MCP SDK.
import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import type { EmulatorLoader } from './connection.js';
import { parsePort } from './emulator-command.js';
import type { McpCommandOptions } from './mcp-command.js';
import type { ServeOptions } from './serve.js';

/** Default port of the MCP HTTP endpoint. */
export const DEFAULT_SERVE_PORT = 8787;

/** Flags of `serve` as commander parses them. */
export interface ServeFlags {
  host: string;
  port: number;
  token?: string;
  remote?: string;
  key?: string;
  allowHost?: string[];
}

/** Loaders of the two server modules and the stdin `mcp` reads; tests replace them. */
export interface ServeDeps {
  loadServe?: () => Promise<{ runServe(options: ServeOptions): Promise<void> }>;
  loadMcp?: () => Promise<{ runMcpStdio(options: McpCommandOptions): Promise<void> }>;
  loadEmulator?: EmulatorLoader;
  stdin?: NodeJS.ReadableStream;
}

/** Adds `serve [--host] [--port] [--token] [--remote HOST:PORT --key KEY] [--allow-host H...]` and `mcp`. */
export function addServeCommands(program: Command, io: CliIo, deps: ServeDeps = {}): void {
  const loadServe = deps.loadServe ?? (() => import('./serve.js'));
  const loadMcp = deps.loadMcp ?? (() => import('./mcp-command.js'));
  program
    .command('serve')
    .description('serve the tools over MCP (Streamable HTTP at /mcp) and, when asked, to a Dify daemon')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 = any free port)', parsePort, DEFAULT_SERVE_PORT)
    .option(
      '--token <token>',
      'bearer token clients must send (default: OSS_DIFY_MCP_TOKEN or a generated one)',
    )
    .option('--remote <host:port>', "connect to a Dify daemon's remote-debug port")
    .option('--key <key>', 'the remote-debug key Dify shows for the plugin')
    .option(
      '--allow-host <host...>',
      'extra Host names clients may use, e.g. host.docker.internal (default: OSS_DIFY_MCP_ALLOWED_HOSTS)',
    )
    .action(async ({ allowHost, ...flags }: ServeFlags) => {
      const { runServe } = await loadServe();
      const hosts = allowHost?.flatMap((entry) => entry.split(',')).filter((entry) => entry.trim() !== '');
      await runServe({ ...flags, ...io, ...(hosts ? { allowedHosts: hosts } : {}) });
    });
  program
    .command('mcp')
    .description('serve the tools to a desktop MCP client over stdio')
    .action(async () => {
      const { runMcpStdio } = await loadMcp();
      await runMcpStdio({
        ...io,
        stdin: deps.stdin ?? process.stdin,
        ...(deps.loadEmulator ? { loadEmulator: deps.loadEmulator } : {}),
      });
    });
}
