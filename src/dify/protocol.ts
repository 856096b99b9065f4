// Wire types and pure encode/decode for the Dify plugin daemon protocol (dify-protocol.md §2-§4):
// newline-delimited JSON with a byte cap per line. No I/O here; runtime.ts and the adapters do that.
import { type AppError, ERROR_CODES } from '../errors.js';

/**
 * Longest line either way, in bytes, newline excluded. The daemon's stdout scanner defaults to
 * `PLUGIN_RUNTIME_MAX_BUFFER_SIZE` = 5242880 and kills the plugin on a longer line
 * (dify-plugin-daemon `internal/types/app/config.go`, `local_runtime/instance.go` `StartStdout`).
 */
export const MAX_LINE_BYTES = 5 * 1024 * 1024;

/** Raw bytes per `blob_chunk`; Dify's merger rejects larger decoded chunks (`chunk_merger.py`). */
export const BLOB_CHUNK_BYTES = 8192;

/** The daemon validates error `args` with `omitempty,max=10` (`pkg/entities/plugin_entities/event.go`). */
export const MAX_ERROR_ARGS = 10;

/** `error_type` the SDK uses for failed credential checks (dify_plugin `errors/tool.py`). */
export const CREDENTIAL_ERROR_TYPE = 'ToolProviderCredentialValidationError';

/** A request line from the daemon (dify-plugin-daemon `session_manager/session.go`). */
export interface DaemonRequest {
  session_id: string;
  event: string;
  conversation_id?: string | null;
  message_id?: string | null;
  app_id?: string | null;
  endpoint_id?: string | null;
  context?: unknown;
  data: RequestData;
}

/** The action payload of a request: `{user_id, type, action}` merged with the action's fields. */
export interface RequestData {
  type?: string;
  action?: string;
  user_id?: string;
  provider?: string;
  tool?: string;
  tool_parameters?: Record<string, unknown>;
  credentials?: Record<string, unknown>;
  [key: string]: unknown;
}

/** One `stream` payload of `invoke_tool` (`ToolResponseChunk`: message and meta are objects or null). */
export interface ToolResponseChunk {
  type: 'text' | 'json' | 'link' | 'variable' | 'blob_chunk';
  message: Record<string, unknown>;
  meta: Record<string, unknown> | null;
}

/** The `data` of an `error` session message (`ErrorResponse` in the daemon). */
export interface ErrorPayload {
  error_type: string;
  message: string;
  args: Record<string, string | number | boolean>;
}

/** A session message inside `{"event":"session"}`; `data` is always present (the daemon drops it otherwise). */
export type SessionMessage =
  | { type: 'stream'; data: ToolResponseChunk | Record<string, unknown> }
  | { type: 'end'; data: Record<string, never> }
  | { type: 'error'; data: ErrorPayload };

/** Result of decoding one inbound line. */
export type DecodedLine =
  | { kind: 'request'; request: DaemonRequest }
  | { kind: 'other'; event: string; sessionId: string | null }
  | { kind: 'invalid'; sessionId: string | null; reason: string }
  | { kind: 'text'; text: string };

const SESSION_ID_PATTERN = /"session_id"\s*:\s*"((?:[^"\\]|\\.){1,256})"/;

/** Finds a `session_id` in text that may be truncated or not valid JSON; null when none is visible. */
export function findSessionId(text: string): string | null {
  const match = SESSION_ID_PATTERN.exec(text);
  if (!match?.[1]) return null;
  try {
    return JSON.parse(`"${match[1]}"`) as string;
  } catch {
    return null;
  }
}

/**
 * Decodes one inbound line. A line that does not start like JSON is `text` (the daemon's plain-text
 * refusals on TCP); broken JSON or a request without `data` is `invalid`, with the session id when visible.
 */
export function decodeLine(line: string): DecodedLine {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return { kind: 'text', text: trimmed };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { kind: 'invalid', sessionId: findSessionId(trimmed), reason: 'line is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', sessionId: null, reason: 'line is not a JSON object' };
  }
  const record = value as Record<string, unknown>;
  const sessionId = typeof record.session_id === 'string' && record.session_id ? record.session_id : null;
  const event = typeof record.event === 'string' ? record.event : '';
  if (event !== 'request') return { kind: 'other', event, sessionId };
  if (sessionId === null) return { kind: 'invalid', sessionId: null, reason: 'request without session_id' };
  if (typeof record.data !== 'object' || record.data === null || Array.isArray(record.data)) {
    return { kind: 'invalid', sessionId, reason: 'request without a data object' };
  }
  return { kind: 'request', request: record as unknown as DaemonRequest };
}

/** One framed inbound line: complete, or cut because it passed the byte cap (only its head is kept). */
export type FramedLine = { kind: 'line'; text: string } | { kind: 'oversized'; head: string; bytes: number };

const OVERSIZED_HEAD_BYTES = 4096;

/**
 * Splits a byte stream into lines on `\n`, holding at most `maxLineBytes` of one line. A longer line is
 * dropped as it arrives (memory stays bounded) and reported once, with its first 4 KiB, when it ends.
 * Empty lines are skipped, as the daemon and the SDK do.
 */
export class LineDecoder {
  private parts: Buffer[] = [];
  private size = 0;
  private oversizedHead: string | null = null;
  private oversizedBytes = 0;

  constructor(private readonly maxLineBytes: number = MAX_LINE_BYTES) {}

  /** Feeds bytes; returns the lines completed by them. */
  push(chunk: Buffer): FramedLine[] {
    const out: FramedLine[] = [];
    let start = 0;
    while (start <= chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      this.append(chunk.subarray(start, end));
      if (newline === -1) break;
      const line = this.take();
      if (line) out.push(line);
      start = newline + 1;
    }
    return out;
  }

