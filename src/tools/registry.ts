// The list of every tool, in the order faces show them. Each tool is declared once in its own file.
import { COPY_OBJECT_TOOL } from './copy-object.js';
import { DELETE_OBJECT_TOOL } from './delete-object.js';
import { GET_FILE_BY_URL_TOOL } from './get-file-by-url.js';
import { GET_FILES_BY_URLS_TOOL } from './get-files-by-urls.js';
import { GET_OBJECT_INFO_TOOL } from './get-object-info.js';
import { GET_PUBLIC_FILE_BY_URL_TOOL } from './get-public-file-by-url.js';
import { LIST_OBJECTS_TOOL } from './list-objects.js';
import { MULTI_UPLOAD_FILES_TOOL } from './multi-upload-files.js';
import { SAVE_TEXT_TOOL } from './save-text.js';
import { SIGN_URL_TOOL } from './sign-url.js';
import type { ToolContext } from './tool-context.js';
import type { ToolDeclaration } from './tool-declaration.js';
import { UPLOAD_FILE_TOOL } from './upload-file.js';
import { UPLOAD_FROM_URL_TOOL } from './upload-from-url.js';

// biome-ignore lint/suspicious/noExplicitAny: each declaration has its own parameter type
export type AnyToolDeclaration = ToolDeclaration<any, ToolContext>;

/**
 * Every tool, declared once; Dify YAML, MCP schemas, CLI flags and the README table derive from it.
 * The first five keep the original plugin's provider order (seed-behaviour.md §1); the object tools of
 * issue #8 follow.
 */
export const TOOL_REGISTRY: readonly AnyToolDeclaration[] = [
  UPLOAD_FILE_TOOL,
  GET_FILE_BY_URL_TOOL,
  MULTI_UPLOAD_FILES_TOOL,
  GET_FILES_BY_URLS_TOOL,
  GET_PUBLIC_FILE_BY_URL_TOOL,
  SAVE_TEXT_TOOL,
  UPLOAD_FROM_URL_TOOL,
  LIST_OBJECTS_TOOL,
  GET_OBJECT_INFO_TOOL,
  SIGN_URL_TOOL,
  COPY_OBJECT_TOOL,
  DELETE_OBJECT_TOOL,
];

/** The declaration named `name`, or undefined. */
export function findTool(
  name: string,
  tools: readonly AnyToolDeclaration[] = TOOL_REGISTRY,
): AnyToolDeclaration | undefined {
  return tools.find((tool) => tool.name === name);
}
