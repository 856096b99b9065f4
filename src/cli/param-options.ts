// Generates the commander options of a tool from its ParamSpec list, and turns parsed option values
// back into the raw parameters invokeTool validates. The flag of a parameter comes from cli-names.ts.
import { InvalidArgumentError, Option } from 'commander';
import type { ParamSpec } from '../tools/tool-declaration.js';
import { flagNameOf } from './cli-names.js';
import { toFileInput, toFileInputs } from './file-inputs.js';

/** A generated option and the parameter it fills. */
export interface ParamOption {
  param: ParamSpec;
  option: Option;
  /** Hidden `--no-<name>` of a boolean parameter. */
  negation?: Option;
}

const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

/**
 * Parses a boolean flag value; a bare flag (`--signed`) is true.
 * @throws InvalidArgumentError (a commander usage error) for anything else.
 */
export function parseBooleanFlag(value: string | boolean | undefined): boolean {
  if (value === undefined || value === true) return true;
  if (value === false) return false;
  const text = value.trim().toLowerCase();
  if (TRUE_WORDS.includes(text)) return true;
  if (FALSE_WORDS.includes(text)) return false;
  throw new InvalidArgumentError(`expected true or false, got "${value}"`);
}

/**
 * One commander option per parameter: `string` → `--name <text>`, `number` → `--name <number>`,
 * `boolean` → `--name [true|false]` plus a hidden `--no-name`, `select` → `--name <value>` limited to
 * its options, `file` → `--name <path-or-url>`, `files` → `--name <paths-or-urls>` (repeatable,
 * comma-separated). Required parameters without a default are mandatory options.
 */
export function paramOptions(params: readonly ParamSpec[]): ParamOption[] {
  return params.map((param) => {
    const flag = flagNameOf(param);
    const description = describe(param);
    let option: Option;
    let negation: Option | undefined;
    switch (param.type) {
      case 'boolean':
        option = new Option(`${flag} [true|false]`, description).argParser(parseBooleanFlag);
        negation = new Option(`--no-${flag.slice(2)}`, `sets ${param.name} to false`).hideHelp();
        break;
      case 'number':
        option = new Option(`${flag} <number>`, description);
        break;
      case 'select':
        option = new Option(`${flag} <value>`, description).choices(
          (param.options ?? []).map((o) => o.value),
        );
        break;
      case 'file':
        option = new Option(`${flag} <path-or-url>`, description);
        break;
      case 'files':
        option = new Option(`${flag} <paths-or-urls>`, description).argParser(
          (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
        );
        break;
      default:
        option = new Option(`${flag} <text>`, description);
    }
    if (param.required && param.default === undefined) option.makeOptionMandatory();
    return negation ? { param, option, negation } : { param, option };
  });
}

function describe(param: ParamSpec): string {
  const parts = [param.humanDescription.en_US || param.label.en_US];
  if (param.type === 'files') parts.push('(repeatable or comma-separated; local paths or http(s) URLs)');
  if (param.type === 'file') parts.push('(a local path or an http(s) URL)');
  if (param.min !== undefined || param.max !== undefined) {
    parts.push(`(range ${param.min ?? '-∞'}..${param.max ?? '∞'})`);
  }
  if (param.default !== undefined && param.default !== '') parts.push(`(default: ${String(param.default)})`);
  return parts.join(' ');
}

/**
 * Raw tool parameters from commander's parsed values (keyed by attribute name). Unset options are left
 * out so the tool's schema applies its defaults; file values become FileInputs resolved against `cwd`.
 * @throws AppError INVALID_ARGUMENT for an empty file value.
 */
export function rawParamsFrom(
  options: readonly ParamOption[],
  values: Record<string, unknown>,
  cwd: string,
): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const { param, option } of options) {
    const value = values[option.attributeName()];
    if (value === undefined) continue;
    if (param.type === 'file') raw[param.name] = toFileInput(String(value), cwd);
    else if (param.type === 'files') raw[param.name] = toFileInputs(value as string[], cwd);
    else raw[param.name] = value;
  }
  return raw;
}
