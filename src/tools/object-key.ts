// Pure object-key building for the upload tools: directory rules, date folders in a time zone, filename
// modes, extension inference, the 1023-byte limit, rename suffixes, and the key_prefix_scope jail.
// I/O (HEAD, forbid-overwrite PUTs) lives in upload-item.ts.
import mimeTypes from 'mime-types';
import { AppError } from '../errors.js';

/** How date folders are laid out under the directory (names kept from the original plugin). */
export const DIRECTORY_MODES = ['no_subdirectory', 'yyyy_mm_dd_hierarchy', 'yyyy_mm_dd_combined'] as const;
export type DirectoryMode = (typeof DIRECTORY_MODES)[number];

/** How the stored file name is composed (names kept from the original plugin). */
export const FILENAME_MODES = ['filename', 'filename_timestamp'] as const;
export type FilenameMode = (typeof FILENAME_MODES)[number];

/** OSS object keys are 1..1023 UTF-8 bytes (OSS "Object naming conventions"). */
export const MAX_KEY_BYTES = 1023;
/** A name shortened to fit keeps at least this many bytes of its base. */
const MIN_BASE_BYTES = 16;
/** Extensions are short runs of letters, digits, `_`, `+`, `-` (so "Dr. Smith" has none). */
const EXTENSION_PATTERN = /^\.[A-Za-z0-9_+-]{1,16}$/;
// C0 and C1 controls, DEL, and bidi/format characters that can spoof a name (security-reliability.md §2.4).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_PATTERN = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_GLOBAL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The pieces of a key: `prefix` ends with `/` (or is empty); `ext` starts with `.` (or is empty). */
export interface KeyPlan {
  prefix: string;
  base: string;
  ext: string;
}

/** Inputs of {@link planObjectKey}. */
export interface KeyInput {
  directory: string;
  directoryMode: DirectoryMode;
  filenameMode: FilenameMode;
  /** The user's custom stored name (single upload only). */
  customFilename?: string | undefined;
  /** The name the source came with (Dify filename, path basename, URL name). */
  sourceFilename?: string | undefined;
  /** Dify's `extension` (`.pdf` or `pdf`). */
  extension?: string | undefined;
  /** The source's MIME type, used to infer an extension when the name has none. */
  mimeType?: string | undefined;
  /** Base used when the source has no name at all (`upload`, or `upload_3` inside a batch). */
  fallbackBase: string;
  now: Date;
  /** IANA time zone of date folders and timestamps. */
  timeZone: string;
  /** settings.key_prefix_scope; the directory is taken relative to it unless it already starts with it. */
  scope?: string | undefined;
}

/**
 * Validates a directory: trims spaces, rejects a leading `/` or `\`, `.`/`..`, control characters and
 * empty segments, trims trailing `/`. Returns it without a trailing slash.
 * @throws AppError KEY_INVALID naming the rule.
 */
export function normalizeDirectory(directory: string, what = 'directory'): string {
  const trimmed = directory.trim();
  if (trimmed === '') throw keyInvalid(`${what} is empty`);
  if (trimmed.startsWith('/') || trimmed.startsWith('\\'))
    throw keyInvalid(`${what} must not start with / or \\`);
  if (CONTROL_PATTERN.test(trimmed)) throw keyInvalid(`${what} contains control characters`);
  if (trimmed.includes('\\')) throw keyInvalid(`${what} must not contain \\`);
  const withoutTrailing = trimmed.replace(/\/+$/, '');
  for (const segment of withoutTrailing.split('/')) {
    if (segment === '') throw keyInvalid(`${what} has an empty segment (//)`);
    if (segment === '.' || segment === '..') throw keyInvalid(`${what} must not contain "${segment}"`);
    if (/%2e%2e|%2f|%5c/i.test(segment)) throw keyInvalid(`${what} contains an encoded path separator`);
  }
  return withoutTrailing;
}

