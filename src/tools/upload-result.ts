// The JSON and text results of the upload tools. Keeps the original plugin's fields (status,
// success_count, error_count, files[] of filename, file_type, file_url, file_size_bytes, file_size_mb,
// status) so existing workflows keep working, and adds what the original dropped (B10, B14).
import { redact } from '../config/redact.js';
import type { ErrorCode } from '../errors.js';
import { lastSegment, splitName } from './object-key.js';

/** One stored file. */
export interface UploadSuccess {
  ok: true;
  index: number;
  sourceFilename: string;
  key: string;
  bucket: string;
  publicUrl: string;
  signedUrl?: string | undefined;
  expiresAt?: string | undefined;
  contentType: string;
  etag: string;
  crc64?: string | undefined;
  size: number;
  /** The key first tried when the rename policy moved the file to `name-N.ext`. */
  renamedFrom?: string | undefined;
}

/** One file that could not be stored; keeps its real name (B10). */
export interface UploadFailure {
  ok: false;
  index: number;
  sourceFilename: string;
  code: ErrorCode;
  message: string;
  /** Whether trying again may help (from the underlying error). */
  retryable?: boolean | undefined;
  /** HTTP status of the failed source download or OSS request, when there was one. */
  status?: number | undefined;
  /** Set when the object was stored but a later step failed, so the caller still has the key. */
  key?: string | undefined;
}

export type UploadOutcome = UploadSuccess | UploadFailure;

/** `completed` when every item succeeded, `partial` when some failed, `failed` when all failed. */
export type BatchStatus = 'completed' | 'partial' | 'failed';

/** The status of a batch from its counts. */
export function batchStatus(successCount: number, errorCount: number): BatchStatus {
  if (errorCount === 0) return 'completed';
  return successCount === 0 ? 'failed' : 'partial';
}

const MIB = 1024 * 1024;

/** Builds the JSON result of an upload call, items in input order. */
export function buildUploadJson(outcomes: readonly UploadOutcome[]): Record<string, unknown> {
  const sorted = [...outcomes].sort((a, b) => a.index - b.index);
  const successCount = sorted.filter((item) => item.ok).length;
  const errorCount = sorted.length - successCount;
  return {
    status: batchStatus(successCount, errorCount),
    success_count: successCount,
    error_count: errorCount,
    files: sorted.map((item) => (item.ok ? successJson(item) : failureJson(item))),
  };
}

function successJson(item: UploadSuccess): Record<string, unknown> {
  const filename = lastSegment(item.key);
  return {
    filename,
    // The STORED name's extension (B14: the original reported the source's).
    file_type: splitName(filename).ext.slice(1) || 'unknown',
    file_url: item.signedUrl ?? item.publicUrl,
    file_size_bytes: item.size,
    file_size_mb: Math.round((item.size / MIB) * 100) / 100,
    status: 'success',
    object_key: item.key,
    bucket: item.bucket,
    public_url: item.publicUrl,
    signed_url: item.signedUrl ?? null,
    expires_at: item.expiresAt ?? null,
    content_type: item.contentType,
    etag: item.etag,
    crc64: item.crc64 ?? null,
    source_filename: item.sourceFilename,
    renamed_from: item.renamedFrom ?? null,
  };
}

function failureJson(item: UploadFailure): Record<string, unknown> {
  return {
    filename: item.sourceFilename,
    source_filename: item.sourceFilename,
    status: 'error',
    error_code: item.code,
    error: redact(item.message),
    file_index: item.index,
    ...(item.key ? { object_key: item.key } : {}),
  };
}

/** The text summary, in the original's layout ("Upload completed\nSuccess: 1 files\n…"). */
export function uploadSummaryText(outcomes: readonly UploadOutcome[], batch: boolean): string {
  const sorted = [...outcomes].sort((a, b) => a.index - b.index);
  const successes = sorted.filter((item): item is UploadSuccess => item.ok);
  const failures = sorted.filter((item): item is UploadFailure => !item.ok);
  const lines = [
    batch ? 'Batch upload completed' : 'Upload completed',
    `Success: ${successes.length} files`,
    `Failed: ${failures.length} files`,
    '',
  ];
  if (successes.length > 0) {
    lines.push('Successful files:');
    for (const item of successes) {
      const filename = lastSegment(item.key);
      lines.push(
        `- File name: ${filename}`,
        `  File size: ${(item.size / MIB).toFixed(2)} MB (${item.size} bytes)`,
        `  File type: ${splitName(filename).ext.slice(1) || 'unknown'}`,
        `  File URL: ${item.signedUrl ?? item.publicUrl}`,
        `  Object key: ${item.key}`,
      );
      if (item.renamedFrom) lines.push(`  Renamed from: ${item.renamedFrom} (already existed)`);
    }
  }
  if (failures.length > 0) {
    if (successes.length > 0) lines.push('');
    lines.push('Failed files:');
    for (const item of failures) {
      lines.push(`- File name: ${item.sourceFilename}`, `  Error: [${item.code}] ${redact(item.message)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const NULLABLE_STRING = { type: ['string', 'null'] };

/** JSON Schema of {@link buildUploadJson}'s result (Dify output_schema, MCP outputSchema). */
export const UPLOAD_OUTPUT_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['completed', 'partial', 'failed'] },
    success_count: { type: 'integer' },
    error_count: { type: 'integer' },
    files: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          filename: { type: 'string', description: 'Stored file name (or the source name of a failed item)' },
          file_type: { type: 'string' },
          file_url: { type: 'string', description: 'Signed URL when signed, else the public URL' },
          file_size_bytes: { type: 'integer' },
          file_size_mb: { type: 'number' },
          status: { type: 'string', enum: ['success', 'error'] },
          object_key: { type: 'string' },
          bucket: { type: 'string' },
          public_url: { type: 'string' },
          signed_url: NULLABLE_STRING,
          expires_at: NULLABLE_STRING,
          content_type: { type: 'string' },
          etag: { type: 'string' },
          crc64: NULLABLE_STRING,
          source_filename: { type: 'string' },
          renamed_from: NULLABLE_STRING,
          error_code: { type: 'string' },
          error: { type: 'string' },
          file_index: { type: 'integer' },
        },
        required: ['filename', 'status'],
      },
    },
  },
  required: ['status', 'success_count', 'error_count', 'files'],
};
