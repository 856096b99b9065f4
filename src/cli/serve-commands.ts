// `oss-dify serve` and `oss-dify mcp`: thin commands over the MCP engineer's runServe / runMcpStdio
// (src/cli/serve.ts, src/cli/mcp-command.ts), imported lazily so other commands start fast. Until
// serve.ts exists, `serve` runs the emulator so `npm start` already does something useful.
import type { Command } from 'commander';
import { AppError } from '../errors.js';
import type { CliIo } from './cli-io.js';
import { EMBEDDED_REGION, type EmulatorLoader, loadEmulator } from './connection.js';
import { emulatorOptionsFrom, parsePort, runEmulator } from './emulator-command.js';
import { importIfPresent, type ModuleLoader } from './optional-import.js';

/** Default port of the MCP HTTP endpoint. */
export const DEFAULT_SERVE_PORT = 8787;

/** Flags of `serve` as commander parses them. */
export interface ServeFlags {
  host: string;
  port: number;
  token?: string;
  remote?: string;
  key?: string;
}

/** What `serve` hands to runServe: its flags plus the injected process surface. */
export type ServeOptions = ServeFlags & CliIo;

/** What `mcp` hands to runMcpStdio. */
export type McpStdioOptions = CliIo & { stdin: NodeJS.ReadableStream };

/** Loaders of the two server modules; tests replace them. */
export interface ServeDeps {
  loadServe?: ModuleLoader<{ runServe(options: ServeOptions): Promise<void> }>;
  loadMcp?: ModuleLoader<{ runMcpStdio(options: McpStdioOptions): Promise<void> }>;
  loadEmulator?: EmulatorLoader;
  stdin?: NodeJS.ReadableStream;
}

// The specifiers live in variables while the modules are being written, so type-checking this file
// does not depend on them; the loaders state the contract instead.
const SERVE_MODULE = './serve.js';
const MCP_MODULE = './mcp-command.js';

/**
 * Adds `serve [--host] [--port] [--token] [--remote HOST:PORT --key KEY]` and `mcp`.
 * @throws AppError INTERNAL from `mcp` while src/cli/mcp-command.ts is not installed.
 */
export function addServeCommands(program: Command, io: CliIo, deps: ServeDeps = {}): void {
  const loadServe = deps.loadServe ?? (() => importIfPresent(SERVE_MODULE));
  const loadMcp = deps.loadMcp ?? (() => importIfPresent(MCP_MODULE));
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
    .action(async (flags: ServeFlags) => {
      const module = await loadServe();
      if (module) return module.runServe({ ...flags, ...io });
      io.stderr.write('The MCP server is not installed yet: starting the local OSS emulator instead.\n');
      const options = emulatorOptionsFrom(
        { host: flags.host, port: flags.port, region: EMBEDDED_REGION },
        io.cwd,
      );
      return runEmulator(options, io, deps.loadEmulator ?? loadEmulator);
    });
  program
    .command('mcp')
    .description('serve the tools to a desktop MCP client over stdio')
    .action(async () => {
      const module = await loadMcp();
      if (!module) throw new AppError('INTERNAL', 'The MCP stdio server is not installed in this build');
      return module.runMcpStdio({ ...io, stdin: deps.stdin ?? process.stdin });
    });
}
