// Human logs for every face: one line per event on stderr (stdout belongs to the Dify and MCP
// protocols), every line passed through the one redaction function.
import type { Writable } from 'node:stream';
import { redact, redactValue } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** The logger every handler and face receives (same shape as tools' `Logger`). */
export interface RedactingLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Minimum level written. Default: `OSS_DIFY_LOG_LEVEL` or `info`. */
  level?: LogLevel;
  /** Where lines go. Default: process.stderr. */
  sink?: Pick<Writable, 'write'>;
  /** Prefix naming the component, e.g. `dify` or `mcp`. */
  name?: string;
}

/** Creates a logger that writes `time level [name] message {fields}` lines, redacted. */
export function createLogger(options: LoggerOptions = {}): RedactingLogger {
  const envLevel = process.env.OSS_DIFY_LOG_LEVEL as LogLevel | undefined;
  const level = options.level ?? (envLevel && envLevel in ORDER ? envLevel : 'info');
  const sink = options.sink ?? process.stderr;
  const prefix = options.name ? ` [${options.name}]` : '';
  const write = (at: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (ORDER[at] < ORDER[level]) return;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${safeJson(redactValue(fields))}` : '';
    sink.write(`${new Date().toISOString()} ${at}${prefix} ${redact(message)}${extra}\n`);
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

function safeJson(value: unknown): string {
  try {
    return redact(JSON.stringify(value, (_key, item) => (item instanceof Error ? errorFields(item) : item)));
  } catch {
    return '"[unserializable]"';
  }
}

function errorFields(error: Error): Record<string, unknown> {
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(code === undefined ? {} : { code }) };
}
