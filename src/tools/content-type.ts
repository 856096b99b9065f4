// Which Content-Type and Content-Disposition an uploaded object gets. Policy from
// security-reliability.md §2.6: declared type, else by extension, else sniffed; active content
// (HTML, SVG, XML, JS) is stored as an attachment so a custom domain never serves it inline.
import { create as createContentDisposition } from 'content-disposition';
import mimeTypes from 'mime-types';

/** The type of bytes nobody could name. */
export const OCTET_STREAM = 'application/octet-stream';

const MIME_PATTERN = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;
const ACTIVE_TYPES = new Set([
  'text/html',
  'application/xhtml+xml',
  'image/svg+xml',
  'text/xml',
  'application/xml',
  'text/javascript',
  'application/javascript',
  'application/ecmascript',
  'text/ecmascript',
  'application/wasm',
]);

/** Inputs of {@link chooseContentType}. */
export interface ContentTypeInput {
  /** The type the source declared (Dify's mime_type, base64 mimeType, a fetched Content-Type). */
  declared?: string | null | undefined;
  /** The stored file name, whose extension is the second choice. */
  filename: string;
  /** The type sniffed from the first bytes, the last choice. */
  sniffed?: string | null | undefined;
}

/** The essence (`type/subtype`, lower case) of a media type, or undefined when it is not one. */
export function mimeEssence(value: string | null | undefined): string | undefined {
  const essence = value?.split(';')[0]?.trim().toLowerCase();
  return essence && MIME_PATTERN.test(essence) ? essence : undefined;
}

/**
 * Picks the Content-Type: a declared type (unless it is `application/octet-stream`), else the type of
 * the extension (with `charset=utf-8` for text), else the sniffed type, else `application/octet-stream`.
 */
export function chooseContentType(input: ContentTypeInput): string {
  const declared = mimeEssence(input.declared);
  if (declared && declared !== OCTET_STREAM) {
    const charset = input.declared?.match(/;\s*charset=("?)([\w.:-]+)\1/i)?.[2];
    return charset ? `${declared}; charset=${charset.toLowerCase()}` : withCharset(declared);
  }
  const byExtension = mimeTypes.contentType(input.filename.slice(input.filename.lastIndexOf('.') + 1));
  if (input.filename.includes('.') && byExtension) return byExtension;
  const sniffed = mimeEssence(input.sniffed);
  if (sniffed) return withCharset(sniffed);
  return OCTET_STREAM;
}

/** True for types a browser would run or render as a page (stored-XSS risk on a custom domain). */
export function isActiveContent(contentType: string): boolean {
  return ACTIVE_TYPES.has(mimeEssence(contentType) ?? '');
}

/**
 * The Content-Disposition of a stored object: `attachment` for active content, else `inline`; the name
 * is given as ASCII `filename` plus RFC 5987 `filename*=UTF-8''…` when it is not plain ASCII.
 */
export function contentDispositionFor(filename: string, contentType: string): string {
  // The plain `filename` must be ASCII (HTTP header values); the real name travels in `filename*`.
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return createContentDisposition(filename, {
    type: isActiveContent(contentType) ? 'attachment' : 'inline',
    fallback: ascii,
  });
}

function withCharset(essence: string): string {
  const charset = mimeTypes.charset(essence);
  return charset ? `${essence}; charset=${charset.toLowerCase()}` : essence;
}