  /** Flushes a last line that had no trailing newline (at end of input). */
  end(): FramedLine[] {
    const line = this.take();
    return line ? [line] : [];
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.oversizedHead !== null) {
      this.oversizedBytes += bytes.length;
      return;
    }
    if (this.size + bytes.length > this.maxLineBytes) {
      const all = Buffer.concat([...this.parts, bytes]);
      this.oversizedHead = all.subarray(0, OVERSIZED_HEAD_BYTES).toString('utf8');
      this.oversizedBytes = all.length;
      this.parts = [];
      this.size = 0;
      return;
    }
    this.parts.push(Buffer.from(bytes));
    this.size += bytes.length;
  }

  private take(): FramedLine | null {
    if (this.oversizedHead !== null) {
      const line: FramedLine = { kind: 'oversized', head: this.oversizedHead, bytes: this.oversizedBytes };
      this.oversizedHead = null;
      this.oversizedBytes = 0;
      return line;
    }
    const text = Buffer.concat(this.parts).toString('utf8').replace(/\r$/, '');
    this.parts = [];
    this.size = 0;
    return text.trim() === '' ? null : { kind: 'line', text };
  }
}

/** Thrown by the encoders when a line would pass {@link MAX_LINE_BYTES}. */
export class LineTooLongError extends Error {
  override readonly name = 'LineTooLongError';
  constructor(readonly bytes: number) {
    super(`outbound line of ${bytes} bytes exceeds ${MAX_LINE_BYTES}`);
  }
}

/** Serializes one event as a complete line; throws {@link LineTooLongError} past the cap. */
export function encodeLine(value: unknown, maxLineBytes: number = MAX_LINE_BYTES): string {
  const text = JSON.stringify(value);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxLineBytes) throw new LineTooLongError(bytes);
  return `${text}\n`;
}

/** `{"event":"session","session_id":S,"data":<message>}` as a line (blob chunks take a faster path). */
export function encodeSession(
  sessionId: string,
  message: SessionMessage,
  maxLineBytes: number = MAX_LINE_BYTES,
): string {
  if (message.type === 'stream' && (message.data as ToolResponseChunk).type === 'blob_chunk') {
    return encodeBlobChunk(sessionId, message.data as ToolResponseChunk, maxLineBytes);
  }
  return encodeLine({ event: 'session', session_id: sessionId, data: message }, maxLineBytes);
}

/**
 * The same text `encodeLine` gives for a blob chunk, built by template: the base64 payload needs no
 * escaping, and skipping JSON.stringify of 11 KB strings speeds blob output up.
 */
function encodeBlobChunk(sessionId: string, chunk: ToolResponseChunk, maxLineBytes: number): string {
  const m = chunk.message as {
    id: string;
    sequence: number;
    total_length: number;
    blob: string;
    end: boolean;
  };
  const line =
    `{"event":"session","session_id":${JSON.stringify(sessionId)},"data":{"type":"stream","data":` +
    `{"type":"blob_chunk","message":{"id":${JSON.stringify(m.id)},"sequence":${m.sequence},` +
    `"total_length":${m.total_length},"blob":"${m.blob}","end":${m.end}},"meta":${JSON.stringify(chunk.meta)}}}}`;
  // UTF-8 needs at most 3 bytes per UTF-16 unit, so short lines need no exact count.
  const bytes = line.length * 3 > maxLineBytes ? Buffer.byteLength(line, 'utf8') : line.length;
  if (bytes > maxLineBytes) throw new LineTooLongError(bytes);
  return `${line}\n`;
}

/** The heartbeat line: `{"event":"heartbeat","session_id":null,"data":{}}`. */
export function encodeHeartbeat(): string {
  return '{"event":"heartbeat","session_id":null,"data":{}}\n';
}

/** A registration line for remote debug: `{"type":T,"data":D}` (`remote_entities.go`). */
export function encodeRegistration(type: string, data: unknown): string {
  return `${JSON.stringify({ type, data })}\n`;
}

/** Builds a `blob_chunk` payload; `raw` holds at most {@link BLOB_CHUNK_BYTES} bytes. */
export function blobChunk(
  id: string,
  sequence: number,
  totalLength: number,
  raw: Buffer,
  end: boolean,
  meta: { mime_type: string; filename: string },
): ToolResponseChunk {
  return {
    type: 'blob_chunk',
    message: { id, sequence, total_length: totalLength, blob: raw.toString('base64'), end },
    meta: { ...meta },
  };
}

const MAX_ERROR_MESSAGE_CHARS = 4000;

/**
 * Turns an AppError into the daemon's `ErrorResponse`: `error_type` is our code (or `errorType` when the
 * caller needs a specific name), `args` carries code, retryable flag, zh text and up to 7 scalar details.
 * The message must already be redacted; it is cut to 4000 characters.
 */
export function errorPayload(
  error: Pick<AppError, 'code' | 'retryable' | 'details'>,
  message: string,
  errorType?: string,
): ErrorPayload {
  const args: Record<string, string | number | boolean> = {
    code: error.code,
    retryable: error.retryable,
    message_zh: ERROR_CODES[error.code].zh,
  };
  for (const [key, value] of Object.entries(error.details)) {
    if (Object.keys(args).length >= MAX_ERROR_ARGS) break;
    if (key in args) continue;
    if (typeof value === 'string') args[key] = value.slice(0, 1000);
    else if (typeof value === 'number' || typeof value === 'boolean') args[key] = value;
  }
  return {
    error_type: errorType ?? error.code,
    message:
      message.length > MAX_ERROR_MESSAGE_CHARS ? `${message.slice(0, MAX_ERROR_MESSAGE_CHARS)}…` : message,
    args,
  };
}
