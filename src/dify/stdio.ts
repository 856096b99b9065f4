// The local (installed package) transport: daemon requests on stdin, events on stdout, human logs on
// stderr (dify-protocol.md §2.2). Streams are injected; main.ts passes the process's own.
import type { Readable, Writable } from 'node:stream';
import { createLogger } from '../config/logger.js';
import type { Settings } from '../config/settings.js';
import type { AnyToolDeclaration } from '../tools/registry.js';
import type { Logger } from '../tools/tool-declaration.js';
import { ossHeadProbe } from './oss-probe.js';
import { PluginRuntime, type ProbeFactory } from './runtime.js';

/** Options of {@link runStdio}. */
export interface StdioOptions {
  stdin: Readable;
  stdout: Writable;
  /** Where human logs go (redacted); ignored when `logger` is given. */
  stderr: Writable;
  logger?: Logger;
  /** Defaults for credential fields Dify leaves empty. */
  baseSettings?: Settings;
  /** Heartbeat period in ms; default 10 000 (one heartbeat is sent at once, marking the instance ready). */
  heartbeatIntervalMs?: number;
  /** Send a heartbeat at start; default true (main.ts sends its own before loading the runtime). */
  heartbeatAtStart?: boolean;
  /** For tests and fakes; default: the registry. */
  tools?: readonly AnyToolDeclaration[];
  /** For tests; default: a HEAD through the OSS client. */
  probeFactory?: ProbeFactory;
}

/**
 * Serves the daemon over stdio until stdin ends and every in-flight session has sent its `end`.
 * Never writes anything but protocol lines to `stdout`.
 */
export async function runStdio(options: StdioOptions): Promise<void> {
  const logger = options.logger ?? createLogger({ sink: options.stderr, name: 'dify' });
  const runtime = new PluginRuntime({
    input: options.stdin,
    output: options.stdout,
    logger,
    probeFactory: options.probeFactory ?? ossHeadProbe,
    ...(options.tools ? { tools: options.tools } : {}),
    ...(options.baseSettings ? { baseSettings: options.baseSettings } : {}),
    ...(options.heartbeatAtStart === undefined ? {} : { heartbeatAtStart: options.heartbeatAtStart }),
    ...(options.heartbeatIntervalMs === undefined
      ? {}
      : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
  });
  logger.info('serving the Dify daemon over stdio');
  await runtime.run();
  logger.info('stdin closed; exiting');
}
