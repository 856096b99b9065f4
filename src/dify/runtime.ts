// The plugin side of the daemon protocol over any pair of streams: frames lines, runs sessions
// concurrently, sends exactly one `end` per session and heartbeats. Never touches `process`.
import type { Readable, Writable } from 'node:stream';
import { redact, redactValue, registerSecrets } from '../config/redact.js';
import { parseSettings, type Settings } from '../config/settings.js';
import { AppError, toAppError } from '../errors.js';
import { invokeTool } from '../tools/invoke.js';
import type { AnyToolDeclaration } from '../tools/registry.js';
import type { Logger } from '../tools/tool-declaration.js';
import { type HeadProbe, validateCredentials } from './credentials.js';
import { convertToolParameters } from './file-parameter.js';
import { OutputWriter } from './output-writer.js';
import {
  CREDENTIAL_ERROR_TYPE,
  type DaemonRequest,
  decodeLine,
  encodeHeartbeat,
  encodeSession,
  errorPayload,
  type FramedLine,
  LineDecoder,
  LineTooLongError,
  MAX_LINE_BYTES,
  type SessionMessage,
  type ToolResponseChunk,
} from './protocol.js';
import { sendToolMessage } from './tool-output.js';

/** Heartbeat period of the Python SDK (`HEARTBEAT_INTERVAL = 10`, dify_plugin `config/config.py`). */
export const HEARTBEAT_INTERVAL_MS = 10_000;

/** Builds the HEAD probe used by `validate_tool_credentials` from the parsed credentials. */
export type ProbeFactory = (settings: Settings, logger: Logger) => HeadProbe;

/** Options of {@link PluginRuntime}. */
export interface PluginRuntimeOptions {
  /** Daemon → plugin lines (stdin, or the debug socket). */
  input: Readable;
  /** Plugin → daemon lines (stdout, or the debug socket). */
  output: Writable;
  logger: Logger;
  /** Builds the credential probe (see credentials.ts); the entry points pass the OSS client's HEAD. */
  probeFactory: ProbeFactory;
  /** Tools to serve; default: the registry (through invokeTool). */
  tools?: readonly AnyToolDeclaration[];
  /** Defaults for credential fields Dify leaves empty (e.g. settings from the environment). */
  baseSettings?: Settings;
  /** Heartbeat period in ms; default {@link HEARTBEAT_INTERVAL_MS}. One heartbeat goes out at start. */
  heartbeatIntervalMs?: number;
  /** Send the heartbeat at start; default true. False when the entry point already sent it. */
  heartbeatAtStart?: boolean;
  /** Byte cap per line either way; default {@link MAX_LINE_BYTES}. */
  maxLineBytes?: number;
  /** Called with each non-JSON line (on TCP: the daemon's plain-text refusals). */
  onTextLine?: (text: string) => void;
}

/**
 * Serves daemon requests from `input` until it ends, then waits for in-flight sessions.
 * Actions: `tool/invoke_tool`, `tool/validate_tool_credentials`; anything else gets `error` + `end`.
 */
export class PluginRuntime {
  private readonly writer: OutputWriter;
  /** One controller per request being served (not keyed by id: a reused session id must not hide one). */
  private readonly sessions = new Set<AbortController>();
  private readonly running = new Set<Promise<void>>();
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly maxLineBytes: number;

  constructor(private readonly options: PluginRuntimeOptions) {
    this.writer = new OutputWriter(options.output);
    this.maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
    this.writer.onClose(() => this.abortAll('output closed'));
  }

  /** Number of sessions being served. */
  get activeSessions(): number {
    return this.sessions.size;
  }

