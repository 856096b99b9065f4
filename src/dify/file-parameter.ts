// Turns Dify file objects inside `tool_parameters` into the face-neutral FileInput (dify-protocol.md §5).
// Downloading is the tools' job (trusted fetcher); this only recognizes, checks and converts.
import { AppError } from '../errors.js';
import type { FileInput } from '../tools/tool-declaration.js';

/** Marker Dify puts on every file object it hands to a plugin (`File.to_plugin_parameter`). */
export const DIFY_FILE_IDENTITY = '__dify__file__';

/** True for an object carrying `dify_model_identity: "__dify__file__"`. */
export function isDifyFile(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    (value as Record<string, unknown>).dify_model_identity === DIFY_FILE_IDENTITY
  );
}

const optionalText = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);

/**
 * Converts one Dify file object. Unknown keys are ignored; `mime_type`, `filename`, `extension` and
 * `size` may be null.
 * @throws AppError FILE_SOURCE_INVALID when `url` is missing; FILE_URL_RELATIVE when Dify sent a
 * relative URL (its `FILES_URL` is unset: langgenius/dify-plugins#271).
 */
export function toFileInput(value: Record<string, unknown>, parameter = 'file'): FileInput {
  const url = value.url;
  if (typeof url !== 'string' || url.trim() === '') {
    throw new AppError('FILE_SOURCE_INVALID', `Parameter "${parameter}" is a Dify file without a url`, {
      details: { parameter },
    });
  }
  if (!/^https?:\/\//i.test(url.trim())) {
    const path = url.trim().split('?')[0] ?? '';
    throw new AppError('FILE_URL_RELATIVE', undefined, { details: { parameter, path: path.slice(0, 200) } });
  }
  const size = typeof value.size === 'number' && Number.isFinite(value.size) ? value.size : null;
  return {
    kind: 'dify',
    url: url.trim(),
    filename: optionalText(value.filename),
    mimeType: optionalText(value.mime_type),
    extension: optionalText(value.extension),
    size,
  };
}

/**
 * Returns a copy of `params` where each Dify file object becomes a FileInput and each array of them
 * (`files` parameters) an array of FileInputs. Everything else is passed through unchanged.
 * @throws AppError FILE_SOURCE_INVALID, FILE_URL_RELATIVE (see {@link toFileInput}).
 */
export function convertToolParameters(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (isDifyFile(value)) out[name] = toFileInput(value, name);
    else if (Array.isArray(value) && value.length > 0 && value.every(isDifyFile)) {
      out[name] = value.map((item, index) => toFileInput(item, `${name}[${index}]`));
    } else out[name] = value;
  }
  return out;
}
