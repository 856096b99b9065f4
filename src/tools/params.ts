// zod helpers that coerce what each face sends into typed parameters. Dify sends `""`/`null` for empty
// optionals and numbers as strings (seed-behaviour.md §10); the CLI sends strings; MCP sends JSON.
import { z } from 'zod';
import type { FileInput } from './tool-declaration.js';

/** Default lifetime of a presigned URL, as in the original plugin. */
export const DEFAULT_SIGN_EXPIRES_SECONDS = 3600;
/** V4 presigned URLs live at most 7 days (help.aliyun.com "Guidelines for upgrading V1 signatures to V4"). */
export const MAX_SIGN_EXPIRES_SECONDS = 604_800;

/** True for the values Dify uses to mean "not set". */
export function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

const trimmedOrUndefined = (value: unknown): unknown =>
  isEmptyValue(value) ? undefined : typeof value === 'string' ? value.trim() : value;

/** An optional string; `""`, spaces and `null` become undefined. */
export function optionalText() {
  return z.preprocess(trimmedOrUndefined, z.string().optional());
}

/** A required, non-empty string (trimmed). */
export function requiredText() {
  return z.preprocess(
    (value) => (typeof value === 'string' ? value.trim() : (value ?? '')),
    z.string().min(1, 'is required'),
  );
}

/** A select: empty means `defaultValue`; anything else must be one of `values`. */
export function choice<const T extends readonly [string, ...string[]]>(values: T, defaultValue: T[number]) {
  return z.preprocess(
    trimmedOrUndefined,
    z.enum(values, { error: `expected one of ${values.join(', ')}` }).default(defaultValue as never),
  );
}

/** A boolean; accepts true/false, "true"/"false", "1"/"0", "yes"/"no", "on"/"off"; empty means `defaultValue`. */
export function flag(defaultValue: boolean) {
  return z.preprocess((value) => {
    if (isEmptyValue(value)) return undefined;
    if (typeof value === 'number') return value !== 0;
    if (typeof value !== 'string') return value;
    const text = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(text)) return true;
    if (['false', '0', 'no', 'off'].includes(text)) return false;
    return value;
  }, z.boolean().default(defaultValue));
}

/**
 * Coerces `sign_expired`: empty, non-numeric, zero or negative values give 3600 (as the community fork
 * does); fractions are floored; anything above 604800 is clamped to 604800 (fixes B7).
 */
export function coerceSignExpires(value: unknown): number {
  const number =
    typeof value === 'string' ? Number(value.trim()) : typeof value === 'number' ? value : Number.NaN;
  if (isEmptyValue(value) || !Number.isFinite(number) || number < 1) return DEFAULT_SIGN_EXPIRES_SECONDS;
  return Math.min(Math.floor(number), MAX_SIGN_EXPIRES_SECONDS);
}

/** `sign_expired` as a schema (never fails; see {@link coerceSignExpires}). */
export function signExpires() {
  return z.preprocess(coerceSignExpires, z.number().int().min(1).max(MAX_SIGN_EXPIRES_SECONDS));
}

/**
 * Turns one raw file value into a {@link FileInput}: a FileInput as is; a Dify file object (`url`,
 * `filename`, `mime_type`, `extension`, `size`, also when it arrives as a plain dict); a string that is an
 * http(s) URL, or else a local path. Returns undefined when the value is none of these.
 */
export function toFileInput(value: unknown): FileInput | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return undefined;
    return /^https?:\/\//i.test(text) ? { kind: 'url', url: text } : { kind: 'path', path: text };
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const kind = record.kind;
  if (kind === 'path' && typeof record.path === 'string') return { kind, path: record.path };
  if (kind === 'url' && typeof record.url === 'string') return { kind, url: record.url };
  if (kind === 'base64' && typeof record.data === 'string' && typeof record.filename === 'string') {
    return {
      kind,
      data: record.data,
      filename: record.filename,
      ...(typeof record.mimeType === 'string' ? { mimeType: record.mimeType } : {}),
    };
  }
  if ((kind === undefined || kind === 'dify') && typeof record.url === 'string') {
    return {
      kind: 'dify',
      url: record.url,
      filename: textOrNull(record.filename),
      mimeType: textOrNull(record.mimeType ?? record.mime_type),
      extension: textOrNull(record.extension),
      size: typeof record.size === 'number' && Number.isFinite(record.size) ? record.size : null,
    };
  }
  return undefined;
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** One file parameter (`file`). */
export function fileParam() {
  return z.unknown().transform((value, context): FileInput => {
    const input = toFileInput(value);
    if (input) return input;
    context.addIssue({ code: 'custom', message: 'expected a file (Dify file, path, URL or base64)' });
    return z.NEVER;
  });
}

/**
 * A list of files (`files`): an array, a single file, or a string of paths/URLs separated by `;` or
 * newlines (the original README's `"file1.jpg;file2.pdf"`).
 */
export function filesParam() {
  return z.unknown().transform((value, context): FileInput[] => {
    const items = Array.isArray(value)
      ? value
      : typeof value === 'string'
        ? value.split(/[;\r\n]+/)
        : value === undefined || value === null
          ? []
          : [value];
    const inputs: FileInput[] = [];
    for (const [index, item] of items.entries()) {
      if (typeof item === 'string' && item.trim() === '') continue;
      const input = toFileInput(item);
      if (!input) {
        context.addIssue({ code: 'custom', message: `item ${index + 1} is not a file`, path: [index] });
        return z.NEVER;
      }
      inputs.push(input);
    }
    if (inputs.length === 0) {
      context.addIssue({ code: 'custom', message: 'is required (at least one file)' });
      return z.NEVER;
    }
    return inputs;
  });
}
