// The bundle entry the package's main.py execs: speaks stdio by default (INSTALL_METHOD unset or
// `local`), or dials the daemon for remote debugging with the Python SDK's environment names.
import { createLogger } from '../config/logger.js';
import { settingsFromEnv } from '../config/settings.js';
import { isAppError, toAppError } from '../errors.js';
import { runStdio } from './stdio.js';
import { remoteTargetFromEnv, runRemoteDebug } from './tcp.js';

async function main(): Promise<number> {
  const logger = createLogger({ name: 'dify' });
  const method = (process.env.INSTALL_METHOD ?? 'local').trim().toLowerCase() || 'local';
  const controller = new AbortController();
  try {
    const baseSettings = settingsFromEnv(process.env);
    const heartbeatIntervalMs = heartbeatFromEnv(process.env.HEARTBEAT_INTERVAL);
    if (method === 'local') {
      const { stdin, stdout, stderr } = process;
      await runStdio({ stdin, stdout, stderr, logger, baseSettings, heartbeatIntervalMs });
      return 0;
    }
    if (method === 'remote') {
      const target = remoteTargetFromEnv(process.env);
      // Only remote mode closes gracefully on a signal; stdio keeps Node's default (exit at once).
      for (const name of ['SIGINT', 'SIGTERM'] as const) process.once(name, () => controller.abort());
      const signal = controller.signal;
      await runRemoteDebug({ ...target, settings: baseSettings, logger, signal, heartbeatIntervalMs });
      return 0;
    }
    logger.error(`INSTALL_METHOD "${method}" is not supported; use local or remote`);
    return 2;
  } catch (thrown) {
    const error = toAppError(thrown);
    logger.error(`${error.code}: ${error.message}`, isAppError(thrown) ? {} : { error: thrown });
    return 1;
  }
}

/** `HEARTBEAT_INTERVAL` in seconds, as the Python SDK reads it (default 10, dify_plugin `config.py`). */
function heartbeatFromEnv(value: string | undefined): number {
  const seconds = Number(value);
  return value && Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 30) * 1000 : 10_000;
}

const code = await main();
// Flush stdout before leaving: undici keep-alive sockets would otherwise hold the process open.
process.stdout.write('', () => process.exit(code));
