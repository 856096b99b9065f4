// Request query strings as ordered name/value pairs, decoded once, for routing and for both signers, and
// the typed parameters several handlers read (integer bounds, encoding-type).
import { OssError } from './oss-error.js';

/** Decoded query parameters in request order. A bare `?uploads` and `?uploads=` both give `''`. */
export type QueryParams = ReadonlyArray<readonly [name: string, value: string]>;

function decodeComponent(text: string): string {
  // Form semantics (`+` is a space), as WHATWG URLSearchParams decodes; `%2B` stays a plus.
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

/**
 * Parses the part of a URL after `?`. Throws `URIError` on malformed percent-encoding, which the
 * server answers with `InvalidURI`.
 */
export function parseQuery(raw: string): QueryParams {
  if (raw === '') return [];
  return raw
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0
        ? ([decodeComponent(part), ''] as const)
        : ([decodeComponent(part.slice(0, eq)), decodeComponent(part.slice(eq + 1))] as const);
    });
}

/** The first value of `name`, or `undefined` when absent. */
export function queryValue(query: QueryParams, name: string): string | undefined {
  return query.find(([n]) => n === name)?.[1];
}

/** Whether `name` occurs at all (with or without a value). */
export function queryHas(query: QueryParams, name: string): boolean {
  return query.some(([n]) => n === name);
}

/**
 * The integer parameter `name`, `fallback` when absent or empty.
 * @throws OssError InvalidArgument naming the parameter when it is not an integer in `min..max`.
 */
export function intQueryValue(
  query: QueryParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = queryValue(query, name);
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new OssError('InvalidArgument', {
      message: `${name} must be an integer from ${min} to ${max}.`,
      extra: { ArgumentName: name, ArgumentValue: raw },
    });
  }
  return value;
}

/** `'url'` when the request asked for URL-encoded keys (`encoding-type=url`), else `undefined`. */
export function encodingTypeOf(query: QueryParams): 'url' | undefined {
  return queryValue(query, 'encoding-type') === 'url' ? 'url' : undefined;
}
