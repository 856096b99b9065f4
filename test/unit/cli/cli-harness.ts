// Runs the CLI in-process with captured streams, for the CLI's unit tests.
import { Writable } from 'node:stream';
import type { EmulatorModule, EmulatorStartOptions } from '../../../src/cli/connection.js';
import { type CliDeps, runCli } from '../../../src/cli/main.js';

/** A writable that keeps what was written. */
export class Capture extends Writable {
  readonly chunks: string[] = [];
  isTTY = false;
  columns = 100;
  /** Called after each write with everything written so far. */
  onWrite: ((text: string) => void) | undefined;

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(String(chunk));
    callback();
    this.onWrite?.(this.text);
  }

  get text(): string {
    return this.chunks.join('');
  }
}

/** Environment naming a (never contacted) OSS, so no embedded emulator starts. */
export const FAKE_OSS_ENV: NodeJS.ProcessEnv = {
  OSS_ACCESS_KEY_ID: 'test-access-key-id',
  OSS_ACCESS_KEY_SECRET: 'test-access-key-secret-value',
  OSS_ENDPOINT: 'http://127.0.0.1:9',
  OSS_BUCKET: 'unit-bucket',
  OSS_REGION: 'cn-hangzhou',
};

/** The result of one in-process run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A fake emulator module recording what it was asked to do; `busyPorts` fail with EADDRINUSE. */
export function fakeEmulator(busyPorts: readonly number[] = []): {
  module: EmulatorModule;
  started: EmulatorStartOptions[];
  closed: () => number;
} {
  const started: EmulatorStartOptions[] = [];
  let closed = 0;
  const module: EmulatorModule = {
    async startEmulator(options) {
      started.push(options);
      if (busyPorts.includes(options.port)) {
        throw Object.assign(new Error(`listen EADDRINUSE: ${options.port}`), { code: 'EADDRINUSE' });
      }
      return {
        endpoint: `http://${options.host}:4321`,
        region: options.region,
        listObjects: async () => [],
        close: async () => {
          closed += 1;
        },
      };
    },
    emulatorBanner: (emulator) => `OSS emulator listening on ${emulator.endpoint}\n`,
  };
  return { module, started, closed: () => closed };
}

/** Runs `oss-dify <argv>` in-process. */
export async function run(
  argv: string[],
  options: {
    cwd: string;
    env?: NodeJS.ProcessEnv;
    deps?: CliDeps;
    signal?: AbortSignal;
    stdout?: Capture;
    stderr?: Capture;
  },
): Promise<CliRun> {
  const stdout = options.stdout ?? new Capture();
  const stderr = options.stderr ?? new Capture();
  const code = await runCli(
    argv,
    {
      stdout,
      stderr,
      env: options.env ?? FAKE_OSS_ENV,
      cwd: options.cwd,
      ...(options.signal ? { signal: options.signal } : {}),
    },
    options.deps,
  );
  return { code, stdout: stdout.text, stderr: stderr.text };
}
