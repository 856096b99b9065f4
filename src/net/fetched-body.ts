// What both fetchers return, and the response checks they share: status, identity encoding, the
// Content-Length pre-check, the streaming byte limit, sniffing and the resolved file name.
import type { Readable } from 'node:stream';
import { AppError } from '../errors.js';
import { resolveFilename } from './filename.js';
import { LimitedBody } from './limited-body.js';
import { peekHead, SNIFF_BYTES, sniffMime } from './sniff.js';
import type { TransferFailureContext } from './transfer-errors.js';

/** A downloaded body, still streaming. Consume or destroy `stream`; either releases the connection. */
export interface FetchedBody {
  /** The body bytes exactly as sent (never decompressed); the byte limit and timeouts apply while reading. */
  stream: Readable;
  /** From Content-Length when present and within the limit. */
  size?: number;
  /** The response Content-Type, parameters kept. */
  contentType?: string;
  /** MIME type detected from the first bytes, when file-type knows the format. */
  sniffedMimeType?: string;
  /** Content-Disposition (`filename*` wins) > URL path > `download-<id>`, with an extension when missing. */
  filename: string;
  /** The URL that answered, after redirects. */
  finalUrl: string;
  status: number;
}

/** The parts of an undici response the checks need. */
export interface ResponseParts {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

/** Options of {@link openFetchedBody}. */
export interface OpenBodyOptions {
  maxBytes: number;
  finalUrl: string;
  /** The final URL, redacted, for error details. */
  shownUrl: string;
  failureContext: () => Omit<TransferFailureContext, 'url' | 'phase'>;
  onClose: () => void;
}

/** Throws a body away without letting its abort error go unhandled. */
export function discardBody(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** Reads a header as one string (first value of a repeated header). */
export function headerValue(headers: ResponseParts['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Applies the shared response rules and wraps the body.
 * @throws AppError DOWNLOAD_FAILED (non-2xx, details.status), CONTENT_ENCODING_NOT_ALLOWED,
 *   FILE_TOO_LARGE (declared length over the limit, before any body byte is read).
 */
export async function openFetchedBody(
  response: ResponseParts,
  options: OpenBodyOptions,
): Promise<FetchedBody> {
  const { statusCode, headers, body } = response;
  const url = options.shownUrl;
  if (statusCode < 200 || statusCode > 299) {
    throw new AppError('DOWNLOAD_FAILED', `The server answered HTTP ${statusCode}`, {
      details: { url, status: statusCode },
      retryable: statusCode >= 500 || statusCode === 429 || statusCode === 408,
    });
  }
  const encoding = headerValue(headers, 'content-encoding')?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    throw new AppError('CONTENT_ENCODING_NOT_ALLOWED', `The server sent Content-Encoding "${encoding}"`, {
      details: { url, contentEncoding: encoding.slice(0, 100) },
    });
  }
  const declared = parseContentLength(headerValue(headers, 'content-length'));
  if (declared !== undefined && declared > options.maxBytes) {
    throw new AppError(
      'FILE_TOO_LARGE',
      `The server declares ${declared} bytes; the limit is ${options.maxBytes}`,
      {
        details: { url, declaredBytes: declared, maxBytes: options.maxBytes },
      },
    );
  }
  const limited = new LimitedBody(body, {
    maxBytes: options.maxBytes,
    expectedBytes: declared,
    url,
    failureContext: options.failureContext,
    onClose: options.onClose,
  });
  // Until a consumer reads the body, an abort or limit error would be an unhandled 'error' event and
  // crash the process; a consumer still sees the error (a destroyed stream rejects its reads).
  limited.on('error', () => undefined);
  let peeked: { head: Uint8Array; stream: Readable };
  let sniffedMimeType: string | undefined;
  try {
    peeked = await peekHead(limited, SNIFF_BYTES);
    sniffedMimeType = await sniffMime(peeked.head);
  } catch (error) {
    limited.destroy();
    throw error;
  }
  const { stream } = peeked;
  const contentType = headerValue(headers, 'content-type')?.trim() || undefined;
  const filename = resolveFilename({
    contentDisposition: headerValue(headers, 'content-disposition'),
    url: options.finalUrl,
    contentType,
    sniffedMimeType,
  });
  return {
    stream,
    ...(declared === undefined ? {} : { size: declared }),
    ...(contentType === undefined ? {} : { contentType }),
    ...(sniffedMimeType === undefined ? {} : { sniffedMimeType }),
    filename,
    finalUrl: options.finalUrl,
    status: statusCode,
  };
}

function parseContentLength(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d{1,16}\s*$/.test(value)) return undefined;
  const length = Number(value);
  return Number.isSafeInteger(length) ? length : undefined;
}
