// get_file_by_url: streams one object of the configured bucket back as a file.
import { z } from 'zod';
import { DOWNLOAD_ITEM_SCHEMA, downloadItemJson, downloadLine } from './download-result.js';
import { openObjectDownload } from './object-download.js';
import { DEFAULT_SIGN_EXPIRES_SECONDS, requiredText } from './params.js';
import type { ToolContext } from './tool-context.js';
import type { ParamSpec, ToolDeclaration } from './tool-declaration.js';

const params = z.object({ file_url: requiredText() });

/** Parameters of get_file_by_url after coercion. */
export type GetFileByUrlParams = z.infer<typeof params>;

/** `file_url` of the bucket download tools. */
export const OSS_FILE_URL_PARAM: ParamSpec = {
  name: 'file_url',
  type: 'string',
  form: 'llm',
  required: true,
  label: { en_US: 'File URL', zh_Hans: '文件 URL', ja_JP: 'ファイル URL', pt_BR: 'URL do Arquivo' },
  humanDescription: {
    en_US:
      'URL of an object in the configured bucket (OSS endpoint, custom domain or oss://bucket/key; signed or not)',
    zh_Hans: '已配置 Bucket 中对象的 URL（OSS 域名、自定义域名或 oss://bucket/key，签名与否均可）',
    ja_JP:
      '設定済みバケット内のオブジェクトの URL（OSS エンドポイント、カスタムドメイン、oss://bucket/key。署名の有無は問いません）',
    pt_BR:
      'URL de um objeto no bucket configurado (endpoint OSS, domínio personalizado ou oss://bucket/key; assinada ou não)',
  },
  llmDescription:
    'URL of an object in the configured OSS bucket, e.g. a file_url returned by upload_file, or oss://bucket/key. URLs of other hosts or buckets are refused.',
};

/** get_file_by_url, declared once (seed-behaviour.md §4.3, B1 fixed). */
export const GET_FILE_BY_URL_TOOL: ToolDeclaration<GetFileByUrlParams, ToolContext> = {
  name: 'get_file_by_url',
  label: {
    en_US: 'Get File by OSS URL',
    zh_Hans: '下载OSS文件',
    ja_JP: 'OSS URL からファイルを取得',
    pt_BR: 'Obter Arquivo por URL OSS',
  },
  description: {
    en_US: 'Download a file from the configured Alibaba Cloud OSS bucket by its URL.',
    zh_Hans: '通过 URL 从已配置的阿里云 OSS Bucket 下载文件。',
    ja_JP: '設定済みの Alibaba Cloud OSS バケットから URL でファイルをダウンロードします。',
    pt_BR: 'Baixa um arquivo do bucket do Alibaba Cloud OSS configurado pela URL.',
  },
  llmDescription:
    'Downloads one object of the configured OSS bucket by URL and returns it as a file, plus JSON metadata (key, size, content_type, etag, last_modified). Objects over max_download_mb are refused.',
  parameters: [OSS_FILE_URL_PARAM],
  params,
  outputSchema: DOWNLOAD_ITEM_SCHEMA,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async function* (input, context) {
    const { meta, stream } = await openObjectDownload(input.file_url, 0, context);
    let handedOver = false;
    try {
      yield { type: 'text', text: downloadLine(meta) };
      yield { type: 'json', json: downloadItemJson(meta) };
      // A presigned link too: faces that cannot carry large blobs (MCP) hand this out instead.
      const link = await context.urls.signedUrl(meta.key!, DEFAULT_SIGN_EXPIRES_SECONDS);
      yield { type: 'link', url: link.url };
      yield { type: 'blob', stream, size: meta.size, filename: meta.filename, mimeType: meta.contentType };
      handedOver = true;
    } finally {
      // A face that stops before taking the blob (error, cancel) must not leave the GET open.
      if (!handedOver) stream.destroy();
    }
  },
};
