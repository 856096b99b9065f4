// save_text: stores text an LLM wrote (a report, JSON, Markdown) as an object, through the same upload
// path, key rules, overwrite policy and JSON result as upload_file. JSON content is validated first.
import mimeTypes from 'mime-types';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { mimeEssence } from './content-type.js';
import { lastSegment, splitName } from './object-key.js';
import { optionalText } from './params.js';
import type { ToolContext } from './tool-context.js';
import type { ParamSpec, ToolDeclaration } from './tool-declaration.js';
import { uploadItem, uploadOptionsOf } from './upload-item.js';
import {
  DIRECTORY_MODE_PARAM,
  DIRECTORY_PARAM,
  FILENAME_MODE_PARAM,
  SIGN_EXPIRED_PARAM,
  SIGNED_PARAM,
  UPLOAD_MODE_FIELDS,
} from './upload-params.js';
import { buildUploadJson, UPLOAD_OUTPUT_SCHEMA, uploadSummaryText } from './upload-result.js';

/** Content type of saved text when none is given. */
export const DEFAULT_TEXT_CONTENT_TYPE = 'text/plain; charset=utf-8';

const params = z.object({
  // Never trimmed: the bytes stored are exactly the UTF-8 of the string given.
  content: z.preprocess(
    (value) => (value === null ? undefined : value),
    z.string({ error: 'is required (a string)' }).min(1, 'is required'),
  ),
  filename: optionalText(),
  content_type: optionalText(),
  ...UPLOAD_MODE_FIELDS,
});

/** Parameters of save_text after coercion. */
export type SaveTextParams = z.infer<typeof params>;

const CONTENT_PARAM: ParamSpec = {
  name: 'content',
  type: 'string',
  form: 'llm',
  required: true,
  label: { en_US: 'Content', zh_Hans: '文本内容', ja_JP: '内容', pt_BR: 'Conteúdo' },
  humanDescription: {
    en_US: 'The text to store, saved byte for byte as UTF-8',
    zh_Hans: '要保存的文本，按 UTF-8 原样逐字节保存',
    ja_JP: '保存するテキスト。UTF-8 でそのまま保存されます',
    pt_BR: 'O texto a armazenar, gravado byte a byte em UTF-8',
  },
  llmDescription: 'The full text to store (report, Markdown, CSV, JSON ...), stored exactly as given.',
};

const TEXT_FILENAME_PARAM: ParamSpec = {
  name: 'filename',
  type: 'string',
  form: 'llm',
  required: false,
  label: { en_US: 'Filename', zh_Hans: '文件名', ja_JP: 'ファイル名', pt_BR: 'Nome do Arquivo' },
  humanDescription: {
    en_US: 'Name to store the text under, e.g. report.md; without an extension one follows the content type',
    zh_Hans: '保存的文件名，例如 report.md；未写扩展名时按内容类型补上',
    ja_JP: '保存するファイル名（例：report.md）。拡張子がなければコンテンツタイプから付けます',
    pt_BR: 'Nome com que o texto é salvo, ex.: report.md; sem extensão, usa a do tipo de conteúdo',
  },
  llmDescription: 'File name such as "report.md". Empty gives "text" plus the extension of content_type.',
};

const CONTENT_TYPE_PARAM: ParamSpec = {
  name: 'content_type',
  type: 'string',
  form: 'llm',
  required: false,
  label: { en_US: 'Content Type', zh_Hans: '内容类型', ja_JP: 'コンテンツタイプ', pt_BR: 'Tipo de Conteúdo' },
  humanDescription: {
    en_US:
      'Media type, e.g. text/markdown or application/json (JSON is validated); default: by the filename extension, else text/plain',
    zh_Hans:
      '媒体类型，例如 text/markdown 或 application/json（会校验 JSON）；默认按文件扩展名，否则为 text/plain',
    ja_JP:
      'メディアタイプ（例：text/markdown、application/json。JSON は検証されます）。既定はファイル名の拡張子から、なければ text/plain',
    pt_BR:
      'Tipo de mídia, ex.: text/markdown ou application/json (JSON é validado); padrão: pela extensão do nome, senão text/plain',
  },
  llmDescription:
    'Media type, e.g. "text/markdown", "text/csv" or "application/json" (content must then be valid JSON). Default: the type of the filename extension, else "text/plain; charset=utf-8".',
};