  /** Runs until the input ends (or errors) and every session has sent its `end`. */
  async run(): Promise<void> {
    this.startHeartbeats();
    const decoder = new LineDecoder(this.maxLineBytes);
    try {
      for await (const chunk of this.options.input) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        for (const line of decoder.push(bytes)) this.handleLine(line);
      }
      for (const line of decoder.end()) this.handleLine(line);
    } catch (error) {
      this.options.logger.warn('input stream failed', { error: toAppError(error).message });
    } finally {
      await Promise.allSettled([...this.running]);
      this.stopHeartbeats();
    }
  }

  /** Aborts every session (their `error` and `end` are still sent while the output is open). */
  abortAll(reason: string): void {
    for (const controller of this.sessions) controller.abort(new AppError('CANCELLED', reason));
  }

  private startHeartbeats(): void {
    const beat = (): void => {
      if (this.writer.isClosed) return;
      this.writer.write(encodeHeartbeat()).catch(() => undefined);
    };
    if (this.options.heartbeatAtStart !== false) beat();
    this.heartbeat = setInterval(beat, this.options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS);
    this.heartbeat.unref();
  }

  private stopHeartbeats(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private handleLine(line: FramedLine): void {
    const { logger } = this.options;
    if (line.kind === 'oversized') {
      const decoded = decodeLine(line.head);
      const sessionId = decoded.kind === 'invalid' || decoded.kind === 'other' ? decoded.sessionId : null;
      logger.warn('dropped an inbound line over the byte cap', { bytes: line.bytes, session_id: sessionId });
      if (sessionId) this.failFast(sessionId, `Request line of ${line.bytes} bytes exceeds the line limit`);
      return;
    }
    const decoded = decodeLine(line.text);
    switch (decoded.kind) {
      case 'request':
        this.track(this.serve(decoded.request));
        return;
      case 'invalid':
        logger.warn('malformed request line', { reason: decoded.reason, session_id: decoded.sessionId });
        if (decoded.sessionId) this.failFast(decoded.sessionId, `Malformed request: ${decoded.reason}`);
        return;
      case 'text':
        logger.warn('daemon sent a text line', { text: redact(decoded.text.slice(0, 500)) });
        this.options.onTextLine?.(decoded.text);
        return;
      case 'other':
        // backwards_response and unknown events: we make no backwards calls, so nothing waits for them.
        logger.debug('ignored inbound event', { event: decoded.event, session_id: decoded.sessionId });
        return;
    }
  }

  private failFast(sessionId: string, message: string): void {
    this.track(
      this.finish(sessionId, async () => {
        throw new AppError('PROTOCOL_ERROR', message);
      }),
    );
  }

  private track(task: Promise<void>): void {
    this.running.add(task);
    task.finally(() => this.running.delete(task)).catch(() => undefined);
  }

  private serve(request: DaemonRequest): Promise<void> {
    const { type, action } = request.data;
    const route = `${String(type)}/${String(action)}`;
    if (route === 'tool/invoke_tool') return this.finish(request.session_id, (s) => this.invoke(request, s));
    if (route === 'tool/validate_tool_credentials') {
      return this.finish(request.session_id, (s) => this.validate(request, s), CREDENTIAL_ERROR_TYPE);
    }
    return this.finish(request.session_id, async () => {
      throw new AppError('PROTOCOL_ERROR', `Unsupported action "${route}"`, {
        details: { type: String(type), action: String(action) },
      });
    });
  }

  /** Runs `work`, then sends `error` (if it failed) and exactly one `end`. */
  private async finish(
    sessionId: string,
    work: (session: SessionIo) => Promise<void>,
    errorType?: string,
  ): Promise<void> {
    const controller = new AbortController();
    this.sessions.add(controller);
    const send = async (...messages: SessionMessage[]): Promise<void> => {
      const lines = messages.map((message) => encodeSession(sessionId, message, this.maxLineBytes));
      await this.writer.write(lines.length === 1 ? (lines[0] as string) : lines.join(''));
    };
    try {
      await work({ send, signal: controller.signal });
    } catch (thrown) {
      await this.sendError(sessionId, thrown, send, errorType);
    } finally {
      this.sessions.delete(controller);
      await send({ type: 'end', data: {} }).catch(() => undefined);
    }
  }

  private async sendError(
    sessionId: string,
    thrown: unknown,
    send: (...messages: SessionMessage[]) => Promise<void>,
    errorType?: string,
  ): Promise<void> {
    const error =
      thrown instanceof LineTooLongError
        ? new AppError('PROTOCOL_ERROR', 'An output message is too large for one protocol line')
        : toAppError(thrown);
    const fields = { session_id: sessionId, code: error.code };
    if (error.code === 'INTERNAL') this.options.logger.error('session failed', { ...fields, error: thrown });
    else this.options.logger.info('session failed', { ...fields, message: redact(error.message) });
    const payload = errorPayload(
      { code: error.code, retryable: error.retryable, details: redactValue(error.details) },
      redact(error.message),
      errorType,
    );
    await send({ type: 'error', data: payload }).catch(() => undefined);
  }

  private settingsOf(request: DaemonRequest): Settings {
    const credentials = objectOrEmpty(request.data.credentials);
    const secrets = ['access_key_secret', 'security_token', 'access_key_id'].map((k) => credentials[k]);
    registerSecrets(...secrets.map((v) => (typeof v === 'string' ? v : undefined)));
    const given = Object.fromEntries(
      Object.entries(credentials).filter(([, v]) => v !== null && v !== undefined && v !== ''),
    );
    return parseSettings({ ...(this.options.baseSettings ?? {}), ...given });
  }

  private async invoke(request: DaemonRequest, session: SessionIo): Promise<void> {
    const tool = request.data.tool;
    if (typeof tool !== 'string' || tool === '') {
      throw new AppError('INVALID_ARGUMENT', 'invoke_tool without a tool name', {
        details: { field: 'tool' },
      });
    }
    const settings = this.settingsOf(request);
    const params = convertToolParameters(objectOrEmpty(request.data.tool_parameters));
    const messages = invokeTool(tool, params, {
      settings,
      face: 'dify',
      signal: session.signal,
      logger: this.options.logger,
      ...(this.options.tools ? { tools: this.options.tools } : {}),
    });
    const sendChunk = (...chunks: ToolResponseChunk[]): Promise<void> =>
      session.send(...chunks.map((data): SessionMessage => ({ type: 'stream', data })));
    for await (const message of messages) {
      if (session.signal.aborted) throw toAppError(session.signal.reason);
      await sendToolMessage(message, sendChunk, session.signal);
    }
  }

  private async validate(request: DaemonRequest, session: SessionIo): Promise<void> {
    const settings = this.settingsOf(request);
    const probe = this.options.probeFactory(settings, this.options.logger);
    await validateCredentials(settings, { probe, signal: session.signal });
    await session.send({ type: 'stream', data: { result: true } });
  }
}

/** What a session's work sees: its sender and its abort signal. */
interface SessionIo {
  send: (...messages: SessionMessage[]) => Promise<void>;
  signal: AbortSignal;
}

function objectOrEmpty(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
