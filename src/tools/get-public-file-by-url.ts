// get_public_file_by_url: downloads a public http(s) URL through the guarded fetcher (SSRF checks on
// every hop, byte limit, timeouts; B2 fixed) and returns it as a file.

import mimeTypes from 'mime-types';
import { z } from 'zod';
import { mimeEssence, OCTET_STREAM } from './content-type.js';
import {
  DOWNLOAD_ITEM_SCHEMA,
  type DownloadSuccess,
  downloadItemJson,
  downloadLine,
} from './download-result.js';
import { requiredText } from './params.js';
import { readLater } from './read-later.js';
import { spoolToTempFile } from './temp-spool.js';
import type { ToolContext } from './tool-context.js';
import type { ToolDeclaration } from './tool-declaration.js';

const params = z.object({ file_url: requiredText() });

/** Parameters of get_public_file_by_url after coercion. */
export type GetPublicFileByUrlParams = z.infer<typeof params>;

/** get_public_file_by_url, declared once (seed-behaviour.md §4.5). */
export const GET_PUBLIC_FILE_BY_URL_TOOL: ToolDeclaration<GetPublicFileByUrlParams, ToolContext> = {
  name: 'get_public_file_by_url',
  label: {
    en_US: 'Download Public File',
    zh_Hans: '下载公开文件',
    ja_JP: '公開ファイルをダウンロード',
    pt_BR: 'Baixar Arquivo Público',
  },
  description: {
    en_US:
      'Download a publicly accessible file from any public http(s) URL, with SSRF protection and a size limit.',
    zh_Hans: '从任意公网 http(s) URL 下载公开文件，带 SSRF 防护和大小限制。',
    ja_JP: '公開されている http(s) URL からファイルをダウンロードします（SSRF 対策とサイズ制限付き）。',
    pt_BR: 'Baixa um arquivo de qualquer URL http(s) pública, com proteção contra SSRF e limite de tamanho.',
  },
  llmDescription:
    'Downloads a file from a public http(s) URL and returns it as a file plus JSON metadata. Private, loopback and metadata addresses are blocked; files over max_download_mb are refused.',
  parameters: [
    {
      name: 'file_url',
      type: 'string',
      form: 'llm',
      required: true,
      label: { en_US: 'File URL', zh_Hans: '文件 URL', ja_JP: 'ファイル URL', pt_BR: 'URL do Arquivo' },
      humanDescription: {
        en_US: 'The URL of a publicly accessible file from any platform',
        zh_Hans: '任意平台上可公开访问的文件 URL',
        ja_JP: '任意のプラットフォーム上で公開されているファイルの URL',
        pt_BR: 'A URL de um arquivo acessível publicamente em qualquer plataforma',
      },
      llmDescription: 'A public http or https URL of the file to download.',
    },
  ],
  params,
  outputSchema: DOWNLOAD_ITEM_SCHEMA,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  handler: async function* (input, context) {
    const body = await context.fetchers.guarded(input.file_url, {
      maxBytes: context.settings.max_download_mb * 1024 * 1024,
      allowedHosts: context.settings.public_download_allowed_hosts,
      signal: context.signal,
    });
    // Without a Content-Length the exact size (which blobs need) is known only after reading it all.
    const exact =
      body.size === undefined
        ? await spoolToTempFile(body.stream, context.signal)
        : { stream: body.stream, size: body.size };
    // Read only after the text and JSON below: a reset before then must wait for the reader (read-later.ts).
    readLater(exact.stream);
    const declared = mimeEssence(body.contentType);
    const contentType =
      (declared && declared !== OCTET_STREAM ? declared : undefined) ??
      body.sniffedMimeType ??
      (mimeTypes.lookup(body.filename) || OCTET_STREAM);
    const meta: DownloadSuccess = {
      ok: true,
      index: 0,
      url: body.finalUrl,
      filename: body.filename,
      size: exact.size,
      contentType,
    };
    let handedOver = false;
    try {
      yield { type: 'text', text: downloadLine(meta) };
      yield { type: 'json', json: downloadItemJson(meta) };
      yield {
        type: 'blob',
        stream: exact.stream,
        size: exact.size,
        filename: meta.filename,
        mimeType: contentType,
      };
      handedOver = true;
    } finally {
      if (!handedOver) exact.stream.destroy();
    }
  },
};
