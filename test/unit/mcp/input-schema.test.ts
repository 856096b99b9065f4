import { describe, expect, it } from 'vitest';
import { buildInputSchema, toFileInput, toToolParams } from '../../../src/mcp/input-schema.js';
import type { ParamSpec } from '../../../src/tools/tool-declaration.js';
import { createFakeToolkit } from './fake-tools.js';

const uploadParams: ParamSpec[] = createFakeToolkit().tools[0]!.parameters;

describe('buildInputSchema', () => {
  const http = buildInputSchema(uploadParams, 'http');
  const stdio = buildInputSchema(uploadParams, 'stdio');
  const base64 = { content_base64: 'aGk=', filename: 'hi.txt' };

  it.each([
    ['a URL file', { file: { file_url: 'https://example.com/a.png' }, directory: 'd' }, true],
    ['base64 content', { file: base64, directory: 'd' }, true],
    [
      'a select value from the options',
      { file: base64, directory: 'd', filename_mode: 'filename_timestamp' },
      true,
    ],
    ['a number inside its range', { file: base64, directory: 'd', sign_expired: 60 }, true],
    ['a number above its max', { file: base64, directory: 'd', sign_expired: 604801 }, false],
    ['a select value outside the options', { file: base64, directory: 'd', filename_mode: 'other' }, false],
    ['a missing required parameter', { file: base64 }, false],
    ['an unknown parameter', { file: base64, directory: 'd', evil: true }, false],
    ['a file mixing two shapes', { file: { ...base64, file_url: 'https://e.com/' }, directory: 'd' }, false],
    ['a non-http file URL', { file: { file_url: 'file:///etc/passwd' }, directory: 'd' }, false],
    ['content that is not base64', { file: { content_base64: '@@@', filename: 'a' }, directory: 'd' }, false],
    ['a local path over HTTP', { file: { path: '/tmp/a' }, directory: 'd' }, false],
  ])('over HTTP accepts %s: %s', (_name, args, ok) => {
    expect(http.safeParse(args).success).toBe(ok);
  });

  it('accepts a local path over stdio', () => {
    expect(stdio.safeParse({ file: { path: '/tmp/a' }, directory: 'd' }).success).toBe(true);
  });

  it('fills advertised defaults', () => {
    const parsed = http.parse({ file: base64, directory: 'd' });
    expect(parsed).toMatchObject({ filename_mode: 'filename', sign_expired: 3600 });
  });
});

describe('toFileInput', () => {
  it.each([
    [{ file_url: 'https://e.com/a' }, { kind: 'url', url: 'https://e.com/a' }],
    [{ path: '/tmp/a' }, { kind: 'path', path: '/tmp/a' }],
    [
      { content_base64: 'aG\nk=', filename: 'a.txt' },
      { kind: 'base64', data: 'aGk=', filename: 'a.txt' },
    ],
    [
      { content_base64: 'aGk=', filename: 'a.txt', mime_type: 'text/plain' },
      { kind: 'base64', data: 'aGk=', filename: 'a.txt', mimeType: 'text/plain' },
    ],
  ])('maps %j to the FileInput %j', (argument, expected) => {
    expect(toFileInput(argument)).toEqual(expected);
  });
});

describe('toToolParams', () => {
  it('maps file and files parameters and passes the rest through', () => {
    const specs: ParamSpec[] = [
      { ...uploadParams[0]!, name: 'one', type: 'file' },
      { ...uploadParams[0]!, name: 'many', type: 'files' },
      uploadParams[1]!,
    ];
    const params = toToolParams(specs, {
      one: { file_url: 'https://e.com/1' },
      many: [{ file_url: 'https://e.com/2' }, { path: '/p' }],
      directory: 'd',
    });
    expect(params).toEqual({
      one: { kind: 'url', url: 'https://e.com/1' },
      many: [
        { kind: 'url', url: 'https://e.com/2' },
        { kind: 'path', path: '/p' },
      ],
      directory: 'd',
    });
  });
});
