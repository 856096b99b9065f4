// Renders the tool core's messages as `invoke_tool` stream payloads (dify-protocol.md §4): text, json,
// link and variable as one chunk each, blobs as `blob_chunk`s cut while their bytes arrive.
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.js';
import type { BlobMessage, ToolMessage } from '../tools/tool-declaration.js';
import { BLOB_CHUNK_BYTES, blobChunk, type ToolResponseChunk } from './protocol.js';

/** Sends stream payloads (in one write) and resolves when the output accepted them (backpressure). */
export type SendChunk = (...chunks: ToolResponseChunk[]) => Promise<void>;

/** Blob chunks written together at most (128 KiB raw): fewer writes, bounded memory. */
export const BLOB_CHUNKS_PER_WRITE = 16;

/** Text longer than this (UTF-16 units) goes out as several `text` chunks, so no line passes 5 MiB. */
export const TEXT_PIECE_CHARS = 512 * 1024;

/** Cuts text into pieces without splitting a surrogate pair; Dify concatenates text chunks. */
export function splitText(text: string, pieceChars: number = TEXT_PIECE_CHARS): string[] {
  if (text.length <= pieceChars) return [text];
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + pieceChars, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/** Renders one ToolMessage through `send`; blobs are streamed (see {@link sendBlob}). */
export async function sendToolMessage(
  message: ToolMessage,
  send: SendChunk,
  signal: AbortSignal,
): Promise<void> {
  switch (message.type) {
    case 'text':
      for (const text of splitText(message.text)) await send({ type: 'text', message: { text }, meta: null });
      return;
    case 'json':
      await send({ type: 'json', message: { json_object: message.json }, meta: null });
      return;
    case 'link':
      await send({ type: 'link', message: { text: message.url }, meta: null });
      return;
    case 'variable':
      await send({
        type: 'variable',
        message: {
          variable_name: message.name,
          variable_value: message.value,
          stream: message.stream ?? false,
        },
        meta: null,
      });
      return;
    case 'blob':
      await sendBlob(message, send, signal);
      return;
  }
}

/**
 * Streams a blob as `blob_chunk`s: at most 8192 raw bytes each, sequence from 0, `total_length` =
 * `blob.size`, the same meta on every chunk, then an empty chunk with `end: true` (the SDK's algorithm,
 * dify_plugin `plugin.py`). Reads only as fast as `send` resolves, so memory stays flat.
 * @throws AppError DIFY_BLOB_SIZE_MISMATCH when the stream yields more or fewer bytes than `size`;
 * CANCELLED when `signal` aborts.
 */
export async function sendBlob(blob: BlobMessage, send: SendChunk, signal: AbortSignal): Promise<void> {
  const id = randomUUID().replaceAll('-', '');
  const meta = { mime_type: blob.mimeType || 'application/octet-stream', filename: blob.filename };
  const mismatch = (seen: number): AppError =>
    new AppError(
      'DIFY_BLOB_SIZE_MISMATCH',
      `File output "${blob.filename}" yielded ${seen === -1 ? 'more' : seen} bytes, declared ${blob.size}`,
      { details: { filename: blob.filename, declared_bytes: blob.size } },
    );
  let sequence = 0;
  let total = 0;
  // Bytes short of a full chunk, carried to the next piece: the only bytes ever copied (< 8 KiB).
  let carry = Buffer.alloc(0);
  const chunkOf = (raw: Buffer): ToolResponseChunk => blobChunk(id, sequence++, blob.size, raw, false, meta);
  try {
    for await (const piece of blob.stream) {
      if (signal.aborted) throw new AppError('CANCELLED');
      let bytes = asBuffer(piece);
      total += bytes.length;
      if (total > blob.size) throw mismatch(-1);
      const batch: ToolResponseChunk[] = [];
      if (carry.length > 0) {
        const missing = BLOB_CHUNK_BYTES - carry.length;
        if (bytes.length < missing) {
          carry = Buffer.concat([carry, bytes]);
          continue;
        }
        batch.push(chunkOf(Buffer.concat([carry, bytes.subarray(0, missing)])));
        bytes = bytes.subarray(missing);
        carry = Buffer.alloc(0);
      }
      let offset = 0;
      while (bytes.length - offset >= BLOB_CHUNK_BYTES) {
        batch.push(chunkOf(bytes.subarray(offset, offset + BLOB_CHUNK_BYTES)));
        offset += BLOB_CHUNK_BYTES;
        if (batch.length === BLOB_CHUNKS_PER_WRITE) await send(...batch.splice(0));
      }
      if (batch.length > 0) await send(...batch);
      // A copy, so the remainder does not pin the whole piece it came from.
      if (offset < bytes.length) carry = Buffer.from(bytes.subarray(offset));
    }
  } finally {
    if (!blob.stream.destroyed) blob.stream.destroy();
  }
  if (carry.length > 0) await send(chunkOf(carry));
  if (total !== blob.size) throw mismatch(total);
  await send(blobChunk(id, sequence, blob.size, Buffer.alloc(0), true, meta));
}

/** A view of a stream piece as a Buffer, without copying its bytes. */
function asBuffer(piece: unknown): Buffer {
  if (Buffer.isBuffer(piece)) return piece;
  if (typeof piece === 'string') return Buffer.from(piece);
  const view = piece as Uint8Array;
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}
