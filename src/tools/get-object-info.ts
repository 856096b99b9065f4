// get_object_info: HEAD of one object of the configured bucket (by file_url or object_key): size,
// content type, ETag, CRC-64, last modified, storage class and user metadata. No body is read.
import { z } from 'zod';
import {
  resolveObjectTarget,
  TARGET_FIELDS,
  TARGET_FILE_URL_PARAM,
  TARGET_OBJECT_KEY_PARAM,
} from './object-target.js';
import type { ToolContext } from './tool-context.js';
import type { ToolDeclaration } from './tool-declaration.js';

const params = z.object(TARGET_FIELDS);

/** Parameters of get_object_info after coercion. */
export type GetObjectInfoParams = z.infer<typeof params>;

const NULLABLE_STRING = { type: ['string', 'null'] };

/** JSON Schema of get_object_info's result. */
export const OBJECT_INFO_OUTPUT_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    bucket: { type: 'string' },
    object_key: { type: 'string' },
    relative_key: { type: 'string', description: 'The key relative to key_prefix_scope' },
    size: { type: 'integer' },
    content_type: { type: 'string' },
    etag: { type: 'string' },
    crc64: NULLABLE_STRING,
    last_modified: NULLABLE_STRING,
    storage_class: NULLABLE_STRING,
    content_disposition: NULLABLE_STRING,
    cache_control: NULLABLE_STRING,
    user_metadata: { type: 'object', additionalProperties: { type: 'string' } },
    public_url: { type: 'string' },
  },
  required: ['bucket', 'object_key', 'relative_key', 'size', 'content_type', 'etag', 'user_metadata'],
};

/** get_object_info, declared once (issue #8). */
export const GET_OBJECT_INFO_TOOL: ToolDeclaration<GetObjectInfoParams, ToolContext> = {
  name: 'get_object_info',
  label: {
    en_US: 'Get OSS Object Info',
    zh_Hans: '获取OSS对象信息',
    ja_JP: 'OSS オブジェクト情報の取得',
    pt_BR: 'Obter Informações do Objeto OSS',
  },
  description: {
    en_US:
      'Read the metadata of one object (size, type, ETag, CRC-64, dates, storage class) without downloading it.',
    zh_Hans: '读取单个对象的元数据（大小、类型、ETag、CRC-64、时间、存储类型），不下载内容。',
    ja_JP:
      'オブジェクトをダウンロードせずにメタデータ（サイズ、タイプ、ETag、CRC-64、日時、ストレージクラス）を読み取ります。',
    pt_BR:
      'Lê os metadados de um objeto (tamanho, tipo, ETag, CRC-64, datas, classe de armazenamento) sem baixá-lo.',
  },
  llmDescription:
    'Returns the metadata of one object in the configured OSS bucket, by file_url or object_key: size, content_type, etag, crc64, last_modified, storage_class and user metadata. Use it to check that an object exists before downloading or sharing it.',
  parameters: [TARGET_FILE_URL_PARAM, TARGET_OBJECT_KEY_PARAM],
  params,
  outputSchema: OBJECT_INFO_OUTPUT_SCHEMA,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async function* (input, context) {
    const target = resolveObjectTarget(input, context);
    const head = await context.oss.headObject(target.key, { signal: context.signal });
    yield {
      type: 'text',
      text: `Object ${target.key}: ${head.size} bytes, ${head.contentType}, ETag ${head.etag}\n`,
    };
    yield {
      type: 'json',
      json: {
        bucket: context.bucket,
        object_key: target.key,
        relative_key: target.relativeKey,
        size: head.size,
        content_type: head.contentType,
        etag: head.etag,
        crc64: head.crc64 ?? null,
        last_modified: head.lastModified ? head.lastModified.toISOString() : null,
        storage_class: head.storageClass ?? null,
        content_disposition: head.contentDisposition ?? null,
        cache_control: head.cacheControl ?? null,
        user_metadata: head.meta,
        public_url: context.urls.publicUrl(target.key),
      },
    };
  },
};
