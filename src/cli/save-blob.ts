// Saves a tool's blob (a byte stream of known size) as a file under the output directory: a safe
// file name, never an existing file replaced, the byte count checked, and no partial file left behind.
import { type FileHandle, mkdir, open, rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, toAppError } from '../errors.js';
import { readLater } from '../tools/read-later.js';
import type { BlobMessage, TransferProgress } from '../tools/tool-declaration.js';

/** Where a blob landed. */
export interface SavedBlob {
  path: string;
  size: number;
}

/** Options of {@link saveBlob}. */
export interface SaveBlobOptions {
  outDir: string;
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
  /** Candidate names tried before giving up (`name-1.ext` … `name-N.ext`). Default 1000. */
  maxRenames?: number;
}

/** Most file systems cap a name at 255 bytes. */
const MAX_NAME_BYTES = 255;
const RESERVED = /[/\\:*?"<>|]/g;

/** Replaces control characters (C0 and DEL), which no file name should carry. */
function withoutControls(text: string): string {
  return [...text].map((char) => (char.charCodeAt(0) < 0x20 || char === '\u007f' ? '_' : char)).join('');
}

/**
 * A file name that stays inside the output directory: no folders, no control or reserved characters,
 * no leading dots; `download` when nothing is left. Keeps CJK, spaces and `#`.
 */
export function safeFileName(name: string): string {
  const last = basename(name.replaceAll('\\', '/'));
  const cleaned = withoutControls(last)
    .replace(RESERVED, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  return cleaned === '' ? 'download' : fitBytes(cleaned, MAX_NAME_BYTES);
}

/** Shortens `name` to at most `limit` UTF-8 bytes, keeping its extension and whole characters. */
function fitBytes(name: string, limit: number): string {
  if (Buffer.byteLength(name) <= limit) return name;
  const ext = extname(name);
  let stem = [...name.slice(0, name.length - ext.length)];
  while (stem.length > 0 && Buffer.byteLength(stem.join('') + ext) > limit) stem = stem.slice(0, -1);
  return stem.join('') + ext;
}

/**
 * Streams `blob` into `outDir` (created when missing) under its safe name, or `name-1.ext`, `name-2.ext`
 * … when taken. The file is opened with `wx`, so two runs never overwrite each other.
 * @throws AppError DOWNLOAD_FAILED when the stream ends before or after `blob.size` bytes (the partial
 * file is removed), CANCELLED when `signal` aborts, INTERNAL for file-system errors.
 */
export async function saveBlob(blob: BlobMessage, options: SaveBlobOptions): Promise<SavedBlob> {
  // Ctrl-C aborts the tool's stream too, possibly while the file is still being opened (before pipeline
  // listens); pipeline reports the failure, so an early or late 'error' event must not crash the process.
  readLater(blob.stream);
  await mkdir(options.outDir, { recursive: true });
  const { handle, path } = await openUnique(options.outDir, safeFileName(blob.filename), options.maxRenames);
  let written = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      written += chunk.length;
      options.onProgress?.({ loadedBytes: written, totalBytes: blob.size, label: basename(path) });
      callback(null, chunk);
    },
  });
  try {
    await pipeline(
      blob.stream,
      counter,
      handle.createWriteStream(),
      options.signal ? { signal: options.signal } : {},
    );
    if (written !== blob.size) {
      throw new AppError(
        'DOWNLOAD_FAILED',
        `Expected ${blob.size} bytes for "${blob.filename}" but received ${written}`,
        {
          details: { expected: blob.size, received: written },
        },
      );
    }
    return { path, size: written };
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(path, { force: true });
    throw toAppError(error);
  }
}

async function openUnique(
  dir: string,
  name: string,
  maxRenames = 1000,
): Promise<{ handle: FileHandle; path: string }> {
  const ext = extname(name);
  const stem = ext === '' ? name : name.slice(0, -ext.length);
  for (let attempt = 0; attempt <= maxRenames; attempt += 1) {
    const path = join(dir, attempt === 0 ? name : `${stem}-${attempt}${ext}`);
    try {
      return { handle: await open(path, 'wx'), path };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw toAppError(error);
    }
  }
  throw new AppError('INTERNAL', `Could not find a free file name for "${name}" in the output directory`);
}
