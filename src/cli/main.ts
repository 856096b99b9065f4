// The `oss-dify` command: builds the commander program over injected I/O (so tests run it in-process),
// renders failures as one `error CODE: message` line with an exit status, and wires the real process
// only when this file is the main module (bin/oss-dify.js calls `main()` itself).
// First, before any module compiles WebAssembly (see config/wasm-tiering.ts).
import '../config/wasm-tiering.js';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { redact } from '../config/redact.js';
import { type AppError, toAppError } from '../errors.js';
import { type AnyToolDeclaration, TOOL_REGISTRY } from '../tools/registry.js';
import { type CliIo, EXIT_CODES } from './cli-io.js';
import type { EmulatorLoader } from './connection.js';
import { addEmulatorCommand } from './emulator-command.js';
import { addPackageCommand, type PackageLoader } from './package-command.js';
import { addServeCommands, type ServeDeps } from './serve-commands.js';
import { addToolCommand } from './tool-command.js';
import { addToolsCommand } from './tools-command.js';

/** Replaceable parts of the program; production uses the defaults. */
export interface CliDeps extends ServeDeps {
  /** Tools offered by `tools` and `tool`. Default: TOOL_REGISTRY. */
  tools?: readonly AnyToolDeclaration[];
  loadEmulator?: EmulatorLoader;
  loadPackage?: PackageLoader;
}

const VERSION = '0.1.0';

/**
 * The `oss-dify` program. Commander's own output (help, usage errors) goes to `io`; nothing exits the
 * process (`exitOverride`), so {@link runCli} decides the status.
 */
export function buildProgram(io: CliIo, deps: CliDeps = {}): Command {
  const tools = deps.tools ?? TOOL_REGISTRY;
  const program = new Command('oss-dify')
    .description('Alibaba Cloud OSS tools for Dify, MCP clients and the command line')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  addToolsCommand(program, io, tools);
  addToolCommand(program, io, { tools, ...(deps.loadEmulator ? { loadEmulator: deps.loadEmulator } : {}) });
  addEmulatorCommand(program, io, ...(deps.loadEmulator ? [deps.loadEmulator] : []));
  addPackageCommand(program, io, ...(deps.loadPackage ? [deps.loadPackage] : []));
  addServeCommands(program, io, deps);
  return program;
}

/** The exit status of a failure: usage errors 2, cancellation 130, everything else 1. */
export function exitCodeOf(error: AppError): number {
  if (error.code === 'CANCELLED') return EXIT_CODES.CANCELLED;
  if (error.code === 'INVALID_ARGUMENT' || error.code === 'TOOL_NOT_FOUND') return EXIT_CODES.USAGE;
  return EXIT_CODES.FAILURE;
}

/** The one stderr line of a failure, redacted. An INTERNAL error names its cause so it can be reported. */
export function errorLine(error: AppError): string {
  const cause = error.cause instanceof Error ? ` (${error.cause.name}: ${error.cause.message})` : '';
  const text = `error ${error.code}: ${error.message}${error.code === 'INTERNAL' ? cause : ''}`;
  return `${redact(text).replace(/[\r\n]+/g, ' ')}\n`;
}

/**
 * Runs `oss-dify <argv>` (arguments after the program name) and returns the exit status (see
 * EXIT_CODES). Never throws.
 */
export async function runCli(argv: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  const program = buildProgram(io, deps);
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT_CODES.OK;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; usage errors (and help shown because of one) are usage failures.
      return error.exitCode === 0 ? EXIT_CODES.OK : EXIT_CODES.USAGE;
    }
    const appError = toAppError(error);
    io.stderr.write(errorLine(appError));
    return exitCodeOf(appError);
  }
}

/** True when the module at `moduleUrl` is the script node was started with (`argv1`). */
export function isMainModule(moduleUrl: string, argv1: string | undefined): boolean {
  if (!argv1) return false;
  const real = (path: string): string => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  return real(fileURLToPath(moduleUrl)) === real(argv1);
}

/**
 * Runs the CLI on the real process: Ctrl-C or SIGTERM aborts the running command (a second Ctrl-C
 * exits at once), then the process exits with the command's status.
 */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<never> {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(EXIT_CODES.CANCELLED);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await runCli(
    argv,
    {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      cwd: process.cwd(),
      signal: controller.signal,
    },
    { stdin: process.stdin },
  );
  process.exit(code);
}

if (isMainModule(import.meta.url, process.argv[1])) await main();
