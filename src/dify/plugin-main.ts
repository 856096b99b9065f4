// The plugin process after start-up: reads settings from the environment and serves the daemon over stdio
// (INSTALL_METHOD unset or `local`) or dials it for remote debugging with the Python SDK's environment
// names. Loaded lazily by main.ts, once the first stdio heartbeat is out.
import { createLogger } from '../config/logger.js';
import { settingsFromEnv } from '../config/settings.js';
import { isAppError, toAppError } from '../errors.js';
import { runStdio } from './stdio.js';
import { remoteTargetFromEnv, runRemoteDebug } from './tcp.js';

/** How main.ts started the process. */
export interface PluginStart {
  /** `INSTALL_METHOD`, trimmed and lower-cased; '' means local. */
  method: string;
  /** True when main.ts already wrote the first stdio heartbeat. */
  heartbeatSent: boolean;
  /** Heartbeat period in ms (`HEARTBEAT_INTERVAL`, read by main.ts). */
  heartbeatIntervalMs: number;
}

/** Runs the plugin until stdin ends (stdio) or a signal stops it (remote); resolves with the exit code. */
export async function runPlugin(start: PluginStart): Promise<number> {
  const logger = createLogger({ name: 'dify' });
  const method = start.method || 'local';
  const controller = new AbortController();
  try {
    const baseSettings = settingsFromEnv(process.env);
    const { heartbeatIntervalMs } = start;
    if (method === 'local') {
      const { stdin, stdout, stderr } = process;
      await runStdio({
        stdin,
        stdout,
        stderr,
        logger,
        baseSettings,
        heartbeatIntervalMs,
        heartbeatAtStart: !start.heartbeatSent,
      });
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
