// Which object (or prefix) a tool acts on: a `file_url` of the configured bucket or an `object_key`
// relative to key_prefix_scope, resolved to a full key and jailed in the scope before any request.
// Key building for new objects stays in object-key.ts; URL parsing stays in the context's `urls`.
import { AppError } from '../errors.js';
import { applyScope, assertKeyInScope, MAX_KEY_BYTES } from './object-key.js';
import { optionalText } from './params.js';
import type { ToolContext } from './tool-context.js';
import type { ParamSpec } from './tool-declaration.js';

/** A resolved object: its full key and the same key relative to the scope. */
export interface ObjectTarget {
  key: string;
  relativeKey: string;
}

/** The zod fields of a "file_url or object_key" pair (both optional; {@link resolveObjectTarget} checks). */
export const TARGET_FIELDS = { file_url: optionalText(), object_key: optionalText() };

/** `file_url` when an object_key may be given instead. */
export const TARGET_FILE_URL_PARAM: ParamSpec = {
  name: 'file_url',
  type: 'string',
  form: 'llm',
  required: false,
  label: { en_US: 'File URL', zh_Hans: '文件 URL', ja_JP: 'ファイル URL', pt_BR: 'URL do Arquivo' },
  humanDescription: {
    en_US: 'URL of an object in the configured bucket (or give the object key instead)',
    zh_Hans: '已配置 Bucket 中对象的 URL（也可改填对象键）',
    ja_JP: '設定済みバケット内のオブジェクトの URL（代わりにオブジェクトキーも指定可）',
    pt_BR: 'URL de um objeto no bucket configurado (ou informe a chave do objeto)',
  },
  llmDescription:
    'URL of an object in the configured bucket (a file_url returned by another tool, or oss://bucket/key). Give either file_url or object_key.',
};

/** `object_key`, relative to key_prefix_scope. */
export const TARGET_OBJECT_KEY_PARAM: ParamSpec = {
  name: 'object_key',
  type: 'string',
  form: 'llm',
  required: false,
  label: { en_US: 'Object Key', zh_Hans: '对象键', ja_JP: 'オブジェクトキー', pt_BR: 'Chave do Objeto' },
  humanDescription: {
    en_US: 'Object key, relative to the key prefix scope when one is set (or give the file URL instead)',
    zh_Hans: '对象键；设置了前缀范围时相对于该前缀（也可改填文件 URL）',
    ja_JP:
      'オブジェクトキー。プレフィックス範囲が設定されていればその相対パス（代わりにファイル URL も指定可）',
    pt_BR: 'Chave do objeto, relativa ao escopo de prefixo quando definido (ou informe a URL do arquivo)',
  },
  llmDescription:
    'Object key such as "reports/q3.md" (an object_key or relative_key returned by another tool). Give either file_url or object_key.',
};

/**
 * Resolves a "file_url or object_key" pair. The key is checked against the scope before anything is
 * sent: `..`, `%2e%2e`, backslashes and empty segments never leave it.
 * @throws AppError INVALID_ARGUMENT (neither or both given), URL_NOT_IN_BUCKET, KEY_INVALID,
 * KEY_OUT_OF_SCOPE.
 */
export function resolveObjectTarget(
  input: { file_url?: string | undefined; object_key?: string | undefined },
  context: ToolContext,
): ObjectTarget {
  if (input.file_url !== undefined && input.object_key !== undefined) {
    throw new AppError('INVALID_ARGUMENT', 'Give either file_url or object_key, not both', {
      details: { parameter: 'object_key' },
    });
  }
  if (input.file_url !== undefined) {
    const parsed = context.urls.parse(input.file_url);
    if (!parsed) throw new AppError('URL_NOT_IN_BUCKET', undefined, { details: { bucket: context.bucket } });
    return checkedTarget(parsed.key, context);
  }
  if (input.object_key !== undefined) return resolveScopedKey(input.object_key, context);
  throw new AppError('INVALID_ARGUMENT', 'Parameter "file_url" or "object_key" is required', {
    details: { parameter: 'file_url' },
  });
}

/**
 * A key given relative to the scope (or already starting with it) as a full key.
 * @throws AppError KEY_INVALID (empty, leading `/` without a scope), KEY_OUT_OF_SCOPE.
 */
export function resolveScopedKey(rawKey: string, context: ToolContext): ObjectTarget {
  const key = rawKey.trim();
  if (key === '') throw new AppError('KEY_INVALID', 'Invalid object key: the key is empty');
  return checkedTarget(context.scope.prefix ? applyScope(key, context.scope.prefix) : key, context);
}

/**
 * A listing prefix relative to the scope: '' lists the whole scope; the scope itself without its
 * trailing `/` never widens to sibling prefixes (`team-a` must not list `team-ab/`).
 * @throws AppError KEY_OUT_OF_SCOPE.
 */
export function resolveScopedPrefix(rawPrefix: string | undefined, context: ToolContext): string {
  const scope = context.scope.prefix;
  const prefix = rawPrefix ?? '';
  if (!scope) return prefix;
  if (prefix === '' || `${prefix}/` === scope) return scope;
  const full = applyScope(prefix, scope);
  // Also checked as the folder of a name, so `a//` (an empty segment at the end of a prefix, which a
  // key check trims) is refused like `a//b`.
  assertKeyInScope(full, scope);
  if (full.endsWith('/')) assertKeyInScope(`${full}_`, scope);
  return full;
}

/** `key` relative to the scope (the key itself when there is no scope). */
export function relativeToScope(key: string, context: ToolContext): string {
  const scope = context.scope.prefix;
  return scope && key.startsWith(scope) ? key.slice(scope.length) : key;
}

function checkedTarget(key: string, context: ToolContext): ObjectTarget {
  context.scope.check(key);
  if (key.startsWith('/') || key.startsWith('\\')) {
    throw new AppError('KEY_INVALID', 'Invalid object key: it must not start with / or \\', {
      details: { key: key.slice(0, 200) },
    });
  }
  // A `.` or `..` segment cannot be addressed: URL normalisation turns `a/../b` into `b` (or, path
  // style, into another bucket) before the request is sent (security-reliability.md §2.5, §B24).
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new AppError('KEY_INVALID', 'Invalid object key: it must not contain "." or ".." segments', {
      details: { key: key.slice(0, 200) },
    });
  }
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new AppError('KEY_INVALID', `Invalid object key: it is over ${MAX_KEY_BYTES} UTF-8 bytes`, {
      details: { key: key.slice(0, 200) },
    });
  }
  return { key, relativeKey: relativeToScope(key, context) };
}
