// The naming rules of the CLI: how a registry name (snake_case) becomes a command or flag name, one
// rule each, so `upload_file` is `upload-file` and `sign_expired` is `--sign-expired`. Pure.
import type { ParamSpec } from '../tools/tool-declaration.js';

/** Flags the `tool` command owns itself; a parameter with one of these names gets a `--param-` prefix. */
export const RESERVED_FLAG_NAMES: readonly string[] = ['json', 'out', 'help', 'version'];

/**
 * The CLI spelling of a registry name: snake_case or camelCase become kebab-case, lower case.
 * `upload_file` → `upload-file`, `sign_expired` → `sign-expired`, `fileURL` → `file-url`.
 */
export function toCliName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/[_\s]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

/** The long flag of a parameter, without its value placeholder: `sign_expired` → `--sign-expired`. */
export function flagNameOf(param: Pick<ParamSpec, 'name'>): string {
  const name = toCliName(param.name);
  return RESERVED_FLAG_NAMES.includes(name) ? `--param-${name}` : `--${name}`;
}

/** True when `given` names the tool `toolName`, spelled either as in the registry or by {@link toCliName}. */
export function matchesToolName(toolName: string, given: string): boolean {
  return given === toolName || given === toCliName(toolName);
}
