// Stores one file: open the source, plan the key, claim a free name under the overwrite policy, stream
// it into OSS with its content type, and build the returned URLs. Shared by both upload tools; never
// throws for a per-item failure (returns it), only for cancellation.
import { AppError, isAppError, toAppError } from '../errors.js';
import { chooseContentType, contentDispositionFor } from './content-type.js';
import { type FileSource, fileSourceFor, type OpenedSource } from './file-source.js';
import {
  type DirectoryMode,
  type FilenameMode,
  keyFromPlan,
  lastSegment,
  planObjectKey,
} from './object-key.js';
import type { ToolContext } from './tool-context.js';
import type { FileInput, ToolMessage } from './tool-declaration.js';
import { buildUploadJson, type UploadOutcome, uploadSummaryText } from './upload-result.js';

/** Names tried by the rename policy before giving up (`name.ext`, `name-1.ext` … `name-99.ext`). */
export const MAX_RENAME_ATTEMPTS = 100;

/** Options shared by every item of one upload call. */
export interface UploadOptions {
  directory: string;
  directoryMode: DirectoryMode;
  filenameMode: FilenameMode;
  signed: boolean;
  signExpires: number;
  /** Keys claimed by this call so far, so duplicates inside one batch get renamed too. */
  claimed: Set<string>;
}

/** The parameters every upload tool shares, under the names Dify uses. */
export interface UploadToolParams {
  directory: string;
  directory_mode: DirectoryMode;
  filename_mode: FilenameMode;
  signed: boolean;
  sign_expired: number;
}

/** The options of one upload call from the tools' shared parameters, with a fresh set of claimed keys. */
export function uploadOptionsOf(params: UploadToolParams): UploadOptions {
  return {
    directory: params.directory,
    directoryMode: params.directory_mode,
    filenameMode: params.filename_mode,
    signed: params.signed,
    signExpires: params.sign_expired,
    claimed: new Set(),
  };
}

/**
 * Stores one file and yields upload_file's text and JSON; a failure is thrown as its AppError, naming
 * the real file name (and the object key when the object was stored before the failure).
 */
export async function* uploadSingle(
  job: UploadJob,
  params: UploadToolParams,
  context: ToolContext,
): AsyncGenerator<ToolMessage> {
  const outcome = await uploadItem(job, uploadOptionsOf(params), context);
  if (!outcome.ok) {
    throw new AppError(outcome.code, `Failed to upload ${outcome.sourceFilename}: ${outcome.message}`, {
      details: {
        filename: outcome.sourceFilename,
        ...(outcome.key ? { object_key: outcome.key } : {}),
        ...(outcome.status ? { status: outcome.status } : {}),
      },
      ...(outcome.retryable === undefined ? {} : { retryable: outcome.retryable }),
    });
  }
  yield { type: 'text', text: uploadSummaryText([outcome], false) };
  yield { type: 'json', json: buildUploadJson([outcome]) };
}

/** One item of an upload call. */
export interface UploadJob {
  index: number;
  input: FileInput;
  customFilename?: string | undefined;
  /** Base name when the source has none (`upload`, `upload_2`). */
  fallbackBase: string;
}

/** Uploads one file; a failure comes back as an outcome with its code and real file name. */
export async function uploadItem(
  job: UploadJob,
  options: UploadOptions,
  context: ToolContext,
): Promise<UploadOutcome> {
  let source: FileSource | undefined;
  let storedKey: string | undefined;
  try {
    source = fileSourceFor(job.input, context);
    const stored = await storeWithPolicy(source, job, options, context);
    storedKey = stored.key;
    const publicUrl = context.urls.publicUrl(stored.key);
    // The URL is computed only after a successful PUT (B7); sign_expired was coerced by the schema.
    const signed = options.signed ? await context.urls.signedUrl(stored.key, options.signExpires) : undefined;
    return {
      ok: true,
      index: job.index,
      sourceFilename: stored.sourceFilename ?? source.label,
      key: stored.key,
      bucket: context.bucket,
      publicUrl,
      signedUrl: signed?.url,
      expiresAt: signed?.expiresAt,
      contentType: stored.contentType,
      etag: stored.etag,
      crc64: stored.crc64,
      size: stored.size,
      renamedFrom: stored.renamedFrom,
    };
  } catch (error) {
    if (context.signal.aborted) throw toAppError(context.signal.reason ?? error);
    const appError = toAppError(error);
    if (!isAppError(error)) context.logger.error('upload failed', { error });
    return {
      ok: false,
      index: job.index,
      sourceFilename: source?.label ?? `file_${job.index + 1}`,
      code: appError.code,
      message: appError.message,
      retryable: appError.retryable,
      status: typeof appError.details?.status === 'number' ? appError.details.status : undefined,
      key: storedKey,
    };
  }
}

