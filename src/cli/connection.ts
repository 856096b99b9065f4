// Where the CLI's tools store their files: the OSS named by the environment, or, when no credentials
// are set, an embedded emulator with data in `./.oss-data` (as MinIO or Azurite serve a newcomer).
import { join } from 'node:path';
import { registerSecrets } from '../config/redact.js';
import { hasConnection, parseSettings, type Settings, settingsFromEnv } from '../config/settings.js';
import type { Emulator } from '../emulator/server.js';
import { AppError } from '../errors.js';
import type { CliIo } from './cli-io.js';

/** Bucket of the embedded emulator. */
export const EMBEDDED_BUCKET = 'dify-oss';
/** Region of the embedded emulator. */
export const EMBEDDED_REGION = 'cn-hangzhou';
/** Data folder of the embedded emulator, relative to the working directory. */
export const EMBEDDED_DATA_DIR = '.oss-data';
/**
 * Port the embedded emulator (and `oss-dify emulator`) prefer, so URLs printed by one run still work
 * in the next; when it is taken, any free port is used.
 */
export const DEFAULT_EMULATOR_PORT = 8790;
/** CLI-only environment variable that picks the embedded emulator's port (0 = any free port). */
export const EMULATOR_PORT_ENV = 'OSS_DIFY_EMULATOR_PORT';
/** Fixed development credentials of the embedded emulator (it listens on 127.0.0.1 only). */
export const EMBEDDED_CREDENTIALS = {
  accessKeyId: 'oss-dify-dev',
  accessKeySecret: 'oss-dify-dev-secret',
} as const;

/** The part of the emulator module the CLI uses (src/emulator/server.ts). */
export interface EmulatorModule {
  startEmulator(options: EmulatorStartOptions): Promise<RunningEmulator>;
  emulatorBanner(emulator: RunningEmulator): string;
}

/** Options the CLI passes to startEmulator (a subset of the emulator's own options). */
export interface EmulatorStartOptions {
  host: string;
  port: number;
  region: string;
  dataDir: string;
  buckets: string[];
  credentials: Array<{ accessKeyId: string; accessKeySecret: string }>;
  publicRead?: boolean;
}

/** A running emulator as the CLI sees it (the banner reads the rest of the emulator's fields). */
export type RunningEmulator = Pick<Emulator, 'endpoint' | 'region' | 'close' | 'listObjects'>;

/** Loads the emulator module lazily, so commands that never need it don't pay for it. */
export type EmulatorLoader = () => Promise<EmulatorModule>;

/** The default loader: src/emulator/server.ts. */
export const loadEmulator: EmulatorLoader = async () => {
  const { startEmulator, emulatorBanner } = await import('../emulator/server.js');
  return {
    startEmulator,
    // The CLI only ever hands back what startEmulator returned, which is a full Emulator.
    emulatorBanner: (emulator) => emulatorBanner(emulator as Emulator),
  };
};

/** Settings to run tools with, and how to release what was started for them. */
export interface ResolvedConnection {
  settings: Settings;
  /** The embedded emulator's endpoint, when one was started. */
  embeddedEndpoint?: string;
  /** The embedded emulator itself, when one was started (the page lists its objects). */
  embedded?: RunningEmulator;
  close(): Promise<void>;
}

/**
 * The embedded emulator's port: `OSS_DIFY_EMULATOR_PORT` when set (explicit), else
 * {@link DEFAULT_EMULATOR_PORT}.
 * @throws AppError CONFIG_INVALID for a value that is not a port.
 */
export function embeddedPort(env: NodeJS.ProcessEnv): { port: number; explicit: boolean } {
  const text = env[EMULATOR_PORT_ENV]?.trim();
  if (text === undefined || text === '') return { port: DEFAULT_EMULATOR_PORT, explicit: false };
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    throw new AppError('CONFIG_INVALID', `${EMULATOR_PORT_ENV} must be a port 0..65535`, {
      details: { field: EMULATOR_PORT_ENV },
    });
  }
  return { port, explicit: true };
}

/**
 * Reads settings from `io.env`. With no OSS credentials at all, starts the embedded emulator on
 * 127.0.0.1 (port {@link embeddedPort}, or any free port when the default one is taken; bucket
 * `dify-oss`; data in `<cwd>/.oss-data`) and says so on stderr.
 * @throws AppError CONFIG_INVALID for a bad setting, CONFIG_MISSING_CREDENTIALS when only some of the
 * four connection settings are set.
 */
export async function resolveConnection(
  io: CliIo,
  load: EmulatorLoader = loadEmulator,
): Promise<ResolvedConnection> {
  const settings = settingsFromEnv(io.env);
  if (hasConnection(settings)) {
    registerSecrets(settings.access_key_secret, settings.security_token);
    return { settings, close: async () => {} };
  }
  const dataDir = join(io.cwd, EMBEDDED_DATA_DIR);
  const { startEmulator } = await load();
  const start = (port: number) =>
    startEmulator({
      host: '127.0.0.1',
      port,
      region: EMBEDDED_REGION,
      dataDir,
      buckets: [EMBEDDED_BUCKET],
      credentials: [{ ...EMBEDDED_CREDENTIALS }],
    });
  const chosen = embeddedPort(io.env);
  const emulator = await start(chosen.port).catch((error: unknown) => {
    if (chosen.explicit || (error as { code?: unknown }).code !== 'EADDRINUSE') throw error;
    return start(0);
  });
  io.stderr.write(
    `No OSS credentials set (OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_ENDPOINT, OSS_BUCKET): ` +
      `using the embedded emulator at ${emulator.endpoint}, bucket ${EMBEDDED_BUCKET}, data in ${dataDir}\n`,
  );
  const embedded = parseSettings({
    ...settings,
    access_key_id: EMBEDDED_CREDENTIALS.accessKeyId,
    access_key_secret: EMBEDDED_CREDENTIALS.accessKeySecret,
    endpoint: emulator.endpoint,
    bucket: EMBEDDED_BUCKET,
    region: emulator.region,
  });
  return {
    settings: embedded,
    embeddedEndpoint: emulator.endpoint,
    embedded: emulator,
    close: () => emulator.close(),
  };
}
