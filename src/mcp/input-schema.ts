// MCP input schemas generated from a tool's ParamSpec list, and the mapping of MCP file objects to the
// FileInput union the tools take. The tool's own zod `params` still validates after this mapping.
import { z } from 'zod';
import type { FileInput, ParamSpec } from '../tools/tool-declaration.js';

/** Which transport a schema is built for: local paths are accepted over stdio only. */
export type McpTransportKind = 'stdio' | 'http';

/** The MCP shape of one file parameter, before it becomes a {@link FileInput}. */
export type McpFileArgument =
  | { file_url: string }
  | { content_base64: string; filename: string; mime_type?: string | undefined }
  | { path: string };

const BASE64_PATTERN = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/**
 * The zod schema of one MCP file argument: `{file_url}`, `{content_base64, filename}` or, over stdio only,
 * `{path}`. Each variant is strict, so a mix of two variants is rejected instead of silently trimmed.
 */
export function fileArgumentSchema(transport: McpTransportKind): z.ZodType<McpFileArgument> {
  const byUrl = z
    .strictObject({
      file_url: z
        .url({ protocol: /^https?$/ })
        .describe('An http(s) URL the server downloads (SSRF-guarded).'),
    })
    .describe('A file given by URL');
  const byContent = z
    .strictObject({
      content_base64: z
        .string()
        .min(1)
        .regex(BASE64_PATTERN, 'expected base64 content')
        .describe('The file content, base64-encoded.'),
      filename: z.string().min(1).max(1024).describe('The file name, with its extension.'),
      mime_type: z.string().min(1).max(255).optional().describe('The MIME type, when known.'),
    })
    .describe('A file given inline as base64');
  if (transport === 'http') return z.union([byUrl, byContent]);
  const byPath = z
    .strictObject({
      path: z.string().min(1).describe('A local path under the allowed root directory (stdio only).'),
    })
    .describe('A local file');
  return z.union([byUrl, byContent, byPath]);
}

function scalarSchema(spec: ParamSpec, transport: McpTransportKind): z.ZodType {
  switch (spec.type) {
    case 'string':
      return z.string();
    case 'number': {
      let schema = z.number();
      if (spec.min !== undefined) schema = schema.min(spec.min);
      if (spec.max !== undefined) schema = schema.max(spec.max);
      return schema;
    }
    case 'boolean':
      return z.boolean();
    case 'select': {
      const values = (spec.options ?? []).map((option) => option.value);
      return values.length > 0 ? z.enum(values as [string, ...string[]]) : z.string();
    }
    case 'file':
      return fileArgumentSchema(transport);
    case 'files': {
      let schema = z.array(fileArgumentSchema(transport)).min(1);
      if (spec.max !== undefined) schema = schema.max(spec.max);
      return schema;
    }
  }
}

function withDefault(schema: z.ZodType, spec: ParamSpec): z.ZodType {
  const described = schema.describe(spec.llmDescription || spec.humanDescription.en_US);
  if (spec.default !== undefined && spec.type !== 'file' && spec.type !== 'files') {
    return described.default(spec.default as never);
  }
  return spec.required ? described : described.optional();
}

/**
 * Builds the strict MCP input schema of a tool from its parameter list. Unknown fields are rejected
 * (security-reliability.md §B case 43), defaults are advertised, and `file`/`files` parameters take the
 * {@link McpFileArgument} shapes.
 */
export function buildInputSchema(
  parameters: readonly ParamSpec[],
  transport: McpTransportKind,
): z.ZodObject<Record<string, z.ZodType>> {
  const shape: Record<string, z.ZodType> = {};
  for (const spec of parameters) shape[spec.name] = withDefault(scalarSchema(spec, transport), spec);
  return z.strictObject(shape);
}

/** Maps one MCP file argument to the tools' {@link FileInput}. */
export function toFileInput(argument: McpFileArgument): FileInput {
  if ('file_url' in argument) return { kind: 'url', url: argument.file_url };
  if ('path' in argument) return { kind: 'path', path: argument.path };
  return {
    kind: 'base64',
    data: argument.content_base64.replace(/\s+/g, ''),
    filename: argument.filename,
    ...(argument.mime_type ? { mimeType: argument.mime_type } : {}),
  };
}

/**
 * Turns parsed MCP arguments into the raw parameters of `invokeTool`: file objects become FileInputs,
 * everything else passes through unchanged (the tool's own schema validates it again).
 */
export function toToolParams(
  parameters: readonly ParamSpec[],
  args: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...args };
  for (const spec of parameters) {
    const value = args[spec.name];
    if (value === undefined) continue;
    if (spec.type === 'file') out[spec.name] = toFileInput(value as McpFileArgument);
    if (spec.type === 'files') out[spec.name] = (value as McpFileArgument[]).map(toFileInput);
  }
  return out;
}
