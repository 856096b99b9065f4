// copy_object: server-side copy of one object to a new key planned like an upload's (directory rules,
// scope, 1023-byte limit) under the overwrite policy. No byte passes through the plugin; above the
// multipart threshold (1 GiB, OSS's CopyObject limit) the client copies part by part (UploadPartCopy).
import { z } from 'zod';
import { AppError, isAppError } from '../errors.js';
import { COPY_OBJECT_LIMIT_BYTES } from '../oss/bucket-operations.js';
import type { PutOptions, PutResult } from '../oss/client.js';
import { keyFromPlan, lastSegment, planObjectKey } from './object-key.js';
import {
  type ObjectTarget,
  relativeToScope,
  resolveObjectTarget,
  TARGET_FIELDS,
  TARGET_FILE_URL_PARAM,
  TARGET_OBJECT_KEY_PARAM,
} from './object-target.js';
import { optionalText, requiredText } from './params.js';
import type { ToolContext } from './tool-context.js';
import type { ParamSpec, ToolDeclaration } from './tool-declaration.js';
import { MAX_RENAME_ATTEMPTS } from './upload-item.js';
import { DIRECTORY_PARAM } from './upload-params.js';

/** Options of {@link createCopyObjectTool}. */
export interface CopyObjectToolOptions {
  /**
   * Sources larger than this are copied with UploadPartCopy. Default {@link COPY_OBJECT_LIMIT_BYTES}
   * (1 GiB); tests pass a small value. Handed to `OssClient.copyObject` as `multipartThresholdBytes`.
   */
  multipartThresholdBytes?: number;
}

/** The options copy_object hands to `OssClient.copyObject`. */
export interface CopyCallOptions extends PutOptions {
  multipartThresholdBytes: number;
}

const params = z.object({ ...TARGET_FIELDS, directory: requiredText(), filename: optionalText() });

/** Parameters of copy_object after coercion. */
export type CopyObjectParams = z.infer<typeof params>;

const COPY_FILENAME_PARAM: ParamSpec = {
  name: 'filename',
  type: 'string',
  form: 'llm',
  required: false,
  label: {
    en_US: 'Destination Filename',
    zh_Hans: '目标文件名',
    ja_JP: 'コピー先のファイル名',
    pt_BR: 'Nome do Arquivo de Destino',
  },
  humanDescription: {
    en_US: 'Name of the copy; empty keeps the source name',
    zh_Hans: '副本的文件名；留空则沿用源文件名',
    ja_JP: 'コピーの名前。空ならコピー元の名前を使います',
    pt_BR: 'Nome da cópia; vazio mantém o nome de origem',
  },
  llmDescription: 'Optional name of the copy, e.g. "final.pdf"; empty keeps the source file name.',
};

const NULLABLE_STRING = { type: ['string', 'null'] };

/** JSON Schema of copy_object's result. */
export const COPY_OBJECT_OUTPUT_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['success'] },
    bucket: { type: 'string' },
    source_key: { type: 'string' },
    object_key: { type: 'string' },
    relative_key: { type: 'string' },
    public_url: { type: 'string' },
    size: { type: 'integer' },
    etag: { type: 'string' },
    crc64: NULLABLE_STRING,
    multipart: { type: 'boolean', description: 'True when copied part by part (UploadPartCopy)' },
    renamed_from: NULLABLE_STRING,
  },
  required: ['status', 'bucket', 'source_key', 'object_key', 'relative_key', 'size', 'etag', 'multipart'],
};

