// Opens a FileInput as a byte stream for upload: a Dify file through the trusted fetcher, an http(s)
// URL through the guarded fetcher, a local path (CLI, or MCP under local_path_root), or base64 content.
// A source can be opened again, which the rename policy needs after losing a race for a name.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '../errors.js';
import { filenameFromUrl } from '../net/filename.js';
import { peekHead, SNIFF_BYTES, sniffMime } from '../net/sniff.js';
import type { ToolContext } from './tool-context.js';
import type { FileInput } from './tool-declaration.js';

/** Largest object OSS stores (48.8 TB), the byte cap of upload sources that have no smaller limit. */
export const OSS_MAX_OBJECT_BYTES = 48_800 * 1024 ** 3;

/** An opened source: the bytes plus what is known about them. */
export interface OpenedSource {
  stream: Readable;
  /** Exact size when known in advance (Content-Length, file size, decoded base64). */
  size?: number | undefined;
  filename?: string | undefined;
  /** The type the source declared (Dify mime_type, response Content-Type, base64 mimeType). */
  mimeType?: string | undefined;
  /** Dify's `extension` field. */
  extension?: string | undefined;
  /** The type found in the first bytes, when known. */
  sniffedMimeType?: string | undefined;
}

/** A source that can be opened (again). `label` is its real name, for per-item errors. */
export interface FileSource {
  label: string;
  open(): Promise<OpenedSource>;
}

/**
 * The source of one FileInput. Nothing is read until `open()`.
 * @throws AppError PATH_NOT_ALLOWED (from open) for a local path outside the CLI or outside MCP's
 * local_path_root; FILE_URL_RELATIVE for a relative Dify URL; FILE_SOURCE_INVALID for bad base64;
 * the fetchers' codes for URLs.
 */
export function fileSourceFor(input: FileInput, context: ToolContext): FileSource {
  switch (input.kind) {
    case 'dify':
      return {
        label: input.filename || filenameFromUrl(input.url) || 'file',
        open: async () => {
          if (!/^https?:\/\//i.test(input.url.trim())) {
            throw new AppError('FILE_URL_RELATIVE', undefined, {
              details: { path: input.url.split('?')[0]?.slice(0, 200) },
            });
          }
          const body = await context.fetchers.trusted(input.url, {
            maxBytes: OSS_MAX_OBJECT_BYTES,
            signal: context.signal,
          });
          return {
            stream: body.stream,
            size: body.size,
            // Not body.filename: the URL's last segment of a Dify file is `file-preview`.
            filename: input.filename || undefined,
            mimeType: input.mimeType || body.contentType,
            extension: input.extension ?? undefined,
            sniffedMimeType: body.sniffedMimeType,
          };
        },
      };
    case 'url':
      return {
        label: filenameFromUrl(input.url) || input.url.slice(0, 100),
        open: async () => {
          const body = await context.fetchers.guarded(input.url, {
            maxBytes: context.settings.max_download_mb * 1024 * 1024,
            allowedHosts: context.settings.public_download_allowed_hosts,
            signal: context.signal,
          });
          return {
            stream: body.stream,
            size: body.size,
            filename: body.filename,
            mimeType: body.contentType,
            sniffedMimeType: body.sniffedMimeType,
          };
        },
      };
    case 'path':
      return { label: basename(input.path), open: () => openPath(input.path, context) };
    case 'base64':
      return { label: input.filename, open: async () => openBase64(input) };
  }
}

async function openPath(path: string, context: ToolContext): Promise<OpenedSource> {
  const real = await allowedPath(path, context);
  const info = await stat(real);
  if (!info.isFile()) throw new AppError('FILE_SOURCE_INVALID', 'The path is not a regular file');
  const peeked = await peekHead(createReadStream(real), SNIFF_BYTES);
  return {
    stream: peeked.stream,
    size: info.size,
    filename: basename(path),
    sniffedMimeType: await sniffMime(peeked.head),
  };
}

/** Local paths: always in the CLI; in MCP only under settings.local_path_root; never from Dify. */
async function allowedPath(path: string, context: ToolContext): Promise<string> {
  const root = context.settings.local_path_root;
  if (context.face === 'cli') return realpathOrThrow(resolve(path));
  if (context.face === 'mcp' && root) {
    const realRoot = await realpathOrThrow(resolve(root));
    const real = await realpathOrThrow(resolve(realRoot, path));
    // Symlinks are resolved first, so a link inside the root cannot point outside it.
    if (real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : `${realRoot}${sep}`))
      return real;
  }
  throw new AppError('PATH_NOT_ALLOWED', undefined, { details: { face: context.face } });
}

async function realpathOrThrow(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (cause) {
    throw new AppError('FILE_SOURCE_INVALID', 'The local file does not exist or cannot be read', { cause });
  }
}

async function openBase64(input: Extract<FileInput, { kind: 'base64' }>): Promise<OpenedSource> {
  const text = input.data.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text) || text.length % 4 === 1) {
    throw new AppError('FILE_SOURCE_INVALID', 'The base64 content is not valid base64');
  }
  const bytes = Buffer.from(text, 'base64');
  return {
    stream: Readable.from([bytes]),
    size: bytes.length,
    filename: input.filename,
    mimeType: input.mimeType,
    sniffedMimeType: await sniffMime(bytes.subarray(0, SNIFF_BYTES)),
  };
}
