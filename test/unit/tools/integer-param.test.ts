import { describe, expect, it } from 'vitest';
import { boundedInteger } from '../../../src/tools/integer-param.js';

describe('boundedInteger', () => {
  const schema = boundedInteger(100, 1, 1000);

  it.each([
    [undefined, 100],
    [null, 100],
    ['', 100],
    ['  ', 100],
    ['250', 250],
    [' 7 ', 7],
    [1, 1],
    [1000, 1000],
  ])('reads %j as %i', (value, expected) => {
    expect(schema.parse(value)).toBe(expected);
  });

  it.each([0, 1001, 2.5, '12abc', 'ten', -1, true])('rejects %j', (value) => {
    expect(schema.safeParse(value).success).toBe(false);
  });
});
