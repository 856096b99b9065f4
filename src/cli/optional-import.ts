// Lazy imports of modules other engineers own (the MCP server, packaging): a missing file means the
// feature is not installed yet, while any error inside a present module still surfaces.
import { fileURLToPath } from 'node:url';

/** A lazily imported module; undefined when the file itself is absent (not when it fails inside). */
export type ModuleLoader<T> = () => Promise<T | undefined>;

/** Imports `specifier` (relative to src/cli/), or undefined when that very file does not exist. */
export async function importIfPresent<T>(specifier: string): Promise<T | undefined> {
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    const missing = fileURLToPath(new URL(specifier, import.meta.url));
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(missing))
      return undefined;
    throw error;
  }
}
