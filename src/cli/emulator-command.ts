// `oss-dify emulator`: the local OSS-compatible server on its own, until Ctrl-C. Also what `serve`
// falls back to while the MCP server is not installed.
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import type { CliIo } from './cli-io.js';
import {
  DEFAULT_EMULATOR_PORT,
  EMBEDDED_BUCKET,
  EMBEDDED_CREDENTIALS,
  EMBEDDED_DATA_DIR,
  EMBEDDED_REGION,
  type EmulatorLoader,
  type EmulatorStartOptions,
  loadEmulator,
} from './connection.js';

/** Options of the `emulator` command as commander parses them. */
export interface EmulatorCommandOptions {
  host: string;
  port: number;
  region: string;
  data?: string;
  bucket?: string[];
  accessKeyId?: string;
  accessKeySecret?: string;
  publicRead?: boolean;
}

/**
 * Parses a TCP port (0 = any free port).
 * @throws InvalidArgumentError (a usage error) outside 0..65535.
 */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65_535)
    throw new InvalidArgumentError('expected a port 0..65535');
  return port;
}

/** The startEmulator options of a command line; defaults match the embedded emulator's. */
export function emulatorOptionsFrom(options: EmulatorCommandOptions, cwd: string): EmulatorStartOptions {
  return {
    host: options.host,
    port: options.port,
    region: options.region,
    dataDir: resolve(cwd, options.data ?? EMBEDDED_DATA_DIR),
    buckets: options.bucket && options.bucket.length > 0 ? options.bucket : [EMBEDDED_BUCKET],
    credentials: [
      {
        accessKeyId: options.accessKeyId ?? EMBEDDED_CREDENTIALS.accessKeyId,
        accessKeySecret: options.accessKeySecret ?? EMBEDDED_CREDENTIALS.accessKeySecret,
      },
    ],
    publicRead: options.publicRead === true,
  };
}

/** Resolves when `signal` aborts (never, without a signal). */
export function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => {});
  if (signal.aborted) return Promise.resolve();
  return new Promise((done) => signal.addEventListener('abort', () => done(), { once: true }));
}

/** Starts the emulator, prints its banner on stdout, and closes it when `io.signal` aborts. */
export async function runEmulator(
  options: EmulatorStartOptions,
  io: CliIo,
  load: EmulatorLoader = loadEmulator,
): Promise<void> {
  const { startEmulator, emulatorBanner } = await load();
  const emulator = await startEmulator(options);
  try {
    io.stdout.write(`${emulatorBanner(emulator).trimEnd()}\n`);
    await untilAborted(io.signal);
  } finally {
    await emulator.close();
    io.stderr.write('emulator stopped\n');
  }
}

/** Adds the emulator's options to `command` (shared by `emulator` and the `serve` fallback). */
export function withEmulatorOptions(command: Command, defaultPort: number): Command {
  return command
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 = any free port)', parsePort, defaultPort)
    .option('--region <region>', 'region the emulator answers for', EMBEDDED_REGION)
    .option('--data <dir>', `folder for stored objects (default: ./${EMBEDDED_DATA_DIR})`)
    .option(
      '--bucket <name>',
      `bucket to serve; repeatable (default: ${EMBEDDED_BUCKET})`,
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option(
      '--access-key-id <id>',
      `AccessKey id clients sign with (default: ${EMBEDDED_CREDENTIALS.accessKeyId})`,
    )
    .option(
      '--access-key-secret <secret>',
      'AccessKey secret clients sign with (default: the development secret)',
    )
    .option('--public-read', 'allow anonymous reads of the buckets');
}

/** Adds `emulator`. */
export function addEmulatorCommand(program: Command, io: CliIo, load: EmulatorLoader = loadEmulator): void {
  withEmulatorOptions(
    program.command('emulator').description('run the local OSS-compatible emulator until Ctrl-C'),
    DEFAULT_EMULATOR_PORT,
  ).action(async (options: EmulatorCommandOptions) => {
    await runEmulator(emulatorOptionsFrom(options, io.cwd), io, load);
  });
}
