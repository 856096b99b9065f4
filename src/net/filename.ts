// File names for downloads (pure): Content-Disposition (RFC 6266 with RFC 5987/8187 `filename*`),
// the URL path, sanitising (security-reliability.md §2.4) and MIME <-> extension mapping.
import { randomUUID } from 'node:crypto';
import { extension as mimeExtension, lookup as mimeLookup } from 'mime-types';

/** Longest file name kept, in UTF-8 bytes (common file-system limit). */
export const MAX_FILENAME_BYTES = 255;
const MAX_EXTENSION_BYTES = 16;

// mime-db lists some types with a rarely used first extension; prefer the familiar one.
const PREFERRED_EXTENSIONS: Record<string, string> = {
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'video/quicktime': 'mov',
  'application/x-zip-compressed': 'zip',
};

/**
 * Reads the file name from a Content-Disposition header. `filename*` wins over `filename`
 * (RFC 6266 §4.3); a malformed or unsupported `filename*` falls back to `filename`. Parsing is
 * tolerant (hostile servers send broken headers) and the result is sanitised.
 * @returns the sanitised name, or undefined when the header has none that survives sanitising.
 */
export function filenameFromContentDisposition(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const params = parseParameters(header);
  const extended = params.get('filename*');
  const fromExtended = extended === undefined ? undefined : decodeExtValue(extended);
  for (const candidate of [fromExtended, params.get('filename')]) {
    if (candidate === undefined) continue;
    const clean = sanitizeFilename(candidate);
    if (clean !== '') return clean;
  }
  return undefined;
}

/** The last path segment of a URL, percent-decoded and sanitised; undefined when there is none. */
export function filenameFromUrl(url: string): string | undefined {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const segment = pathname.split('/').pop() ?? '';
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A malformed escape keeps its raw form.
  }
  const clean = sanitizeFilename(decoded);
  return clean === '' ? undefined : clean;
}

/**
 * Makes a name safe to use as a file name or last key segment: NFC; `\` treated as `/` and only the
 * last segment kept; control, format (bidi overrides, zero-width) and separator characters removed;
 * `<>:"|?*` removed; dots and spaces trimmed at both ends; `.`/`..` rejected; at most `maxBytes`
 * UTF-8 bytes, keeping the extension. CJK and other letters are kept.
 * @returns the safe name, or '' when nothing usable remains.
 */
export function sanitizeFilename(name: string, maxBytes: number = MAX_FILENAME_BYTES): string {
  const segments = name.normalize('NFC').replace(/\\/g, '/').split('/');
  const last = segments[segments.length - 1] ?? '';
  const cleaned = last
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[<>:"|?*]/g, '')
    .replace(/^[\s.]+|[\s.]+$/gu, '');
  if (cleaned === '' || cleaned === '.' || cleaned === '..') return '';
  return truncateKeepingExtension(cleaned, maxBytes);
}

/** Extension (without the dot) for a MIME type, parameters ignored; undefined when unknown or generic. */
export function extensionForMime(mime: string | undefined): string | undefined {
  if (mime === undefined) return undefined;
  const essence = mime.split(';')[0]?.trim().toLowerCase() ?? '';
  if (essence === '' || essence === 'application/octet-stream') return undefined;
  return PREFERRED_EXTENSIONS[essence] ?? (mimeExtension(essence) || undefined);
}

/** MIME type for a file name from its extension; undefined when unknown. */
export function mimeForFilename(name: string): string | undefined {
  return mimeLookup(name) || undefined;
}

/** The extension of a name (without the dot), or undefined when it has none. */
export function extensionOf(name: string): string | undefined {
  const match = /\.([\p{L}\p{N}_-]+)$/u.exec(name);
  if (!match?.[1] || match.index === 0 || byteLength(match[1]) > MAX_EXTENSION_BYTES) return undefined;
  return match[1];
}

/** Inputs of {@link resolveFilename}. */
export interface FilenameSources {
  contentDisposition?: string | undefined;
  url: string;
  contentType?: string | undefined;
  sniffedMimeType?: string | undefined;
}

/**
 * Picks a download's file name: Content-Disposition, else the URL path, else `download-<id>`; adds
 * an extension from the content type (or the sniffed type) when the name has none.
 */
export function resolveFilename(sources: FilenameSources): string {
  const name =
    filenameFromContentDisposition(sources.contentDisposition) ??
    filenameFromUrl(sources.url) ??
    `download-${randomUUID().slice(0, 8)}`;
  if (extensionOf(name) !== undefined) return name;
  const extension = extensionForMime(sources.contentType) ?? extensionForMime(sources.sniffedMimeType);
  return extension === undefined ? name : sanitizeFilename(`${name}.${extension}`);
}

function parseParameters(header: string): Map<string, string> {
  const params = new Map<string, string>();
  // The disposition type comes first; a header that starts straight with a parameter is tolerated.
  const firstSemicolon = header.indexOf(';');
  const firstEquals = header.indexOf('=');
  let start: number | undefined =
    firstEquals !== -1 && (firstSemicolon === -1 || firstEquals < firstSemicolon) ? 0 : firstSemicolon + 1;
  if (firstSemicolon === -1 && start !== 0) start = undefined;
  while (start !== undefined && start < header.length) {
    const equals = header.indexOf('=', start);
    if (equals === -1) break;
    const name = header.slice(start, equals).trim().toLowerCase();
    let cursor = equals + 1;
    while (header[cursor] === ' ' || header[cursor] === '\t') cursor++;
    let value = '';
    let next: number;
    if (header[cursor] === '"') {
      cursor++;
      while (cursor < header.length && header[cursor] !== '"') {
        if (header[cursor] === '\\' && cursor + 1 < header.length) cursor++;
        value += header[cursor];
        cursor++;
      }
      next = header.indexOf(';', cursor);
    } else {
      next = header.indexOf(';', cursor);
      value = header.slice(cursor, next === -1 ? undefined : next).trim();
    }
    if (!params.has(name)) params.set(name, value);
    start = next === -1 ? undefined : next + 1;
  }
  return params;
}

function decodeExtValue(value: string): string | undefined {
  const match = /^([\w!#$%&+^`{}~-]+)'[^']*'(.*)$/.exec(value.trim());
  if (!match?.[1] || match[2] === undefined) return undefined;
  const charset = match[1].toLowerCase();
  const encoded = match[2];
  try {
    if (charset === 'utf-8') return decodeURIComponent(encoded);
    if (charset === 'iso-8859-1') {
      return encoded.replace(/%([0-9a-f]{2})/gi, (_all, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      );
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function truncateKeepingExtension(name: string, maxBytes: number): string {
  if (byteLength(name) <= maxBytes) return name;
  const extension = extensionOf(name);
  const suffix = extension === undefined ? '' : `.${extension}`;
  const stem = suffix === '' ? name : name.slice(0, -suffix.length);
  const budget = maxBytes - byteLength(suffix);
  let kept = '';
  let used = 0;
  for (const char of stem) {
    const size = byteLength(char);
    if (used + size > budget) break;
    kept += char;
    used += size;
  }
  return `${kept.replace(/[\s.]+$/u, '')}${suffix}`;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
