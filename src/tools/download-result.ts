// The JSON and text results of the download tools: per-object metadata, a machine-readable batch
// summary with per-item errors (B10: the original's batch download had none), and a short text line.
import { redact, redactUrl } from '../config/redact.js';
import type { ErrorCode } from '../errors.js';
import { batchStatus } from './upload-result.js';

/** Metadata of one downloaded object or public file. */
export interface DownloadSuccess {
  ok: true;
  index: number;
  url: string;
  key?: string | undefined;
  bucket?: string | undefined;
  filename: string;
  size: number;
  contentType: string;
  etag?: string | undefined;
  lastModified?: string | undefined;
}

/** One URL that could not be downloaded. */
export interface DownloadFailure {
  ok: false;
  index: number;
  url: string;
  code: ErrorCode;
  message: string;
}

export type DownloadOutcome = DownloadSuccess | DownloadFailure;

const MIB = 1024 * 1024;

/** The JSON metadata of one download (key, size, content_type, etag, last_modified, …). */
export function downloadItemJson(item: DownloadSuccess): Record<string, unknown> {
  return {
    status: 'success',
    url: redactUrl(item.url),
    key: item.key ?? null,
    bucket: item.bucket ?? null,
    filename: item.filename,
    size: item.size,
    file_size_mb: Math.round((item.size / MIB) * 100) / 100,
    content_type: item.contentType,
    etag: item.etag ?? null,
    last_modified: item.lastModified ?? null,
  };
}

/** The JSON summary of a batch download, items in input order. */
export function buildDownloadJson(outcomes: readonly DownloadOutcome[]): Record<string, unknown> {
  const sorted = [...outcomes].sort((a, b) => a.index - b.index);
  const successes = sorted.filter((item): item is DownloadSuccess => item.ok);
  const errorCount = sorted.length - successes.length;
  return {
    status: batchStatus(successes.length, errorCount),
    success_count: successes.length,
    error_count: errorCount,
    total_size_bytes: successes.reduce((sum, item) => sum + item.size, 0),
    files: sorted.map((item) =>
      item.ok
        ? { index: item.index, ...downloadItemJson(item) }
        : {
            index: item.index,
            status: 'error',
            url: redactUrl(item.url),
            error_code: item.code,
            error: redact(item.message),
          },
    ),
  };
}

/** One line for a single download ("File downloaded: a.pdf (1.20 MB, application/pdf)"). */
export function downloadLine(item: DownloadSuccess): string {
  return `File downloaded: ${item.filename} (${(item.size / MIB).toFixed(2)} MB, ${item.contentType})`;
}

/** The text summary of a batch download, with the failed count the original lacked. */
export function batchDownloadText(outcomes: readonly DownloadOutcome[]): string {
  const successes = outcomes.filter((item): item is DownloadSuccess => item.ok);
  const failures = outcomes.filter((item): item is DownloadFailure => !item.ok);
  const total = successes.reduce((sum, item) => sum + item.size, 0);
  const lines = [
    'Batch download completed',
    `Successfully downloaded: ${successes.length} files`,
    `Failed: ${failures.length} files`,
    `Total size: ${(total / MIB).toFixed(2)} MB`,
  ];
  for (const item of [...failures].sort((a, b) => a.index - b.index)) {
    lines.push(`- ${redactUrl(item.url)}: [${item.code}] ${redact(item.message)}`);
  }
  return `${lines.join('\n')}\n`;
}

const NULLABLE_STRING = { type: ['string', 'null'] };

const ITEM_PROPERTIES = {
  status: { type: 'string', enum: ['success', 'error'] },
  url: { type: 'string', description: 'The input URL without its query string' },
  key: NULLABLE_STRING,
  bucket: NULLABLE_STRING,
  filename: { type: 'string' },
  size: { type: 'integer' },
  file_size_mb: { type: 'number' },
  content_type: { type: 'string' },
  etag: NULLABLE_STRING,
  last_modified: NULLABLE_STRING,
};

/** JSON Schema of one download's metadata. */
export const DOWNLOAD_ITEM_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: ITEM_PROPERTIES,
  required: ['status', 'filename', 'size', 'content_type'],
};

/** JSON Schema of a batch download's summary. */
export const BATCH_DOWNLOAD_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['completed', 'partial', 'failed'] },
    success_count: { type: 'integer' },
    error_count: { type: 'integer' },
    total_size_bytes: { type: 'integer' },
    files: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          ...ITEM_PROPERTIES,
          index: { type: 'integer' },
          error_code: { type: 'string' },
          error: { type: 'string' },
        },
        required: ['index', 'status', 'url'],
      },
    },
  },
  required: ['status', 'success_count', 'error_count', 'files'],
};