/** Builds copy_object; {@link COPY_OBJECT_TOOL} is the registered one with production defaults. */
export function createCopyObjectTool(
  options: CopyObjectToolOptions = {},
): ToolDeclaration<CopyObjectParams, ToolContext> {
  const threshold = options.multipartThresholdBytes ?? COPY_OBJECT_LIMIT_BYTES;
  return {
    name: 'copy_object',
    label: {
      en_US: 'Copy OSS Object',
      zh_Hans: '复制OSS对象',
      ja_JP: 'OSS オブジェクトのコピー',
      pt_BR: 'Copiar Objeto do OSS',
    },
    description: {
      en_US: 'Copy one object to another directory or name inside the bucket, on the server side.',
      zh_Hans: '在 Bucket 内将对象服务端复制到另一个目录或文件名。',
      ja_JP: 'バケット内でオブジェクトを別のディレクトリや名前へサーバー側でコピーします。',
      pt_BR: 'Copia um objeto para outro diretório ou nome dentro do bucket, no lado do servidor.',
    },
    llmDescription:
      'Copies one object (by file_url or object_key) to directory/filename in the same bucket without downloading it. Returns the new object_key and public_url. An existing destination is never silently overwritten (it is renamed name-1.ext unless the overwrite policy says otherwise).',
    parameters: [TARGET_FILE_URL_PARAM, TARGET_OBJECT_KEY_PARAM, DIRECTORY_PARAM, COPY_FILENAME_PARAM],
    params,
    outputSchema: COPY_OBJECT_OUTPUT_SCHEMA,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    handler: async function* (input, context) {
      const source = resolveObjectTarget(input, context);
      const copied = await copyWithPolicy(source, input, threshold, context);
      const key = copied.result.key;
      yield {
        type: 'text',
        text: `Copied ${source.key} to ${key} (${copied.result.size} bytes)${copied.renamedFrom ? `; ${copied.renamedFrom} already existed` : ''}\n`,
      };
      yield {
        type: 'json',
        json: {
          status: 'success',
          bucket: context.bucket,
          source_key: source.key,
          object_key: key,
          relative_key: relativeToScope(key, context),
          public_url: context.urls.publicUrl(key),
          size: copied.result.size,
          etag: copied.result.etag,
          crc64: copied.result.crc64 || null,
          multipart: copied.result.multipart,
          renamed_from: copied.renamedFrom ?? null,
        },
      };
    },
  };
}

/** copy_object with the production threshold (1 GiB). */
export const COPY_OBJECT_TOOL = createCopyObjectTool();

async function copyWithPolicy(
  source: ObjectTarget,
  input: CopyObjectParams,
  threshold: number,
  context: ToolContext,
): Promise<{ result: PutResult; renamedFrom?: string }> {
  const policy = context.settings.overwrite;
  const plan = planObjectKey({
    directory: input.directory,
    directoryMode: 'no_subdirectory',
    filenameMode: 'filename',
    customFilename: input.filename,
    sourceFilename: lastSegment(source.key),
    fallbackBase: 'copy',
    now: context.now(),
    timeZone: context.settings.timezone,
    scope: context.settings.key_prefix_scope,
  });
  const firstKey = keyFromPlan(plan);
  for (let attempt = 0; attempt < MAX_RENAME_ATTEMPTS; attempt += 1) {
    const key = keyFromPlan(plan, attempt);
    context.scope.check(key);
    // HEAD first so a taken name is skipped; forbid-overwrite on the copy still settles races.
    if (policy === 'rename' && (await exists(key, context))) continue;
    const call: CopyCallOptions = {
      forbidOverwrite: policy !== 'overwrite',
      signal: context.signal,
      multipartThresholdBytes: threshold,
    };
    try {
      const result = await context.oss.copyObject(source.key, key, call);
      return { result, ...(key === firstKey ? {} : { renamedFrom: firstKey }) };
    } catch (error) {
      if (policy === 'rename' && isAppError(error) && error.code === 'OSS_FILE_ALREADY_EXISTS') continue;
      throw error;
    }
  }
  throw new AppError('OSS_FILE_ALREADY_EXISTS', `No free name after ${MAX_RENAME_ATTEMPTS} attempts`, {
    details: { key: firstKey },
  });
}

async function exists(key: string, context: ToolContext): Promise<boolean> {
  try {
    await context.oss.headObject(key, { signal: context.signal });
    return true;
  } catch (error) {
    if (context.signal.aborted) throw error;
    // NoSuchKey means free; any other answer (no GetObject permission …) is left to forbid-overwrite.
    return false;
  }
}