/** save_text, declared once (issue #8). */
export const SAVE_TEXT_TOOL: ToolDeclaration<SaveTextParams, ToolContext> = {
  name: 'save_text',
  label: {
    en_US: 'Save Text to OSS',
    zh_Hans: '保存文本到OSS',
    ja_JP: 'テキストを OSS に保存',
    pt_BR: 'Salvar Texto no OSS',
  },
  description: {
    en_US: 'Save text (a report, Markdown, JSON ...) as a file in Alibaba Cloud OSS and get its key and URL.',
    zh_Hans: '将文本（报告、Markdown、JSON 等）保存为阿里云 OSS 中的文件，并返回对象键和 URL。',
    ja_JP:
      'テキスト（レポート、Markdown、JSON など）を Alibaba Cloud OSS にファイルとして保存し、キーと URL を返します。',
    pt_BR:
      'Salva um texto (relatório, Markdown, JSON ...) como arquivo no Alibaba Cloud OSS e retorna a chave e a URL.',
  },
  llmDescription:
    'Stores the given text as a file in the configured OSS bucket under directory/filename and returns the same JSON as upload_file (object_key, file_url, public_url, signed_url when signed). An existing object is never silently overwritten.',
  parameters: [
    CONTENT_PARAM,
    DIRECTORY_PARAM,
    TEXT_FILENAME_PARAM,
    CONTENT_TYPE_PARAM,
    FILENAME_MODE_PARAM,
    DIRECTORY_MODE_PARAM,
    SIGNED_PARAM,
    SIGN_EXPIRED_PARAM,
  ],
  params,
  outputSchema: UPLOAD_OUTPUT_SCHEMA,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  handler: async function* (input, context) {
    const contentType = checkedContentType(
      input.content_type ?? defaultContentType(input.filename),
      input.content,
    );
    const bytes = Buffer.from(input.content, 'utf8');
    const outcome = await uploadItem(
      {
        index: 0,
        // The upload path's in-memory source: exact size, one PUT, CRC-64 checked.
        input: {
          kind: 'base64',
          data: bytes.toString('base64'),
          filename: input.filename ?? 'text',
          mimeType: contentType,
        },
        customFilename: input.filename,
        fallbackBase: 'text',
      },
      uploadOptionsOf(input),
      context,
    );
    if (!outcome.ok) {
      throw new AppError(outcome.code, `Failed to save the text: ${outcome.message}`, {
        details: {
          ...(outcome.key ? { object_key: outcome.key } : {}),
          ...(outcome.status ? { status: outcome.status } : {}),
        },
        ...(outcome.retryable === undefined ? {} : { retryable: outcome.retryable }),
      });
    }
    yield { type: 'text', text: uploadSummaryText([outcome], false) };
    yield { type: 'json', json: buildUploadJson([outcome]) };
  },
};

/** Without a content_type: the type of the filename's extension (`report.md`), else plain UTF-8 text. */
function defaultContentType(filename: string | undefined): string {
  const ext = filename ? splitName(lastSegment(filename)).ext : '';
  return (ext && mimeTypes.contentType(ext.slice(1))) || DEFAULT_TEXT_CONTENT_TYPE;
}

/**
 * The media type to store, after checking it and, for JSON types, the content.
 * @throws AppError INVALID_ARGUMENT for a malformed type, CONTENT_INVALID for content that is not JSON.
 */
function checkedContentType(contentType: string, content: string): string {
  const essence = mimeEssence(contentType);
  if (!essence || !/^[\t\x20-\x7e]*$/.test(contentType)) {
    throw new AppError('INVALID_ARGUMENT', 'Parameter "content_type" is not a media type', {
      details: { parameter: 'content_type' },
    });
  }
  if (essence === 'application/json' || essence.endsWith('+json')) {
    try {
      JSON.parse(content);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : 'not JSON';
      throw new AppError('CONTENT_INVALID', `The content is not valid JSON: ${reason.slice(0, 200)}`, {
        details: { content_type: essence },
      });
    }
  }
  return contentType;
}