interface Stored {
  key: string;
  etag: string;
  crc64?: string | undefined;
  size: number;
  contentType: string;
  sourceFilename?: string | undefined;
  renamedFrom?: string | undefined;
}

async function storeWithPolicy(
  source: FileSource,
  job: UploadJob,
  options: UploadOptions,
  context: ToolContext,
): Promise<Stored> {
  const policy = context.settings.overwrite;
  let opened: OpenedSource | undefined = await source.open();
  try {
    const plan = planObjectKey({
      directory: options.directory,
      directoryMode: options.directoryMode,
      filenameMode: options.filenameMode,
      customFilename: job.customFilename,
      sourceFilename: opened.filename,
      extension: opened.extension,
      mimeType: opened.mimeType ?? opened.sniffedMimeType,
      fallbackBase: job.fallbackBase,
      now: context.now(),
      timeZone: context.settings.timezone,
      scope: context.settings.key_prefix_scope,
    });
    const firstKey = keyFromPlan(plan);
    for (let attempt = 0; attempt < MAX_RENAME_ATTEMPTS; attempt += 1) {
      const key = keyFromPlan(plan, attempt);
      if (options.claimed.has(key)) continue;
      options.claimed.add(key);
      context.scope.check(key);
      // HEAD first so a taken name costs no transfer; the forbid-overwrite PUT still settles races.
      if (policy === 'rename' && (await exists(key, context))) continue;
      opened ??= await source.open();
      const current: OpenedSource = opened;
      opened = undefined;
      const contentType = chooseContentType({
        declared: current.mimeType,
        filename: lastSegment(key),
        sniffed: current.sniffedMimeType,
      });
      try {
        const result = await context.oss.upload(key, current.stream, {
          contentType,
          contentDisposition: contentDispositionFor(lastSegment(key), contentType),
          forbidOverwrite: policy !== 'overwrite',
          ...(current.size === undefined ? {} : { size: current.size }),
          onProgress: (progress) => context.onProgress?.({ ...progress, label: lastSegment(key) }),
          signal: context.signal,
        });
        return {
          key,
          etag: result.etag,
          crc64: result.crc64,
          size: result.size,
          contentType,
          sourceFilename: current.filename,
          renamedFrom: key === firstKey ? undefined : firstKey,
        };
      } catch (error) {
        current.stream.destroy();
        // Lost a race for this name to another writer: the source is opened again for the next name.
        if (policy === 'rename' && isAppError(error) && error.code === 'OSS_FILE_ALREADY_EXISTS') continue;
        throw error;
      }
    }
    throw new AppError('OSS_FILE_ALREADY_EXISTS', `No free name after ${MAX_RENAME_ATTEMPTS} attempts`, {
      details: { key: firstKey },
    });
  } finally {
    opened?.stream.destroy();
  }
}

async function exists(key: string, context: ToolContext): Promise<boolean> {
  try {
    await context.oss.headObject(key, { signal: context.signal });
    return true;
  } catch (error) {
    // NoSuchKey means free; any other answer (e.g. no GetObject permission) leaves it to the PUT.
    if (isAppError(error) && error.code !== 'OSS_NO_SUCH_KEY') {
      context.logger.debug('HEAD before upload failed', { code: error.code });
    }
    return false;
  }
}
