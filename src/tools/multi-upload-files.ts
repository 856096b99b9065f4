// multi_upload_files: stores several files at once (bounded concurrency), reporting every item; the
// call fails only when every item failed.
import pLimit from 'p-limit';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { filesParam } from './params.js';
import type { ToolContext } from './tool-context.js';
import type { ToolDeclaration } from './tool-declaration.js';
import { uploadItem, uploadOptionsOf } from './upload-item.js';
import {
  DIRECTORY_MODE_PARAM,
  DIRECTORY_PARAM,
  FILENAME_MODE_PARAM,
  FILES_PARAM,
  SIGN_EXPIRED_PARAM,
  SIGNED_PARAM,
  UPLOAD_MODE_FIELDS,
} from './upload-params.js';
import { buildUploadJson, UPLOAD_OUTPUT_SCHEMA, uploadSummaryText } from './upload-result.js';

const params = z.object({
  files: filesParam(),
  ...UPLOAD_MODE_FIELDS,
});

/** Parameters of multi_upload_files after coercion. */
export type MultiUploadFilesParams = z.infer<typeof params>;

/** multi_upload_files, declared once (original name and parameters; seed-behaviour.md §4.2). */
export const MULTI_UPLOAD_FILES_TOOL: ToolDeclaration<MultiUploadFilesParams, ToolContext> = {
  name: 'multi_upload_files',
  label: {
    en_US: 'Upload Multiple Files to OSS',
    zh_Hans: '批量上传文件到OSS',
    ja_JP: '複数ファイルを OSS にアップロード',
    pt_BR: 'Enviar Múltiplos Arquivos para OSS',
  },
  description: {
    en_US: 'Upload several files to Alibaba Cloud OSS at once; each file gets its own result.',
    zh_Hans: '一次将多个文件上传到阿里云 OSS，每个文件单独返回结果。',
    ja_JP: '複数のファイルを一度に Alibaba Cloud OSS にアップロードし、ファイルごとに結果を返します。',
    pt_BR:
      'Envia vários arquivos de uma vez para o Alibaba Cloud OSS; cada arquivo tem seu próprio resultado.',
  },
  llmDescription:
    'Uploads several files to Alibaba Cloud OSS under one directory. Returns JSON with status (completed, partial or failed) and, per file, object_key and file_url or error_code and error. Duplicate names are renamed, never overwritten.',
  parameters: [
    FILES_PARAM,
    DIRECTORY_PARAM,
    FILENAME_MODE_PARAM,
    DIRECTORY_MODE_PARAM,
    SIGNED_PARAM,
    SIGN_EXPIRED_PARAM,
  ],
  params,
  outputSchema: UPLOAD_OUTPUT_SCHEMA,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  handler: async function* (input, context) {
    const max = context.settings.max_files;
    if (input.files.length > max) {
      throw new AppError(
        'TOO_MANY_FILES',
        `Got ${input.files.length} files; at most ${max} per call (max_files)`,
        {
          details: { count: input.files.length, max },
        },
      );
    }
    const options = uploadOptionsOf(input);
    const limit = pLimit(context.settings.batch_concurrency);
    const several = input.files.length > 1;
    const outcomes = await Promise.all(
      input.files.map((file, index) =>
        limit(() =>
          uploadItem(
            { index, input: file, fallbackBase: several ? `upload_${index + 1}` : 'upload' },
            options,
            context,
          ),
        ),
      ),
    );
    yield { type: 'text', text: uploadSummaryText(outcomes, true) };
    const json = buildUploadJson(outcomes);
    yield { type: 'json', json };
    if (outcomes.every((outcome) => !outcome.ok)) {
      throw new AppError('ALL_ITEMS_FAILED', `All ${outcomes.length} uploads failed`, {
        details: { files: json.files },
      });
    }
  },
};
