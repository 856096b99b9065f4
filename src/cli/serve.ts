// `oss-dify serve` (what `npm start` runs): the MCP endpoint and the page over HTTP, the embedded
// emulator when no OSS credentials are set, and the Dify remote-debug connection when asked for.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createLogger } from '../config/logger.js';
import type { Settings } from '../config/settings.js';
import { type AppError, toAppError } from '../errors.js';
import { DEFAULT_HTTP_PORT, type McpHttpServer, startMcpHttpServer } from '../mcp/http.js';
import type { ObjectBrowser } from '../mcp/page-routes.js';
import type { AnyToolDeclaration } from '../tools/registry.js';
import type { Logger } from '../tools/tool-declaration.js';
import type { CliIo } from './cli-io.js';
import { EMBEDDED_BUCKET, EMBEDDED_DATA_DIR, resolveConnection } from './connection.js';

/** Options of {@link runServe}: the command's flags plus the injected process surface. */
export interface ServeOptions extends CliIo {
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** Port; 0 = any free port. Default 8787. */
  port?: number;
  /** Bearer token; default OSS_DIFY_MCP_TOKEN, else a generated one that is printed. */
  token?: string;
  /** Dify daemon remote-debug address `host:port` (else REMOTE_INSTALL_URL / _HOST / _PORT). */
  remote?: string;
  /** Remote-debug key (else REMOTE_INSTALL_KEY). */
  key?: string;
  /** Extra Host names clients use (else OSS_DIFY_MCP_ALLOWED_HOSTS, comma-separated). */
  allowedHosts?: readonly string[];
  /** Tools to serve (tests). Default: the registry. */
  tools?: readonly AnyToolDeclaration[];
}

/** A started `serve`: what it listens on, and how to stop it. */
export interface RunningServe {
  http: McpHttpServer;
  token: string;
  /** True when the token was generated (and printed). */
  generatedToken: boolean;
  settings: Settings;
  /** The embedded emulator's endpoint, when no OSS credentials were set. */
  emulatorEndpoint?: string;
  /**
   * Settles when the remote-debug connection ends (undefined when none was asked for): with the error
   * that ended it (REMOTE_REFUSED, DIFY_REMOTE_DISCONNECTED …), or undefined after a clean stop.
   */
  remote?: Promise<AppError | undefined>;
  close(): Promise<void>;
}

interface Storage {
  settings: Settings;
  browser?: ObjectBrowser;
  close(): Promise<void>;
}

/** The OSS of the environment, or the embedded emulator (the same rule and port as every CLI command). */
async function openStorage(io: CliIo): Promise<Storage> {
  const connection = await resolveConnection(io);
  const embedded = connection.embedded;
  return {
    settings: connection.settings,
    ...(embedded
      ? {
          browser: {
            endpoint: embedded.endpoint,
            bucket: EMBEDDED_BUCKET,
            list: () => embedded.listObjects(EMBEDDED_BUCKET),
          },
        }
      : {}),
    close: () => connection.close(),
  };
}

function remoteEnv(options: ServeOptions): Record<string, string | undefined> | undefined {
  if (options.remote !== undefined || options.key !== undefined) {
    return {
      REMOTE_INSTALL_URL: options.remote,
      REMOTE_INSTALL_KEY: options.key ?? options.env.REMOTE_INSTALL_KEY,
    };
  }
  const { REMOTE_INSTALL_KEY, REMOTE_INSTALL_URL, REMOTE_INSTALL_HOST, REMOTE_INSTALL_PORT } = options.env;
  return REMOTE_INSTALL_KEY
    ? { REMOTE_INSTALL_KEY, REMOTE_INSTALL_URL, REMOTE_INSTALL_HOST, REMOTE_INSTALL_PORT }
    : undefined;
}

async function startRemote(
  env: Record<string, string | undefined>,
  settings: Settings,
  logger: Logger,
  signal: AbortSignal,
  io: CliIo,
): Promise<{ line: string; done: Promise<AppError | undefined> }> {
  // Imported lazily: the Dify runtime is only needed when remote debugging is asked for.
  const { remoteTargetFromEnv, runRemoteDebug } = await import('../dify/tcp.js');
  const target = remoteTargetFromEnv(env);
  const done = runRemoteDebug({ ...target, settings, logger, signal }).then(
    () => undefined,
    (error: unknown) => {
      const appError = toAppError(error);
      if (signal.aborted) return undefined;
      io.stderr.write(`Dify remote debug stopped: ${appError.code}: ${appError.message}\n`);
      return appError;
    },
  );
  return { line: `Dify:     remote debug with ${target.host}:${target.port}`, done };
}

