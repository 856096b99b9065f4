// The shape of one tool declaration and of the messages a handler yields. Every face (Dify, MCP, CLI)
// and every generator (Dify YAML, MCP schemas, CLI flags, README table) reads only these types.
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { AppError } from '../errors.js';

/** The four locales every label and description carries (Dify requires en_US; we ship all four). */
export const LOCALES = ['en_US', 'zh_Hans', 'ja_JP', 'pt_BR'] as const;
export type Locale = (typeof LOCALES)[number];
export type I18nText = Record<Locale, string>;

/** The same text in every locale: for names, numbers and examples that need no translation. */
export function sameText(text: string): I18nText {
  return { en_US: text, zh_Hans: text, ja_JP: text, pt_BR: text };
}

/** Parameter types as Dify's tool YAML names them. */
export type ParamType = 'string' | 'number' | 'boolean' | 'select' | 'file' | 'files';

/** One option of a `select` parameter. */
export interface SelectOption {
  value: string;
  label: I18nText;
}

/** Dify form metadata of one parameter; the zod schema of the tool holds the validation itself. */
export interface ParamSpec {
  name: string;
  type: ParamType;
  /** `llm`: the model fills it in an agent; `form`: the user sets it in the node. */
  form: 'llm' | 'form';
  required: boolean;
  default?: string | number | boolean;
  options?: SelectOption[];
  min?: number;
  max?: number;
  label: I18nText;
  humanDescription: I18nText;
  llmDescription: string;
  /** Placeholder shown in Dify's form, when useful. */
  placeholder?: I18nText;
}

/**
 * A file given to a tool. Dify sends its file object; the CLI and MCP faces turn paths, URLs and base64
 * into the same union so a handler never knows which face called it.
 */
export type FileInput =
  | {
      kind: 'dify';
      url: string;
      filename?: string | null;
      mimeType?: string | null;
      extension?: string | null;
      size?: number | null;
    }
  | { kind: 'path'; path: string }
  | { kind: 'url'; url: string }
  | { kind: 'base64'; data: string; filename: string; mimeType?: string };

/** A binary result: a byte stream with its exact size, consumed once by the face. */
export interface BlobMessage {
  type: 'blob';
  stream: Readable;
  size: number;
  filename: string;
  mimeType: string;
}

/** What a handler yields; each face renders these its own way. */
export type ToolMessage =
  | { type: 'text'; text: string }
  | { type: 'json'; json: Record<string, unknown> | unknown[] }
  | BlobMessage
  | { type: 'link'; url: string }
  | { type: 'variable'; name: string; value: unknown; stream?: boolean };

/** Progress of a transfer, reported by handlers that move bytes. */
export interface TransferProgress {
  loadedBytes: number;
  totalBytes?: number;
  label: string;
}

/** Structured logger; every face passes one whose output is redacted. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The MCP annotations of a tool (also used to describe it in the README). */
export interface ToolAnnotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/**
 * One tool, declared once. `params` validates and coerces raw parameters (Dify's `""`/`null` become
 * defaults, numeric strings become numbers); `parameters` carries the Dify form metadata in order.
 */
export interface ToolDeclaration<Params = Record<string, unknown>, Context = unknown> {
  name: string;
  label: I18nText;
  description: I18nText;
  llmDescription: string;
  parameters: ParamSpec[];
  params: z.ZodType<Params>;
  /** JSON Schema (object) of the tool's JSON result, as Dify's `output_schema` and MCP's outputSchema. */
  outputSchema: Record<string, unknown>;
  annotations: ToolAnnotations;
  handler: (params: Params, context: Context) => AsyncIterable<ToolMessage>;
}

/** A failed item inside a batch result; kept here so every batch tool reports errors alike. */
export interface ItemError {
  error_code: AppError['code'];
  error: string;
}