/** Wall-clock parts of `date` in `timeZone` (zero-padded strings). */
export function datePartsIn(
  date: Date,
  timeZone: string,
): { year: string; month: string; day: string; hour: string; minute: string; second: string; ms: string } {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(date)) parts[part.type] = part.value;
  return {
    year: (parts.year ?? '').padStart(4, '0'),
    month: parts.month ?? '',
    day: parts.day ?? '',
    hour: parts.hour ?? '',
    minute: parts.minute ?? '',
    second: parts.second ?? '',
    ms: String(date.getUTCMilliseconds()).padStart(3, '0'),
  };
}

/** Splits a file name into base and lower-cased extension; `.env` and `README` have none. */
export function splitName(name: string): { base: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { base: name, ext: '' };
  const ext = name.slice(dot);
  if (!EXTENSION_PATTERN.test(ext)) return { base: name, ext: '' };
  return { base: name.slice(0, dot), ext: ext.toLowerCase() };
}

/** An extension (`.pdf`) from Dify's `extension` field, else from the MIME type; '' when unknown. */
export function inferExtension(extension?: string, mimeType?: string): string {
  if (extension) {
    const candidate = extension.startsWith('.') ? extension : `.${extension}`;
    if (EXTENSION_PATTERN.test(candidate)) return candidate.toLowerCase();
  }
  if (mimeType) {
    const essence = mimeType.split(';')[0]!.trim().toLowerCase();
    const found = essence === 'application/octet-stream' ? false : mimeTypes.extension(essence);
    if (found) return `.${found}`;
  }
  return '';
}