/**
 * Starts everything `serve` runs and prints how to connect. Does not wait for Ctrl-C (see runServe).
 * @throws AppError CONFIG_INVALID / CONFIG_MISSING_CREDENTIALS for bad settings, INVALID_ARGUMENT for
 * an empty token; the listen error (EADDRINUSE) when the port is taken.
 */
export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const logger = createLogger({ name: 'serve', sink: options.stderr });
  const given = options.token ?? options.env.OSS_DIFY_MCP_TOKEN;
  const token = given?.trim() || randomBytes(24).toString('base64url');
  const allowedHosts =
    options.allowedHosts ??
    (options.env.OSS_DIFY_MCP_ALLOWED_HOSTS ?? '').split(',').filter((entry) => entry.trim().length > 0);
  const storage = await openStorage(options);
  const stopRemote = new AbortController();
  let http: McpHttpServer | undefined;
  try {
    http = await startMcpHttpServer({
      settings: storage.settings,
      token,
      host: options.host ?? '127.0.0.1',
      port: options.port ?? DEFAULT_HTTP_PORT,
      allowedHosts,
      logger,
      ...(options.tools ? { tools: options.tools } : {}),
      ...(storage.browser ? { browser: storage.browser } : {}),
    });
    const env = remoteEnv(options);
    const remote = env
      ? await startRemote(env, storage.settings, logger, stopRemote.signal, options)
      : undefined;
    const generated = given === undefined || given.trim() === '';
    const lines = [
      `oss-dify serve: the OSS tools over MCP, and a page to see them work`,
      `Page:     ${http.url}/${generated ? `?token=${token}` : ''}`,
      `MCP:      ${http.mcpUrl}  (Streamable HTTP; header "Authorization: Bearer <token>")`,
      generated
        ? `Token:    ${token}  (generated; set OSS_DIFY_MCP_TOKEN or --token to keep one)`
        : `Token:    from ${options.token === undefined ? 'OSS_DIFY_MCP_TOKEN' : '--token'}`,
      storage.browser
        ? `Storage:  embedded emulator ${storage.browser.endpoint}, bucket ${storage.browser.bucket}, data in ${join(options.cwd, EMBEDDED_DATA_DIR)} (no OSS credentials set)`
        : `Storage:  OSS bucket ${storage.settings.bucket} at ${storage.settings.endpoint}`,
      ...(remote ? [remote.line] : []),
      'Press Ctrl-C to stop.',
    ];
    options.stdout.write(`${lines.join('\n')}\n`);
    const server = http;
    return {
      http: server,
      token,
      generatedToken: generated,
      settings: storage.settings,
      ...(storage.browser ? { emulatorEndpoint: storage.browser.endpoint } : {}),
      ...(remote ? { remote: remote.done } : {}),
      close: async () => {
        stopRemote.abort();
        await server.close();
        await remote?.done;
        await storage.close();
      },
    };
  } catch (error) {
    stopRemote.abort();
    await http?.close();
    await storage.close();
    throw error;
  }
}

/**
 * Runs `oss-dify serve` until `options.signal` aborts (Ctrl-C or SIGTERM), then stops everything.
 * When remote debugging was asked for and the daemon refuses it (or the connection is lost for good),
 * everything stops and that AppError is thrown, so the command exits non-zero.
 */
export async function runServe(options: ServeOptions): Promise<void> {
  const running = await startServe(options);
  const stopped = new Promise<undefined>((resolve) => {
    if (options.signal?.aborted) resolve(undefined);
    options.signal?.addEventListener('abort', () => resolve(undefined), { once: true });
  });
  const remoteError = await Promise.race([stopped, running.remote ?? stopped]);
  options.stderr.write('Stopping…\n');
  await running.close();
  if (remoteError) throw remoteError;
}
