// get_files_by_urls: downloads several objects of the configured bucket, a bounded number at once,
// yielding one blob at a time in input order; per-item errors go to the JSON summary.
import { PassThrough, pipeline, type Readable } from 'node:stream';
import pLimit from 'p-limit';
import { z } from 'zod';
import { AppError, toAppError } from '../errors.js';
import {
  BATCH_DOWNLOAD_SCHEMA,
  batchDownloadText,
  buildDownloadJson,
  type DownloadOutcome,
} from './download-result.js';
import { openObjectDownload } from './object-download.js';
import { DEFAULT_SIGN_EXPIRES_SECONDS } from './params.js';
import type { ToolContext } from './tool-context.js';
import type { ToolDeclaration, ToolMessage } from './tool-declaration.js';
import { parseUrlList } from './url-list.js';

/** Bytes each in-flight download may read ahead while an earlier blob is being consumed. */
export const PREFETCH_BYTES = 1024 * 1024;

const params = z.object({
  file_urls: z.preprocess(
    (value) => (Array.isArray(value) ? value : typeof value === 'string' ? value : ''),
    z.union([z.string(), z.array(z.unknown())]),
  ),
});

/** Parameters of get_files_by_urls after coercion. */
export type GetFilesByUrlsParams = z.infer<typeof params>;

interface Ready {
  outcome: DownloadOutcome;
  stream?: Readable;
}

/**
 * get_files_by_urls, declared once (seed-behaviour.md §4.4; B10, B11, B15 fixed). A face must consume
 * (or destroy) each blob before asking for the next message: a download keeps its concurrency slot
 * until its blob is consumed, so memory stays at `batch_concurrency × PREFETCH_BYTES`.
 */
export const GET_FILES_BY_URLS_TOOL: ToolDeclaration<GetFilesByUrlsParams, ToolContext> = {
  name: 'get_files_by_urls',
  label: {
    en_US: 'Batch Download OSS Files',
    zh_Hans: '批量下载OSS文件',
    ja_JP: 'OSS ファイルの一括ダウンロード',
    pt_BR: 'Download em Lote de Arquivos OSS',
  },
  description: {
    en_US: 'Download several files from the configured Alibaba Cloud OSS bucket by their URLs.',
    zh_Hans: '通过多个 URL 从已配置的阿里云 OSS Bucket 批量下载文件。',
    ja_JP: '設定済みの Alibaba Cloud OSS バケットから複数の URL のファイルをまとめてダウンロードします。',
    pt_BR: 'Baixa vários arquivos do bucket do Alibaba Cloud OSS configurado pelas URLs.',
  },
  llmDescription:
    'Downloads several objects of the configured OSS bucket. file_urls is a JSON array or a list separated by newlines or ";". Returns each file plus JSON with status (completed, partial, failed) and per-URL metadata or error_code.',
  parameters: [
    {
      name: 'file_urls',
      type: 'string',
      form: 'llm',
      required: true,
      label: {
        en_US: 'File URLs',
        zh_Hans: '文件 URL 列表',
        ja_JP: 'ファイル URL 一覧',
        pt_BR: 'URLs dos Arquivos',
      },
      humanDescription: {
        en_US:
          'URLs of objects in the configured bucket, separated by semicolons (;) or newlines, or a JSON array',
        zh_Hans: '已配置 Bucket 中对象的 URL，用分号（;）或换行分隔，或 JSON 数组',
        ja_JP:
          '設定済みバケット内のオブジェクトの URL。セミコロン（;）か改行で区切るか、JSON 配列で指定します',
        pt_BR:
          'URLs de objetos no bucket configurado, separadas por ponto e vírgula (;) ou quebras de linha, ou um array JSON',
      },
      llmDescription:
        'URLs of objects in the configured OSS bucket, separated by ";" or newlines, or a JSON array of strings. Duplicates are fetched once.',
    },
  ],
  params,
  outputSchema: BATCH_DOWNLOAD_SCHEMA,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async function* (input, context) {
    const { urls } = parseUrlList(input.file_urls);
    if (urls.length === 0) throw new AppError('INVALID_ARGUMENT', 'Parameter "file_urls" has no URL');
    const max = context.settings.max_files;
    if (urls.length > max) {
      throw new AppError('TOO_MANY_FILES', `Got ${urls.length} URLs; at most ${max} per call (max_files)`, {
        details: { count: urls.length, max },
      });
    }
    const limit = pLimit(context.settings.batch_concurrency);
    const opened: Readable[] = [];
    const pending = urls.map((url, index) => startDownload(url, index, context, limit, opened));
    const outcomes: DownloadOutcome[] = [];
    try {
      for (const next of pending) {
        const ready = await next;
        outcomes.push(ready.outcome);
        if (ready.outcome.ok && ready.stream) yield* blobMessages(ready.outcome, ready.stream, context);
      }
    } finally {
      for (const stream of opened) if (!stream.readableEnded) stream.destroy();
      limit.clearQueue();
    }
    yield { type: 'text', text: batchDownloadText(outcomes) };
    const json = buildDownloadJson(outcomes);
    yield { type: 'json', json };
    if (outcomes.every((outcome) => !outcome.ok)) {
      throw new AppError('ALL_ITEMS_FAILED', `All ${outcomes.length} downloads failed`, {
        details: { files: json.files },
      });
    }
  },
};

async function* blobMessages(
  meta: Extract<DownloadOutcome, { ok: true }>,
  stream: Readable,
  context: ToolContext,
): AsyncGenerator<ToolMessage> {
  const link = await context.urls.signedUrl(meta.key!, DEFAULT_SIGN_EXPIRES_SECONDS);
  yield { type: 'link', url: link.url };
  yield { type: 'blob', stream, size: meta.size, filename: meta.filename, mimeType: meta.contentType };
}

/** Starts one download in a concurrency slot that is held until its blob has been consumed. */
function startDownload(
  url: string,
  index: number,
  context: ToolContext,
  limit: ReturnType<typeof pLimit>,
  opened: Readable[],
): Promise<Ready> {
  return new Promise<Ready>((resolve) => {
    limit(async () => {
      if (context.signal.aborted) {
        resolve({ outcome: failure(url, index, context.signal.reason) });
        return;
      }
      try {
        const download = await openObjectDownload(url, index, context);
        const buffered = new PassThrough({ highWaterMark: PREFETCH_BYTES });
        opened.push(buffered);
        const released = new Promise<void>((release) => buffered.once('close', release));
        pipeline(download.stream, buffered, () => {});
        resolve({ outcome: download.meta, stream: buffered });
        await released;
      } catch (error) {
        resolve({ outcome: failure(url, index, error) });
      }
    }).catch((error: unknown) => resolve({ outcome: failure(url, index, error) }));
  });
}

function failure(url: string, index: number, error: unknown): DownloadOutcome {
  const appError = toAppError(error);
  return { ok: false, index, url, code: appError.code, message: appError.message };
}
