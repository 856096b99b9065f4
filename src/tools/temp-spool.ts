// Gives a body of unknown length an exact size by writing it to a temporary file first (streams, not
// memory): Dify's blob_chunk needs an exact total_length up front. The file is removed once read.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A spooled body: a stream over the temporary file and its exact size. */
export interface SpooledBody {
  stream: Readable;
  size: number;
}

/**
 * Writes `source` to a temporary file and returns a stream over it; the file and its folder are
 * deleted when that stream closes (read to the end or destroyed).
 * @throws whatever `source` fails with (its byte limit, timeouts, cancellation); the file is removed.
 */
export async function spoolToTempFile(source: Readable, signal?: AbortSignal): Promise<SpooledBody> {
  const folder = await mkdtemp(join(tmpdir(), 'oss-dify-'));
  const path = join(folder, 'body');
  const remove = (): void => {
    rm(folder, { recursive: true, force: true }).catch(() => {});
  };
  try {
    await pipeline(source, createWriteStream(path), ...(signal ? [{ signal }] : []));
    const { size } = await stat(path);
    const stream = createReadStream(path);
    stream.once('close', remove);
    return { stream, size };
  } catch (error) {
    remove();
    throw error;
  }
}
