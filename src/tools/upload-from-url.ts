// upload_from_url: fetches a public http(s) URL through the guarded fetcher (SSRF checks on every hop,
// max_download_mb, timeouts, allowed hosts) and streams it into OSS exactly as upload_file stores a file.
import { z } from 'zod';
import { planObjectKey } from './object-key.js';
import { optionalText, requiredText } from './params.js';
import type { ToolContext } from './tool-context.js';
import type { ToolDeclaration } from './tool-declaration.js';
import { uploadSingle } from './upload-item.js';
import {
  DIRECTORY_MODE_PARAM,
  DIRECTORY_PARAM,
  FILENAME_MODE_PARAM,
  FILENAME_PARAM,
  SIGN_EXPIRED_PARAM,
  SIGNED_PARAM,
  UPLOAD_MODE_FIELDS,
} from './upload-params.js';
import { UPLOAD_OUTPUT_SCHEMA } from './upload-result.js';

const params = z.object({
  url: requiredText(),
  filename: optionalText(),
  ...UPLOAD_MODE_FIELDS,
});

/** Parameters of upload_from_url after coercion. */
export type UploadFromUrlParams = z.infer<typeof params>;

/** upload_from_url, declared once (issue #8). */
export const UPLOAD_FROM_URL_TOOL: ToolDeclaration<UploadFromUrlParams, ToolContext> = {
  name: 'upload_from_url',
  label: {
    en_US: 'Upload from URL to OSS',
    zh_Hans: '从URL上传到OSS',
    ja_JP: 'URL から OSS にアップロード',
    pt_BR: 'Enviar de uma URL para o OSS',
  },
  description: {
    en_US:
      'Fetch a file from a public http(s) URL and store it in Alibaba Cloud OSS, with SSRF protection and a size limit.',
    zh_Hans: '从公网 http(s) URL 获取文件并存入阿里云 OSS，带 SSRF 防护和大小限制。',
    ja_JP:
      '公開 http(s) URL からファイルを取得して Alibaba Cloud OSS に保存します（SSRF 対策とサイズ制限付き）。',
    pt_BR:
      'Busca um arquivo de uma URL http(s) pública e o armazena no Alibaba Cloud OSS, com proteção contra SSRF e limite de tamanho.',
  },
  llmDescription:
    'Downloads a public http(s) URL and stores it in the configured OSS bucket under directory (streamed, never whole in memory). Returns the same JSON as upload_file. Private, loopback and metadata addresses are blocked; files over max_download_mb are refused.',
  parameters: [
    {
      name: 'url',
      type: 'string',
      form: 'llm',
      required: true,
      label: { en_US: 'Source URL', zh_Hans: '来源 URL', ja_JP: '取得元 URL', pt_BR: 'URL de Origem' },
      humanDescription: {
        en_US: 'Public http(s) URL of the file to store in OSS',
        zh_Hans: '要存入 OSS 的文件的公网 http(s) URL',
        ja_JP: 'OSS に保存するファイルの公開 http(s) URL',
        pt_BR: 'URL http(s) pública do arquivo a armazenar no OSS',
      },
      llmDescription: 'A public http or https URL of the file to copy into OSS.',
    },
    DIRECTORY_PARAM,
    FILENAME_PARAM,
    FILENAME_MODE_PARAM,
    DIRECTORY_MODE_PARAM,
    SIGNED_PARAM,
    SIGN_EXPIRED_PARAM,
  ],
  params,
  outputSchema: UPLOAD_OUTPUT_SCHEMA,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  handler: async function* (input, context) {
    // Directory, filename and scope are checked before the URL is fetched (the name is not known yet).
    planObjectKey({
      directory: input.directory,
      directoryMode: input.directory_mode,
      filenameMode: input.filename_mode,
      customFilename: input.filename,
      fallbackBase: 'download',
      now: context.now(),
      timeZone: context.settings.timezone,
      scope: context.settings.key_prefix_scope,
    });
    // Always the guarded fetcher: a `url` input is never read as a local path or a Dify file.
    yield* uploadSingle(
      {
        index: 0,
        input: { kind: 'url', url: input.url },
        customFilename: input.filename,
        fallbackBase: 'download',
      },
      input,
      context,
    );
  },
};
