import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  choice,
  coerceSignExpires,
  fileParam,
  filesParam,
  flag,
  optionalText,
  requiredText,
  signExpires,
  toFileInput,
} from '../../../src/tools/params.js';

describe('coerceSignExpires', () => {
  it.each([
    [undefined, 3600],
    [null, 3600],
    ['', 3600],
    ['  ', 3600],
    ['abc', 3600],
    [0, 3600],
    [-5, 3600],
    [Number.NaN, 3600],
    ['3600', 3600],
    [' 7200 ', 7200],
    [1, 1],
    [90.9, 90],
    [604800, 604800],
    [99999999, 604800],
    ['2592000', 604800],
    [true, 3600],
  ])('turns %j into %d (B7)', (input, expected) => {
    expect(coerceSignExpires(input)).toBe(expected);
    expect(signExpires().parse(input)).toBe(expected);
  });
});

describe('Dify coercion helpers', () => {
  const schema = z.object({
    name: requiredText(),
    note: optionalText(),
    mode: choice(['a', 'b'] as const, 'a'),
    on: flag(false),
  });

  it('turns Dify empties into defaults', () => {
    expect(schema.parse({ name: ' x ', note: '', mode: null, on: '' })).toEqual({
      name: 'x',
      mode: 'a',
      on: false,
    });
    expect(schema.parse({ name: 'x' })).toEqual({ name: 'x', mode: 'a', on: false });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    [true, true],
    [0, false],
  ])('reads boolean %j as %s', (input, expected) => {
    expect(schema.parse({ name: 'x', on: input }).on).toBe(expected);
  });

  it('names the options when a select value is unknown', () => {
    const result = schema.safeParse({ name: 'x', mode: 'c' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('a, b');
  });

  it('refuses an empty required string', () => {
    expect(schema.safeParse({ name: '  ' }).success).toBe(false);
    expect(schema.safeParse({}).success).toBe(false);
  });
});

describe('toFileInput', () => {
  it('converts a Dify file dict with snake_case fields', () => {
    expect(
      toFileInput({
        dify_model_identity: '__dify__file__',
        url: 'http://dify/files/x?sign=1',
        filename: 'a.pdf',
        mime_type: 'application/pdf',
        extension: '.pdf',
        size: 12,
      }),
    ).toEqual({
      kind: 'dify',
      url: 'http://dify/files/x?sign=1',
      filename: 'a.pdf',
      mimeType: 'application/pdf',
      extension: '.pdf',
      size: 12,
    });
  });

  it('keeps FileInputs and classifies strings', () => {
    expect(toFileInput({ kind: 'path', path: '/tmp/a' })).toEqual({ kind: 'path', path: '/tmp/a' });
    expect(toFileInput('https://example.com/a.png')).toEqual({
      kind: 'url',
      url: 'https://example.com/a.png',
    });
    expect(toFileInput('./a.png')).toEqual({ kind: 'path', path: './a.png' });
    expect(toFileInput(42)).toBeUndefined();
  });

  it('splits a files string on ; and newlines and refuses an empty list', () => {
    expect(filesParam().parse('a.txt; b.txt\nhttps://x.test/c')).toEqual([
      { kind: 'path', path: 'a.txt' },
      { kind: 'path', path: 'b.txt' },
      { kind: 'url', url: 'https://x.test/c' },
    ]);
    expect(filesParam().safeParse([]).success).toBe(false);
    expect(filesParam().safeParse(null).success).toBe(false);
    expect(fileParam().safeParse({ nothing: true }).success).toBe(false);
  });
});
