// sign_url: a V4 presigned GET or PUT URL for one object, on the public endpoint or custom domain.
// A PUT URL signs its Content-Type (and forbid-overwrite unless the policy is `overwrite`), so the
// uploader must send exactly those headers. Signing is local: no request is sent.
import { create as createContentDisposition } from 'content-disposition';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { mimeEssence } from './content-type.js';
import { boundedInteger } from './integer-param.js';
import { cleanSourceName } from './object-key.js';
import {
  resolveObjectTarget,
  TARGET_FIELDS,
  TARGET_FILE_URL_PARAM,
  TARGET_OBJECT_KEY_PARAM,
} from './object-target.js';
import { choice, DEFAULT_SIGN_EXPIRES_SECONDS, MAX_SIGN_EXPIRES_SECONDS, optionalText } from './params.js';
import { SIGN_URL_PARAMS } from './sign-url-params.js';
import type { ToolContext } from './tool-context.js';
import type { ToolDeclaration } from './tool-declaration.js';

const params = z.object({
  ...TARGET_FIELDS,
  method: choice(['GET', 'PUT'], 'GET'),
  expires: boundedInteger(DEFAULT_SIGN_EXPIRES_SECONDS, 1, MAX_SIGN_EXPIRES_SECONDS),
  content_type: optionalText(),
  download_filename: optionalText(),
});

/** Parameters of sign_url after coercion. */
export type SignUrlParams = z.infer<typeof params>;

/** JSON Schema of sign_url's result. */
export const SIGN_URL_OUTPUT_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    url: { type: 'string', description: 'The presigned URL' },
    method: { type: 'string', enum: ['GET', 'PUT'] },
    expires_at: { type: 'string', description: 'ISO 8601 time after which the URL stops working' },
    expires_in: { type: 'integer' },
    bucket: { type: 'string' },
    object_key: { type: 'string' },
    relative_key: { type: 'string' },
    required_headers: {
      type: 'object',
      description: 'Headers the uploader must send with a PUT, exactly as given',
      additionalProperties: { type: 'string' },
    },
  },
  required: ['url', 'method', 'expires_at', 'expires_in', 'object_key', 'required_headers'],
};

/** sign_url, declared once (issue #8). */
export const SIGN_URL_TOOL: ToolDeclaration<SignUrlParams, ToolContext> = {
  name: 'sign_url',
  label: {
    en_US: 'Sign OSS URL',
    zh_Hans: '生成OSS签名URL',
    ja_JP: 'OSS 署名付き URL の発行',
    pt_BR: 'Assinar URL do OSS',
  },
  description: {
    en_US:
      'Create a time-limited link to download (GET) or upload (PUT) one object, even in a private bucket.',
    zh_Hans: '为单个对象生成限时链接，用于下载（GET）或上传（PUT），私有 Bucket 同样适用。',
    ja_JP:
      '1 つのオブジェクトをダウンロード（GET）またはアップロード（PUT）するための期限付きリンクを作成します。非公開バケットでも使えます。',
    pt_BR: 'Cria um link temporário para baixar (GET) ou enviar (PUT) um objeto, mesmo em um bucket privado.',
  },
  llmDescription:
    'Creates a presigned URL for one object (by file_url or object_key). method GET gives a shareable download link (optional download_filename); method PUT gives an upload link that a browser or service can PUT the bytes to, sending exactly the returned required_headers. Returns url and expires_at.',
  parameters: [TARGET_FILE_URL_PARAM, TARGET_OBJECT_KEY_PARAM, ...SIGN_URL_PARAMS],
  params,
  outputSchema: SIGN_URL_OUTPUT_SCHEMA,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  handler: async function* (input, context) {
    const target = resolveObjectTarget(input, context);
    const headers: Record<string, string> = {};
    const query: Record<string, string> = {};
    if (input.method === 'PUT') {
      if (input.download_filename !== undefined) throw onlyFor('download_filename', 'GET');
      if (input.content_type !== undefined) {
        if (!mimeEssence(input.content_type) || !/^[\t\x20-\x7e]*$/.test(input.content_type)) {
          throw new AppError('INVALID_ARGUMENT', 'Parameter "content_type" is not a media type', {
            details: { parameter: 'content_type' },
          });
        }
        headers['Content-Type'] = input.content_type;
      }
      // No silent overwrite (DESIGN.md): unless the policy is `overwrite`, the URL cannot replace an object.
      if (context.settings.overwrite !== 'overwrite') headers['x-oss-forbid-overwrite'] = 'true';
    } else {
      if (input.content_type !== undefined) throw onlyFor('content_type', 'PUT');
      if (input.download_filename !== undefined) {
        query['response-content-disposition'] = attachmentFor(input.download_filename);
      }
    }
    const signed = context.oss.presign({
      key: target.key,
      method: input.method,
      expiresSeconds: input.expires,
      headers,
      query,
    });
    // V4 signs `/bucket/key`, not the Host (oss-protocol.md §2.6), so the signed query moves unchanged
    // onto the object's public URL (custom domain, or the public twin of an -internal endpoint).
    const url = `${context.urls.publicUrl(target.key)}${signed.url.slice(signed.url.indexOf('?'))}`;
    const expiresAt = signed.expiresAt.toISOString();
    yield {
      type: 'text',
      text: `${input.method} URL for ${target.key}, valid until ${expiresAt}:\n${url}\n`,
    };
    yield {
      type: 'json',
      json: {
        url,
        method: input.method,
        expires_at: expiresAt,
        expires_in: input.expires,
        bucket: context.bucket,
        object_key: target.key,
        relative_key: target.relativeKey,
        required_headers: headers,
      },
    };
    yield { type: 'link', url };
  },
};

/** `attachment; filename="ascii"; filename*=UTF-8''…` (RFC 6266 with RFC 5987 for non-ASCII names). */
function attachmentFor(downloadFilename: string): string {
  const name = cleanSourceName(downloadFilename);
  if (!name) {
    throw new AppError('INVALID_ARGUMENT', 'Parameter "download_filename" is not a usable file name', {
      details: { parameter: 'download_filename' },
    });
  }
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return createContentDisposition(name, { type: 'attachment', fallback });
}

function onlyFor(parameter: string, method: string): AppError {
  return new AppError('INVALID_ARGUMENT', `Parameter "${parameter}" applies only to method ${method}`, {
    details: { parameter },
  });
}
