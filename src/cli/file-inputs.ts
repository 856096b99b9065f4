// Turns what a person types after `--file`/`--files` into the FileInput union the tools take: an
// http(s) URL stays a URL (the tool fetches it through the guarded fetcher), anything else is a path.
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.js';
import type { FileInput } from '../tools/tool-declaration.js';

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * One `--file` value as a FileInput. `http://`/`https://` give `{kind:'url'}`; `file://` URLs and every
 * other value give `{kind:'path'}` resolved against `cwd`. Other schemes are passed on as URLs so the
 * tool refuses them with its own code (URL_SCHEME_NOT_ALLOWED).
 * @throws AppError INVALID_ARGUMENT for an empty value.
 */
export function toFileInput(value: string, cwd: string): FileInput {
  const text = value.trim();
  if (text === '')
    throw new AppError('INVALID_ARGUMENT', 'A file value is empty: give a path or an http(s) URL');
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'file') return { kind: 'path', path: fileURLToPath(text) };
  if (scheme !== undefined) return { kind: 'url', url: text };
  return { kind: 'path', path: isAbsolute(text) ? text : resolve(cwd, text) };
}

/**
 * Every `--files` value (the flag may repeat) as FileInputs. Each value is split on commas, unless the
 * whole value names an existing local file (so `a,b.txt` on disk still works); empty items are dropped.
 * A URL that contains a comma can be written with `%2C`.
 * @throws AppError INVALID_ARGUMENT when no file is left.
 */
export function toFileInputs(values: readonly string[], cwd: string): FileInput[] {
  const items = values.flatMap((value) => {
    const whole = value.trim();
    if (!SCHEME.test(whole) && whole !== '' && existsSync(resolve(cwd, whole))) return [whole];
    return value.split(',').map((item) => item.trim());
  });
  const inputs = items.filter((item) => item !== '').map((item) => toFileInput(item, cwd));
  if (inputs.length === 0) {
    throw new AppError('INVALID_ARGUMENT', 'No file given: pass paths or http(s) URLs, comma-separated');
  }
  return inputs;
}
