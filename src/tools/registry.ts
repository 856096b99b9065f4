// The list of every tool, in the order faces show them. Each tool is declared once in its own file.

import type { ToolContext } from './tool-context.js';
import type { ToolDeclaration } from './tool-declaration.js';

// biome-ignore lint/suspicious/noExplicitAny: each declaration has its own parameter type
export type AnyToolDeclaration = ToolDeclaration<any, ToolContext>;

/** Every tool, declared once; Dify YAML, MCP schemas, CLI flags and the README table derive from it. */
export const TOOL_REGISTRY: readonly AnyToolDeclaration[] = [];

/** The declaration named `name`, or undefined. */
export function findTool(
  name: string,
  tools: readonly AnyToolDeclaration[] = TOOL_REGISTRY,
): AnyToolDeclaration | undefined {
  return tools.find((tool) => tool.name === name);
}
