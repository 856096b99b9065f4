// A strict integer parameter for the object tools: Dify's `""`/`null` mean the default, numeric strings
// (Dify, the CLI) become numbers, and anything outside the range is an INVALID_ARGUMENT naming it.
import { z } from 'zod';
import { isEmptyValue } from './params.js';

/** An integer in `min..max`; empty means `defaultValue`. Fractions and out-of-range values fail. */
export function boundedInteger(defaultValue: number, min: number, max: number) {
  return z.preprocess(
    (value) => {
      if (isEmptyValue(value)) return undefined;
      return typeof value === 'string' ? Number(value.trim()) : value;
    },
    z
      .number({ error: `expected an integer from ${min} to ${max}` })
      .int(`expected an integer from ${min} to ${max}`)
      .min(min, `expected an integer from ${min} to ${max}`)
      .max(max, `expected an integer from ${min} to ${max}`)
      .default(defaultValue),
  );
}
