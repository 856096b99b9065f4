// What a handler receives besides its parameters. Built once per invocation from the settings.
// (Placeholder shape: the tools issue fills in the OSS client and the fetchers.)
import type { Settings } from '../config/settings.js';
import type { Logger, TransferProgress } from './tool-declaration.js';

/** The face that invoked a tool; handlers never branch on it except for local-path rules. */
export type Face = 'dify' | 'mcp' | 'cli';

/** Context of one tool invocation. */
export interface ToolContext {
  settings: Settings;
  face: Face;
  signal: AbortSignal;
  logger: Logger;
  now: () => Date;
  onProgress?: (progress: TransferProgress) => void;
}

/** Options to build a context; faces pass these to invokeTool. */
export interface ToolContextOptions {
  settings: Settings;
  face: Face;
  signal?: AbortSignal;
  logger?: Logger;
  onProgress?: (progress: TransferProgress) => void;
  now?: () => Date;
}

const SILENT: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Builds the context of one invocation. */
export async function createToolContext(options: ToolContextOptions): Promise<ToolContext> {
  return {
    settings: options.settings,
    face: options.face,
    signal: options.signal ?? new AbortController().signal,
    logger: options.logger ?? SILENT,
    now: options.now ?? (() => new Date()),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
}
