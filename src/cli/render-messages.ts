// How the CLI shows tool messages: readable lines by default, or one JSON object per message with
// `--json`. Blobs are saved under the output directory and reported by path, size and type.
import type { ToolMessage, TransferProgress } from '../tools/tool-declaration.js';
import { saveBlob } from './save-blob.js';

/** Options of {@link renderMessage}. */
export interface RenderOptions {
  /** One JSON line per message instead of human text. */
  json: boolean;
  /** Directory where blobs are saved. */
  outDir: string;
  write: (text: string) => void;
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
}

/** The `--json` line of a message: its fields in snake_case, a blob replaced by where it was saved. */
export type JsonLine =
  | { type: 'text'; text: string }
  | { type: 'json'; json: unknown }
  | { type: 'blob'; path: string; size: number; mime_type: string; filename: string }
  | { type: 'link'; url: string }
  | { type: 'variable'; name: string; value: unknown };

/**
 * Writes one message. A blob is saved first (see saveBlob), then reported.
 * @throws AppError from saveBlob (DOWNLOAD_FAILED, CANCELLED, INTERNAL).
 */
export async function renderMessage(message: ToolMessage, options: RenderOptions): Promise<void> {
  const line = await toJsonLine(message, options);
  options.write(`${options.json ? JSON.stringify(line) : humanLine(line)}\n`);
}

async function toJsonLine(message: ToolMessage, options: RenderOptions): Promise<JsonLine> {
  switch (message.type) {
    case 'text':
      return { type: 'text', text: message.text };
    case 'json':
      return { type: 'json', json: message.json };
    case 'link':
      return { type: 'link', url: message.url };
    case 'variable':
      return { type: 'variable', name: message.name, value: message.value };
    case 'blob': {
      const saved = await saveBlob(message, {
        outDir: options.outDir,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      return {
        type: 'blob',
        path: saved.path,
        size: saved.size,
        mime_type: message.mimeType,
        filename: message.filename,
      };
    }
  }
}

/** The human rendering of one JSON line. */
export function humanLine(line: JsonLine): string {
  switch (line.type) {
    case 'text':
      return line.text;
    case 'json':
      return JSON.stringify(line.json);
    case 'link':
      return line.url;
    case 'variable':
      return `${line.name} = ${JSON.stringify(line.value)}`;
    case 'blob':
      return `saved ${line.path} (${line.size} bytes, ${line.mime_type})`;
  }
}