/** Cleans a source file name: NFC, last path segment, no controls or reserved characters. '' if nothing is left. */
export function cleanSourceName(name: string | undefined | null): string {
  if (!name) return '';
  const last = name.normalize('NFC').replace(/\\/g, '/').split('/').pop() ?? '';
  // Trailing dots and spaces go (Windows drops them anyway); a leading dot stays (`.env`).
  const cleaned = last
    .replace(CONTROL_GLOBAL, '')
    .replace(/[<>:"|?*]/g, '')
    .trim()
    .replace(/[\s.]+$/, '');
  return /^\.*$/.test(cleaned) ? '' : cleaned;
}

/**
 * Plans the key of one upload: `<scope>/<directory>/<date folders>/<base><_timestamp><ext>`.
 * @throws AppError KEY_INVALID for a bad directory or custom filename, KEY_OUT_OF_SCOPE for an escape.
 */
export function planObjectKey(input: KeyInput): KeyPlan {
  const scope = scopePrefix(input.scope);
  if (scope && looksLikeEscape(input.directory)) throw outOfScope(input.directory);
  const directory = applyScope(normalizeDirectory(input.directory), scope);
  const date = datePartsIn(input.now, input.timeZone);
  const dateFolder =
    input.directoryMode === 'yyyy_mm_dd_hierarchy'
      ? `${date.year}/${date.month}/${date.day}/`
      : input.directoryMode === 'yyyy_mm_dd_combined'
        ? `${date.year}${date.month}${date.day}/`
        : '';
  const { subfolder, base, ext } = chooseName(input);
  const stamped =
    input.filenameMode === 'filename_timestamp'
      ? `${base}_${date.year}${date.month}${date.day}${date.hour}${date.minute}${date.second}${date.ms}`
      : base;
  const plan = { prefix: `${directory}/${dateFolder}${subfolder}`, base: stamped, ext };
  assertKeyInScope(keyFromPlan(plan), input.scope);
  return plan;
}

function chooseName(input: KeyInput): { subfolder: string; base: string; ext: string } {
  const source = splitName(cleanSourceName(input.sourceFilename));
  const inferred = source.ext || inferExtension(input.extension, input.mimeType);
  const custom = input.customFilename?.trim();
  if (custom) {
    if (/^[\s/\\]/.test(input.customFilename ?? ''))
      throw keyInvalid('filename must not start with space, / or \\');
    // A `/` inside a custom name makes sub-folders, as in the original; each one obeys the directory rules.
    const slash = custom.lastIndexOf('/');
    if (slash > 0 && custom[slash - 1] === '/') throw keyInvalid('filename has an empty segment (//)');
    const subfolder = slash === -1 ? '' : `${normalizeDirectory(custom.slice(0, slash), 'filename')}/`;
    const name = custom.slice(slash + 1);
    if (name === '' || name === '.' || name === '..' || CONTROL_PATTERN.test(name) || name.includes('\\'))
      throw keyInvalid('filename is not a valid name');
    const dot = name.lastIndexOf('.');
    const typedExt = dot > 0 && EXTENSION_PATTERN.test(name.slice(dot)) ? name.slice(dot) : '';
    // A typed extension is kept as typed; without one, the source's extension is appended.
    return typedExt
      ? { subfolder, base: name.slice(0, dot), ext: typedExt }
      : { subfolder, base: name, ext: inferred };
  }
  return { subfolder: '', base: source.base || input.fallbackBase, ext: inferred };
}

/**
 * The key of a plan, with `-<suffix>` before the extension when `suffix > 0` (rename policy), shortened
 * so it fits {@link MAX_KEY_BYTES} while keeping the prefix, suffix and extension.
 * @throws AppError KEY_INVALID when the prefix alone leaves no room for a name.
 */
export function keyFromPlan(plan: KeyPlan, suffix = 0): string {
  const tail = `${suffix > 0 ? `-${suffix}` : ''}${plan.ext}`;
  const room = MAX_KEY_BYTES - byteLength(plan.prefix) - byteLength(tail);
  if (room < MIN_BASE_BYTES) throw keyInvalid(`key prefix is too long (over ${MAX_KEY_BYTES} bytes)`);
  return `${plan.prefix}${truncateBytes(plan.base, room)}${tail}`;
}

/** The stored file name (last segment) of a key. */
export function lastSegment(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** `scope` as a prefix ending in `/`, or '' for no scope. */
export function scopePrefix(scope: string | undefined): string {
  const trimmed = scope?.trim().replace(/^\/+|\/+$/g, '') ?? '';
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** Puts a validated relative path under the scope, unless it already starts with the scope. */
export function applyScope(path: string, scope: string | undefined): string {
  const prefix = scopePrefix(scope);
  if (!prefix || `${path}/`.startsWith(prefix)) return path;
  return `${prefix}${path}`;
}

/**
 * Asserts that `key` stays under `key_prefix_scope`: after percent-decoding and turning `\` into `/`,
 * it must start with the scope and hold no `.`, `..` or empty segment.
 * @throws AppError KEY_OUT_OF_SCOPE when it does not.
 */
export function assertKeyInScope(key: string, scope: string | undefined): void {
  const prefix = scopePrefix(scope);
  if (!prefix) return;
  if (!key.startsWith(prefix) || looksLikeEscape(key)) throw outOfScope(key);
}

/** True when a path, decoded, would climb or hide a segment (`..`, `.`, `//`, `\`, encoded forms). */
function looksLikeEscape(path: string): boolean {
  let decoded = path;
  for (let round = 0; round < 3; round += 1) {
    try {
      const next = decodeURIComponent(decoded);
      if (next === decoded) break;
      decoded = next;
    } catch {
      return true;
    }
  }
  if (decoded.includes('\\') || decoded.startsWith('/')) return true;
  const segments = decoded.replace(/\/+$/, '').split('/');
  return segments.some((segment) => segment === '' || segment === '.' || segment === '..');
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a code point. */
function truncateBytes(text: string, maxBytes: number): string {
  if (byteLength(text) <= maxBytes) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = byteLength(char);
    if (used + size > maxBytes) break;
    out += char;
    used += size;
  }
  return out;
}

function keyInvalid(message: string): AppError {
  return new AppError('KEY_INVALID', `Invalid object key: ${message}`);
}

function outOfScope(path: string): AppError {
  return new AppError(
    'KEY_OUT_OF_SCOPE',
    'The object key is outside the allowed key prefix (key_prefix_scope)',
    {
      details: { key: path.slice(0, 200) },
    },
  );
}
