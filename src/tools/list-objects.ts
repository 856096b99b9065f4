// list_objects: one page of ListObjectsV2 under key_prefix_scope, with full keys and keys relative to
// the scope, common prefixes ("folders") and the token of the next page.
import { z } from 'zod';
import { boundedInteger } from './integer-param.js';
import { relativeToScope, resolveScopedPrefix } from './object-target.js';
import { optionalText } from './params.js';
import type { ToolContext } from './tool-context.js';
import type { ToolDeclaration } from './tool-declaration.js';

/** ListObjectsV2 returns at most 1000 keys per page (OSS API reference, ListObjectsV2 `max-keys`). */
export const MAX_LIST_KEYS = 1000;
/** Keys per page when max_keys is not given. */
export const DEFAULT_LIST_KEYS = 100;

const params = z.object({
  prefix: optionalText(),
  delimiter: z.preprocess(
    (value) => (value === null || value === '' ? undefined : value),
    z.string().optional(),
  ),
  max_keys: boundedInteger(DEFAULT_LIST_KEYS, 1, MAX_LIST_KEYS),
  continuation_token: optionalText(),
});

/** Parameters of list_objects after coercion. */
export type ListObjectsParams = z.infer<typeof params>;

const NULLABLE_STRING = { type: ['string', 'null'] };

/** JSON Schema of list_objects' result. */
export const LIST_OBJECTS_OUTPUT_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    bucket: { type: 'string' },
    scope: {
      type: 'string',
      description: 'key_prefix_scope with a trailing "/", or "" for the whole bucket',
    },
    prefix: { type: 'string', description: 'The full prefix listed (scope + the relative prefix)' },
    delimiter: NULLABLE_STRING,
    key_count: { type: 'integer' },
    objects: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          key: { type: 'string' },
          relative_key: { type: 'string', description: 'The key relative to the scope' },
          size: { type: 'integer' },
          last_modified: { type: 'string' },
          etag: { type: 'string' },
          storage_class: NULLABLE_STRING,
        },
        required: ['key', 'relative_key', 'size', 'last_modified', 'etag'],
      },
    },
    common_prefixes: {
      type: 'array',
      items: {
        type: 'object',
        properties: { prefix: { type: 'string' }, relative_prefix: { type: 'string' } },
        required: ['prefix', 'relative_prefix'],
      },
    },
    is_truncated: { type: 'boolean' },
    next_continuation_token: NULLABLE_STRING,
  },
  required: ['bucket', 'prefix', 'key_count', 'objects', 'common_prefixes', 'is_truncated'],
};

