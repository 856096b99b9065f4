// Builds an MCP server whose tools are generated from the tool registry. Each call goes through the one
// entry `invokeTool` with face 'mcp'; transports (stdio, Streamable HTTP) live in their own modules.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Settings } from '../config/settings.js';
import { invokeTool } from '../tools/invoke.js';
import { type AnyToolDeclaration, TOOL_REGISTRY } from '../tools/registry.js';
import { createToolContext } from '../tools/tool-context.js';
import type { Logger, TransferProgress } from '../tools/tool-declaration.js';
import { buildInputSchema, type McpTransportKind, toToolParams } from './input-schema.js';
import { keyForBlob, renderToolResult } from './render-result.js';

/** Name and version the server reports in `initialize`. */
export const MCP_SERVER_INFO = { name: 'oss-dify', version: '0.1.0' } as const;

const MIB = 1024 * 1024;
const PROGRESS_INTERVAL_MS = 250;
/** Validity of the presigned link given instead of an embedded download (one hour). */
const LINK_EXPIRES_SECONDS = 3600;

/** Options of {@link createMcpServer}. */
export interface McpServerFactoryOptions {
  settings: Settings;
  /** Which transport the server is for; `path` file inputs exist only for 'stdio'. Default 'stdio'. */
  transport?: McpTransportKind;
  /** Tools to expose. Default: the whole {@link TOOL_REGISTRY}. */
  tools?: readonly AnyToolDeclaration[];
  logger?: Logger;
}

/**
 * The MCP output schema of a tool, from the declaration's JSON Schema, or undefined when it is not a
 * plain object schema (the SDK can only advertise and check object schemas).
 */
export function buildOutputSchema(jsonSchema: Record<string, unknown>): z.ZodObject | undefined {
  if (jsonSchema.type !== 'object') return undefined;
  try {
    const schema = z.fromJSONSchema(jsonSchema as Parameters<typeof z.fromJSONSchema>[0]);
    return schema instanceof z.ZodObject ? schema : undefined;
  } catch {
    return undefined;
  }
}

interface ToolSchemas {
  input: ReturnType<typeof buildInputSchema>;
  output: z.ZodObject | undefined;
}

// The HTTP face builds a server per request (stateless), so each declaration's schemas are built once.
const schemaCache = new WeakMap<AnyToolDeclaration, Partial<Record<McpTransportKind, ToolSchemas>>>();

function schemasOf(tool: AnyToolDeclaration, transport: McpTransportKind): ToolSchemas {
  const byTransport = schemaCache.get(tool) ?? {};
  let schemas = byTransport[transport];
  if (!schemas) {
    schemas = {
      input: buildInputSchema(tool.parameters, transport),
      output: buildOutputSchema(tool.outputSchema),
    };
    byTransport[transport] = schemas;
    schemaCache.set(tool, byTransport);
  }
  return schemas;
}

type ProgressSender = (progress: TransferProgress) => void;

function progressSender(
  token: string | number | undefined,
  send: (notification: {
    method: 'notifications/progress';
    params: { progressToken: string | number; progress: number; total?: number; message?: string };
  }) => Promise<void>,
): ProgressSender | undefined {
  if (token === undefined) return undefined;
  let last = 0;
  return (progress) => {
    const now = Date.now();
    const done = progress.totalBytes !== undefined && progress.loadedBytes >= progress.totalBytes;
    if (!done && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    send({
      method: 'notifications/progress',
      params: {
        progressToken: token,
        progress: progress.loadedBytes,
        ...(progress.totalBytes === undefined ? {} : { total: progress.totalBytes }),
        message: progress.label,
      },
    }).catch(() => undefined);
  };
}

/**
 * Creates an McpServer exposing every tool: strict input schemas from the parameter list, output schemas
 * and annotations from the declaration, results rendered by {@link renderToolResult}. Tool failures
 * come back as `isError` results carrying the error code; they never reject the JSON-RPC request.
 */
export function createMcpServer(options: McpServerFactoryOptions): McpServer {
  const { settings, logger } = options;
  const tools = options.tools ?? TOOL_REGISTRY;
  const transport = options.transport ?? 'stdio';
  const server = new McpServer(MCP_SERVER_INFO, {
    instructions:
      'Alibaba Cloud OSS tools: upload files to the configured bucket and download objects or public files.',
  });
  for (const tool of tools) {
    const { input: inputSchema, output: outputSchema } = schemasOf(tool, transport);
    server.registerTool(
      tool.name,
      {
        title: tool.label.en_US,
        description: tool.llmDescription || tool.description.en_US,
        inputSchema,
        ...(outputSchema ? { outputSchema } : {}),
        annotations: { title: tool.label.en_US, ...tool.annotations },
      },
      async (args, extra): Promise<CallToolResult> => {
        const onProgress = progressSender(extra._meta?.progressToken, extra.sendNotification);
        const started = Date.now();
        const context = await createToolContext({
          settings,
          face: 'mcp',
          signal: extra.signal,
          ...(logger ? { logger } : {}),
          ...(onProgress ? { onProgress } : {}),
        });
        const messages = invokeTool(tool.name, toToolParams(tool.parameters, args), {
          settings,
          face: 'mcp',
          tools,
          context,
        });
        const result = await renderToolResult(messages, {
          embedMaxBytes: settings.mcp_embed_max_mb * MIB,
          // Above the embed cap the bytes stay in the bucket and the client gets a presigned GET (§5.2).
          linkFor: async (blob, jsons) => {
            const key = keyForBlob(blob.filename, jsons);
            if (key === undefined || !context.bucket) return undefined;
            return (await context.urls.signedUrl(key, LINK_EXPIRES_SECONDS)).url;
          },
        });
        logger?.info('mcp tool call', {
          tool: tool.name,
          transport,
          isError: result.isError === true,
          ms: Date.now() - started,
        });
        return result;
      },
    );
  }
  return server;
}
