// delete_object: deletes exactly one object, by file_url or object_key, inside key_prefix_scope. Refused
// unless the allow_delete setting is on; a "directory" (key ending in `/`) is never deleted in bulk.
import { z } from 'zod';
import { AppError, isAppError } from '../errors.js';
import {
  resolveObjectTarget,
  TARGET_FIELDS,
  TARGET_FILE_URL_PARAM,
  TARGET_OBJECT_KEY_PARAM,
} from './object-target.js';
import type { ToolContext } from './tool-context.js';
import type { ToolDeclaration } from './tool-declaration.js';

const params = z.object(TARGET_FIELDS);

/** Parameters of delete_object after coercion. */
export type DeleteObjectParams = z.infer<typeof params>;

/** JSON Schema of delete_object's result. */
export const DELETE_OBJECT_OUTPUT_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['deleted', 'not_found'] },
    bucket: { type: 'string' },
    object_key: { type: 'string' },
    relative_key: { type: 'string' },
    existed: { type: 'boolean', description: 'False when there was no such object (nothing to delete)' },
  },
  required: ['status', 'bucket', 'object_key', 'relative_key', 'existed'],
};

/** delete_object, declared once (issue #8). */
export const DELETE_OBJECT_TOOL: ToolDeclaration<DeleteObjectParams, ToolContext> = {
  name: 'delete_object',
  label: {
    en_US: 'Delete OSS Object',
    zh_Hans: '删除OSS对象',
    ja_JP: 'OSS オブジェクトの削除',
    pt_BR: 'Excluir Objeto do OSS',
  },
  description: {
    en_US:
      'Delete one object from the bucket. Only works when the administrator turned on "Allow Deleting Objects".',
    zh_Hans: '从 Bucket 删除单个对象。仅在管理员开启“允许删除对象”后可用。',
    ja_JP:
      'バケットからオブジェクトを 1 つ削除します。管理者が「オブジェクトの削除を許可」をオンにした場合のみ動作します。',
    pt_BR:
      'Exclui um objeto do bucket. Só funciona quando o administrador ativou "Permitir excluir objetos".',
  },
  llmDescription:
    'Deletes exactly one object (by file_url or object_key) from the configured OSS bucket. Fails with DELETE_DISABLED unless allow_delete is on. Folder prefixes (keys ending in "/") are never deleted. The deletion cannot be undone.',
  parameters: [TARGET_FILE_URL_PARAM, TARGET_OBJECT_KEY_PARAM],
  params,
  outputSchema: DELETE_OBJECT_OUTPUT_SCHEMA,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  handler: async function* (input, context) {
    // Checked before the key is even resolved: with deletion off, nothing about the bucket is touched.
    if (!context.settings.allow_delete) throw new AppError('DELETE_DISABLED');
    const target = resolveObjectTarget(input, context);
    if (target.key.endsWith('/')) {
      throw new AppError(
        'KEY_INVALID',
        'Invalid object key: a key ending in "/" is a folder; delete_object removes one object only',
        { details: { key: target.key.slice(0, 200) } },
      );
    }
    const existed = await exists(target.key, context);
    // OSS answers 204 whether or not the key existed; the HEAD above tells the caller which it was.
    if (existed) await context.oss.deleteObject(target.key, { signal: context.signal });
    yield {
      type: 'text',
      text: existed ? `Deleted ${target.key}\n` : `Nothing to delete: ${target.key} does not exist\n`,
    };
    yield {
      type: 'json',
      json: {
        status: existed ? 'deleted' : 'not_found',
        bucket: context.bucket,
        object_key: target.key,
        relative_key: target.relativeKey,
        existed,
      },
    };
  },
};

async function exists(key: string, context: ToolContext): Promise<boolean> {
  try {
    await context.oss.headObject(key, { signal: context.signal });
    return true;
  } catch (error) {
    if (isAppError(error) && error.code === 'OSS_NO_SUCH_KEY') return false;
    throw error;
  }
}
