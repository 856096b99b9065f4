// Fake tool declarations for the MCP face's unit tests: an in-memory bucket with an upload tool and a
// download tool shaped like the real ones (same names, parameter kinds and message order).
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { AppError } from '../../../src/errors.js';
import type { AnyToolDeclaration } from '../../../src/tools/registry.js';
import type { FileInput, I18nText, ParamSpec, ToolMessage } from '../../../src/tools/tool-declaration.js';

const text = (en: string): I18nText => ({ en_US: en, zh_Hans: en, ja_JP: en, pt_BR: en });

function spec(name: string, type: ParamSpec['type'], extra: Partial<ParamSpec> = {}): ParamSpec {
  return {
    name,
    type,
    form: 'llm',
    required: false,
    label: text(name),
    humanDescription: text(`The ${name}`),
    llmDescription: `The ${name} parameter`,
    ...extra,
  };
}

/** One stored object of the fake bucket. */
export interface FakeObject {
  bytes: Buffer;
  contentType: string;
  lastModified: Date;
}

/** A fake bucket and the tools that use it; `calls` records each handler run's parameters. */
export interface FakeToolkit {
  bucket: Map<string, FakeObject>;
  calls: Array<{ tool: string; params: Record<string, unknown> }>;
  tools: AnyToolDeclaration[];
}

const fileInput = z.custom<FileInput>(
  (value) => typeof value === 'object' && value !== null && 'kind' in value,
);

async function readInput(input: FileInput): Promise<{ bytes: Buffer; filename: string }> {
  if (input.kind === 'base64') return { bytes: Buffer.from(input.data, 'base64'), filename: input.filename };
  if (input.kind === 'path')
    return { bytes: await readFile(input.path), filename: input.path.split('/').pop()! };
  throw new AppError('FILE_SOURCE_INVALID', `fake tools cannot read ${input.kind} inputs`);
}

/** Builds the fake toolkit. Download links look like `https://signed.example/<key>?sig=fake`. */
export function createFakeToolkit(): FakeToolkit {
  const bucket = new Map<string, FakeObject>();
  const calls: FakeToolkit['calls'] = [];
  const upload: AnyToolDeclaration = {
    name: 'upload_file',
    label: text('Upload File'),
    description: text('Uploads a file to the bucket'),
    llmDescription: 'Upload one file to OSS.',
    parameters: [
      spec('file', 'file', { required: true }),
      spec('directory', 'string', { required: true, form: 'form' }),
      spec('filename_mode', 'select', {
        default: 'filename',
        options: [
          { value: 'filename', label: text('Keep name') },
          { value: 'filename_timestamp', label: text('Add timestamp') },
        ],
      }),
      spec('sign_expired', 'number', { default: 3600, min: 1, max: 604800 }),
    ],
    params: z.object({
      file: fileInput,
      directory: z.string().min(1),
      filename_mode: z.enum(['filename', 'filename_timestamp']).default('filename'),
      sign_expired: z.number().int().min(1).max(604800).default(3600),
    }),
    outputSchema: {
      type: 'object',
      properties: { status: { type: 'string' }, object_key: { type: 'string' }, size: { type: 'integer' } },
      required: ['status', 'object_key'],
    },
    annotations: { destructiveHint: false, readOnlyHint: false },
    async *handler(params: { file: FileInput; directory: string }): AsyncIterable<ToolMessage> {
      calls.push({ tool: 'upload_file', params });
      const { bytes, filename } = await readInput(params.file);
      const key = `${params.directory}/${filename}`;
      bucket.set(key, { bytes, contentType: 'application/octet-stream', lastModified: new Date() });
      yield { type: 'text', text: `File uploaded: ${key}` };
      yield { type: 'json', json: { status: 'success', object_key: key, size: bytes.length } };
    },
  };
  const download: AnyToolDeclaration = {
    name: 'get_file_by_url',
    label: text('Get File by URL'),
    description: text('Downloads an object of the bucket'),
    llmDescription: 'Download one object by its URL.',
    parameters: [spec('file_url', 'string', { required: true })],
    params: z.object({ file_url: z.string().min(1) }),
    outputSchema: { type: 'object', properties: { key: { type: 'string' }, size: { type: 'integer' } } },
    annotations: { readOnlyHint: true },
    async *handler(params: { file_url: string }): AsyncIterable<ToolMessage> {
      calls.push({ tool: 'get_file_by_url', params });
      const key = params.file_url.replace(/^oss:\/\/[^/]+\//, '');
      const object = bucket.get(key);
      if (!object) throw new AppError('OSS_NO_SUCH_KEY', `No object ${key}`);
      yield {
        type: 'blob',
        stream: Readable.from([object.bytes]),
        size: object.bytes.length,
        filename: key.split('/').pop()!,
        mimeType: object.contentType,
      };
      yield { type: 'link', url: `https://signed.example/${key}?sig=fake` };
      yield { type: 'json', json: { key, size: object.bytes.length } };
      yield { type: 'text', text: `File downloaded: ${key}` };
    },
  };
  return { bucket, calls, tools: [upload, download] };
}