/** list_objects, declared once (issue #8). */
export const LIST_OBJECTS_TOOL: ToolDeclaration<ListObjectsParams, ToolContext> = {
  name: 'list_objects',
  label: {
    en_US: 'List OSS Objects',
    zh_Hans: '列举OSS对象',
    ja_JP: 'OSS オブジェクトの一覧',
    pt_BR: 'Listar Objetos do OSS',
  },
  description: {
    en_US: 'List objects and folders in the configured bucket, page by page, within the key prefix scope.',
    zh_Hans: '在对象前缀范围内分页列举已配置 Bucket 中的对象和目录。',
    ja_JP:
      '設定済みバケット内のオブジェクトとフォルダを、キープレフィックスの範囲内でページごとに一覧表示します。',
    pt_BR: 'Lista objetos e pastas do bucket configurado, página por página, dentro do escopo de prefixo.',
  },
  llmDescription:
    'Lists one page of objects in the configured OSS bucket under a prefix (relative to the key scope). Returns keys, relative keys, sizes, last-modified times, ETags, common prefixes (with delimiter "/") and next_continuation_token when more pages exist.',
  parameters: [
    {
      name: 'prefix',
      type: 'string',
      form: 'llm',
      required: false,
      label: { en_US: 'Prefix', zh_Hans: '前缀', ja_JP: 'プレフィックス', pt_BR: 'Prefixo' },
      humanDescription: {
        en_US: 'Only keys starting with this prefix (relative to the key prefix scope), e.g. reports/',
        zh_Hans: '只列出以该前缀开头的对象（相对于对象前缀范围），例如 reports/',
        ja_JP: 'このプレフィックスで始まるキーのみ（キープレフィックス範囲からの相対）。例：reports/',
        pt_BR: 'Apenas chaves que começam com este prefixo (relativo ao escopo de prefixo), ex.: reports/',
      },
      llmDescription:
        'Key prefix to list, relative to the scope, e.g. "reports/". Empty lists everything in scope.',
    },
    {
      name: 'delimiter',
      type: 'string',
      form: 'llm',
      required: false,
      label: { en_US: 'Delimiter', zh_Hans: '分隔符', ja_JP: '区切り文字', pt_BR: 'Delimitador' },
      humanDescription: {
        en_US: 'Group keys into folders at this character, usually "/"; empty lists every key',
        zh_Hans: '按该字符把对象归并为目录，通常为“/”；留空则列出全部对象',
        ja_JP: 'この文字でキーをフォルダにまとめます（通常は「/」）。空ならすべてのキーを一覧',
        pt_BR: 'Agrupa chaves em pastas por este caractere, normalmente "/"; vazio lista todas as chaves',
      },
      llmDescription: 'Set "/" to see one folder level (sub-folders come back as common_prefixes).',
    },
    {
      name: 'max_keys',
      type: 'number',
      form: 'llm',
      required: false,
      default: DEFAULT_LIST_KEYS,
      min: 1,
      max: MAX_LIST_KEYS,
      label: {
        en_US: 'Max Keys',
        zh_Hans: '最大数量',
        ja_JP: '最大件数',
        pt_BR: 'Máximo de Chaves',
      },
      humanDescription: {
        en_US: 'Objects and folders per page, 1 to 1000; default 100',
        zh_Hans: '每页返回的对象和目录数，1 到 1000，默认 100',
        ja_JP: '1 ページあたりのオブジェクトとフォルダの数。1〜1000、既定 100',
        pt_BR: 'Objetos e pastas por página, de 1 a 1000; padrão 100',
      },
      llmDescription: 'Entries per page (1..1000, default 100).',
    },
    {
      name: 'continuation_token',
      type: 'string',
      form: 'llm',
      required: false,
      label: {
        en_US: 'Continuation Token',
        zh_Hans: '分页令牌',
        ja_JP: '継続トークン',
        pt_BR: 'Token de Continuação',
      },
      humanDescription: {
        en_US: 'The next_continuation_token of the previous page, to get the next one',
        zh_Hans: '上一页返回的 next_continuation_token，用于获取下一页',
        ja_JP: '前のページの next_continuation_token。次のページを取得します',
        pt_BR: 'O next_continuation_token da página anterior, para obter a próxima',
      },
      llmDescription:
        'Pass next_continuation_token from the previous call (same prefix) to get the next page.',
    },
  ],
  params,
  outputSchema: LIST_OBJECTS_OUTPUT_SCHEMA,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async function* (input, context) {
    const prefix = resolveScopedPrefix(input.prefix, context);
    const page = await context.oss.listObjectsV2({
      ...(prefix ? { prefix } : {}),
      ...(input.delimiter ? { delimiter: input.delimiter } : {}),
      maxKeys: input.max_keys,
      ...(input.continuation_token ? { continuationToken: input.continuation_token } : {}),
      signal: context.signal,
    });
    const objects = page.objects.map((object) => ({
      key: object.key,
      relative_key: relativeToScope(object.key, context),
      size: object.size,
      last_modified: object.lastModified.toISOString(),
      etag: object.etag,
      storage_class: object.storageClass ?? null,
    }));
    const commonPrefixes = page.commonPrefixes.map((common) => ({
      prefix: common,
      relative_prefix: relativeToScope(common, context),
    }));
    const more = page.isTruncated ? `; more with continuation_token ${page.nextContinuationToken}` : '';
    yield {
      type: 'text',
      text: `Listed ${objects.length} objects and ${commonPrefixes.length} folders under "${prefix}"${more}\n`,
    };
    yield {
      type: 'json',
      json: {
        bucket: context.bucket,
        scope: context.scope.prefix,
        prefix,
        delimiter: input.delimiter ?? null,
        key_count: objects.length + commonPrefixes.length,
        objects,
        common_prefixes: commonPrefixes,
        is_truncated: page.isTruncated,
        next_continuation_token: page.nextContinuationToken ?? null,
      },
    };
  },
};
