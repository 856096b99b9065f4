// The one entry point every face uses to run a tool: find it, validate and coerce its parameters,
// build its context, and stream its messages. Faces never call handlers directly.
import { AppError } from '../errors.js';
import { type AnyToolDeclaration, findTool, TOOL_REGISTRY } from './registry.js';
import { createToolContext, type ToolContext, type ToolContextOptions } from './tool-context.js';
import type { ToolMessage } from './tool-declaration.js';

/** Options of {@link invokeTool}. `tools` and `context` exist for tests and fakes. */
export interface InvokeOptions extends ToolContextOptions {
  tools?: readonly AnyToolDeclaration[];
  context?: ToolContext;
}

/**
 * Validates `rawParams` against the tool's schema and yields the handler's messages.
 * @throws AppError TOOL_NOT_FOUND for an unknown name, INVALID_ARGUMENT naming the bad parameter.
 */
export async function* invokeTool(
  name: string,
  rawParams: Record<string, unknown>,
  options: InvokeOptions,
): AsyncGenerator<ToolMessage> {
  const tool = findTool(name, options.tools ?? TOOL_REGISTRY);
  if (!tool) throw new AppError('TOOL_NOT_FOUND', `No tool named "${name}"`, { details: { tool: name } });
  const params = parseParams(tool, rawParams);
  const context = options.context ?? (await createToolContext(options));
  yield* tool.handler(params, context);
}

/** Parses raw parameters with the tool's zod schema; the first issue names the parameter. */
export function parseParams(tool: AnyToolDeclaration, rawParams: Record<string, unknown>): unknown {
  const result = tool.params.safeParse(rawParams);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue?.path.join('.') || 'parameters';
  throw new AppError(
    'INVALID_ARGUMENT',
    `Parameter "${param}" is invalid: ${issue?.message ?? 'bad value'}`,
    {
      details: { tool: tool.name, parameter: param },
    },
  );
}
