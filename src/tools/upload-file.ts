// upload_file: stores one file (Dify file, path, URL or base64) in OSS and returns its key and URLs.
import { z } from 'zod';
import { fileParam, optionalText } from './params.js';
import type { ToolContext } from './tool-context.js';
import type { ToolDeclaration } from './tool-declaration.js';
import { uploadSingle } from './upload-item.js';
import {
  DIRECTORY_MODE_PARAM,
  DIRECTORY_PARAM,
  FILE_PARAM,
  FILENAME_MODE_PARAM,
  FILENAME_PARAM,
  SIGN_EXPIRED_PARAM,
  SIGNED_PARAM,
  UPLOAD_MODE_FIELDS,
} from './upload-params.js';
import { UPLOAD_OUTPUT_SCHEMA } from './upload-result.js';

const params = z.object({
  file: fileParam(),
  filename: optionalText(),
  ...UPLOAD_MODE_FIELDS,
});

/** Parameters of upload_file after coercion. */
export type UploadFileParams = z.infer<typeof params>;

/** upload_file, declared once (original name, parameters and defaults; seed-behaviour.md §4.1). */
export const UPLOAD_FILE_TOOL: ToolDeclaration<UploadFileParams, ToolContext> = {
  name: 'upload_file',
  label: {
    en_US: 'Upload File to OSS',
    zh_Hans: '上传文件到OSS',
    ja_JP: 'OSS にファイルをアップロード',
    pt_BR: 'Enviar Arquivo para OSS',
  },
  description: {
    en_US: 'Upload a file to Alibaba Cloud OSS and get its object key and URL (public or signed).',
    zh_Hans: '将文件上传到阿里云 OSS，并返回对象键和 URL（公开或签名）。',
    ja_JP:
      'ファイルを Alibaba Cloud OSS にアップロードし、オブジェクトキーと URL（公開または署名付き）を返します。',
    pt_BR:
      'Envia um arquivo para o Alibaba Cloud OSS e retorna a chave do objeto e a URL (pública ou assinada).',
  },
  llmDescription:
    'Uploads one file to Alibaba Cloud OSS under the given directory and returns JSON with object_key, file_url, public_url, signed_url (when signed), size and content type. An existing object is never silently overwritten.',
  parameters: [
    FILE_PARAM,
    DIRECTORY_PARAM,
    FILENAME_PARAM,
    FILENAME_MODE_PARAM,
    DIRECTORY_MODE_PARAM,
    SIGNED_PARAM,
    SIGN_EXPIRED_PARAM,
  ],
  params,
  outputSchema: UPLOAD_OUTPUT_SCHEMA,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  handler: (input, context) =>
    uploadSingle(
      { index: 0, input: input.file, customFilename: input.filename, fallbackBase: 'upload' },
      input,
      context,
    ),
};
