// Renders the messages of one tool run as an MCP CallToolResult: a text summary, the JSON as
// structuredContent (and as text for older clients), blobs embedded as base64 up to a cap, links above it.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { redact } from '../config/redact.js';
import { type AppError, toAppError } from '../errors.js';
import type { BlobMessage, ToolMessage } from '../tools/tool-declaration.js';

type ContentBlock = CallToolResult['content'][number];

/** Options of {@link renderToolResult}. */
export interface RenderOptions {
  /** Blobs up to this many bytes are embedded as base64 resources; larger ones become links. */
  embedMaxBytes: number;
  /**
   * A download link for a blob above the cap when the tool yielded no `link` message for it (the MCP
   * face presigns the object's key); `jsons` are the tool's JSON messages, which name the key.
   */
  linkFor?: (
    blob: OversizeBlob,
    jsons: ReadonlyArray<Record<string, unknown> | unknown[]>,
  ) => Promise<string | undefined>;
}

const MIB = 1024 * 1024;

/** A blob that was too large to embed (its stream was destroyed unread). */
export interface OversizeBlob {
  filename: string;
  mimeType: string;
  size: number;
}

/** Reads a blob fully when it fits under `maxBytes`; returns undefined (and stops reading) when not. */
async function readBlob(blob: BlobMessage, maxBytes: number): Promise<Buffer | undefined> {
  if (blob.size > maxBytes) {
    blob.stream.destroy();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of blob.stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    total += buffer.length;
    if (total > maxBytes) {
      blob.stream.destroy();
      return undefined;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}

function formatMib(bytes: number): string {
  return `${(bytes / MIB).toFixed(bytes < MIB ? 3 : 1)} MiB`;
}

/** The `isError` result of a failed call: `CODE: message`, redacted. */
export function errorResult(error: AppError, before: ContentBlock[] = []): CallToolResult {
  return {
    content: [...before, { type: 'text', text: redact(`${error.code}: ${error.message}`) }],
    isError: true,
  };
}

/**
 * Consumes a tool's messages and builds the CallToolResult. A failure (thrown at any point) becomes an
 * `isError` result that keeps the text produced before it, so an upload that half-succeeded still tells
 * the caller its key. Never throws.
 */
export async function renderToolResult(
  messages: AsyncIterable<ToolMessage>,
  options: RenderOptions,
): Promise<CallToolResult> {
  const collected: Collected = { texts: [], jsons: [], blobs: [], looseLinks: [], variables: {} };
  const { texts, jsons, blobs, looseLinks } = collected;
  try {
    for await (const message of messages) {
      switch (message.type) {
        case 'text':
          texts.push(message.text);
          break;
        case 'json':
          jsons.push(message.json);
          break;
        case 'link': {
          // A download tool yields its presigned link next to its blob (before or after it).
          const last = blobs.at(-1);
          if (last && last.link === undefined && last.linkSlot) last.link = message.url;
          else looseLinks.push(message.url);
          break;
        }
        case 'variable':
          collected.variables[message.name] = message.value;
          break;
        case 'blob': {
          const bytes = await readBlob(message, options.embedMaxBytes);
          const meta = { filename: message.filename, mimeType: message.mimeType, size: message.size };
          const link = looseLinks.shift();
          blobs.push({ ...meta, bytes, link, linkSlot: link === undefined });
          break;
        }
      }
    }
    // Blobs above the cap without a link of their own get one from the face (a presigned URL).
    for (const blob of blobs) {
      if (blob.bytes === undefined && blob.link === undefined && options.linkFor) {
        blob.link = await options.linkFor(blob, jsons);
      }
    }
  } catch (error) {
    const partial: ContentBlock[] = texts.length > 0 ? [{ type: 'text', text: texts.join('\n') }] : [];
    return errorResult(toAppError(error), partial);
  }
  return assemble(collected, options);
}

/**
 * The object key a download's JSON gives for `filename`: `key` of a single download, or the `key` of
 * the `files[]` entry with that filename in a batch.
 */
export function keyForBlob(
  filename: string,
  jsons: ReadonlyArray<Record<string, unknown> | unknown[]>,
): string | undefined {
  for (const json of jsons) {
    if (Array.isArray(json)) continue;
    if (typeof json.key === 'string' && (json.filename === undefined || json.filename === filename))
      return json.key;
    if (Array.isArray(json.files)) {
      const entry = (json.files as Array<Record<string, unknown>>).find(
        (file) => file?.filename === filename && typeof file.key === 'string',
      );
      if (entry) return entry.key as string;
    }
  }
  return undefined;
}

interface BlobRecord extends OversizeBlob {
  /** The bytes when embedded; undefined when above the cap. */
  bytes: Buffer | undefined;
  link: string | undefined;
  /** True while a link yielded right after this blob may still be paired with it. */
  linkSlot: boolean;
}

interface Collected {
  texts: string[];
  jsons: Array<Record<string, unknown> | unknown[]>;
  blobs: BlobRecord[];
  /** Links not paired with a blob (shown as text). */
  looseLinks: string[];
  variables: Record<string, unknown>;
}

function blobContent(blob: BlobRecord, embedMaxBytes: number): ContentBlock[] {
  if (blob.bytes !== undefined) {
    return [
      {
        type: 'resource',
        resource: {
          uri: `oss-dify:///blobs/${encodeURIComponent(blob.filename)}`,
          mimeType: blob.mimeType,
          blob: blob.bytes.toString('base64'),
        },
      },
    ];
  }
  // Above the cap the bytes stay in OSS; the presigned link goes out as a resource_link and as text,
  // since not every client renders resource_link (security-reliability.md §5.2).
  const head = `${blob.filename} (${formatMib(blob.size)}) is larger than the embed limit of ${formatMib(embedMaxBytes)}`;
  if (blob.link === undefined) return [{ type: 'text', text: `${head} and was not embedded.` }];
  return [
    { type: 'resource_link', uri: blob.link, name: blob.filename, mimeType: blob.mimeType, size: blob.size },
    { type: 'text', text: `${head}; download it here: ${blob.link}` },
  ];
}

function assemble(collected: Collected, options: RenderOptions): CallToolResult {
  const { texts, jsons, blobs, looseLinks, variables } = collected;
  const content: ContentBlock[] = [];
  if (texts.length > 0) content.push({ type: 'text', text: texts.join('\n') });
  for (const blob of blobs) content.push(...blobContent(blob, options.embedMaxBytes));
  for (const url of looseLinks) content.push({ type: 'text', text: url });
  const structured = [...jsons].reverse().find((json) => !Array.isArray(json)) as
    | Record<string, unknown>
    | undefined;
  for (const json of jsons) content.push({ type: 'text', text: JSON.stringify(json) });
  if (Object.keys(variables).length > 0) content.push({ type: 'text', text: JSON.stringify(variables) });
  if (content.length === 0) content.push({ type: 'text', text: 'Done.' });
  return structured ? { content, structuredContent: structured } : { content };
}
