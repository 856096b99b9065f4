import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../src/config/settings.js';
import {
  relativeToScope,
  resolveObjectTarget,
  resolveScopedKey,
  resolveScopedPrefix,
} from '../../../src/tools/object-target.js';
import { createToolContext, type ToolContext } from '../../../src/tools/tool-context.js';

// A context that never sends anything: these functions are pure given the settings.
function contextWith(scope?: string): Promise<ToolContext> {
  return createToolContext({
    face: 'cli',
    settings: parseSettings({
      access_key_id: 'id',
      access_key_secret: 'secret',
      endpoint: 'oss-cn-hangzhou.aliyuncs.com',
      bucket: 'bkt',
      ...(scope === undefined ? {} : { key_prefix_scope: scope }),
    }),
  });
}

// Each one tries to leave scope `team-a`: parent segments, encoded dots (once and twice), backslashes,
// double and leading slashes, and a sibling prefix sharing the scope's first letters.
const ESCAPES = [
  '../secret.txt',
  'docs/../../secret.txt',
  '%2e%2e/secret.txt',
  '%2E%2E%2Fsecret.txt',
  '%252e%252e/secret.txt',
  '..\\secret.txt',
  'docs\\..\\..\\secret.txt',
  'docs//x.txt',
  '/etc/passwd',
  'team-a/../team-b/x.txt',
  './x.txt',
];

describe('resolveScopedKey', () => {
  it('puts a relative key under the scope and keeps a key that already starts with it', async () => {
    const context = await contextWith('team-a');
    expect(resolveScopedKey('docs/a.md', context)).toEqual({
      key: 'team-a/docs/a.md',
      relativeKey: 'docs/a.md',
    });
    expect(resolveScopedKey('team-a/docs/a.md', context)).toEqual({
      key: 'team-a/docs/a.md',
      relativeKey: 'docs/a.md',
    });
  });

  it.each(ESCAPES)('refuses %s with KEY_OUT_OF_SCOPE', async (key) => {
    const context = await contextWith('team-a');
    expect(() => resolveScopedKey(key, context)).toThrow(
      expect.objectContaining({ code: 'KEY_OUT_OF_SCOPE' }),
    );
  });

  it('takes any key as is when there is no scope, except an empty one or one starting with /', async () => {
    const context = await contextWith();
    expect(resolveScopedKey('a/b.txt', context)).toEqual({ key: 'a/b.txt', relativeKey: 'a/b.txt' });
    expect(() => resolveScopedKey('  ', context)).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    expect(() => resolveScopedKey('/a.txt', context)).toThrow(
      expect.objectContaining({ code: 'KEY_INVALID' }),
    );
  });
});

describe('resolveObjectTarget', () => {
  it('reads the key from a URL of the configured bucket and checks it against the scope', async () => {
    const context = await contextWith('team-a');
    expect(resolveObjectTarget({ file_url: 'oss://bkt/team-a/r.pdf' }, context)).toEqual({
      key: 'team-a/r.pdf',
      relativeKey: 'r.pdf',
    });
    expect(
      resolveObjectTarget(
        { file_url: 'https://bkt.oss-cn-hangzhou.aliyuncs.com/team-a/%E6%8A%A5.pdf' },
        context,
      ),
    ).toEqual({ key: 'team-a/报.pdf', relativeKey: '报.pdf' });
  });

  it.each([
    'oss://bkt/team-b/r.pdf',
    'oss://bkt/team-a/../team-b/r.pdf',
    'oss://bkt/team-a/%2e%2e/team-b/r.pdf',
    'oss://bkt/team-a//r.pdf',
    'https://bkt.oss-cn-hangzhou.aliyuncs.com/team-a/../team-b/r.pdf',
    'https://bkt.oss-cn-hangzhou.aliyuncs.com/team-a/%2e%2e/team-b/r.pdf',
    'https://bkt.oss-cn-hangzhou.aliyuncs.com/team-a\\..\\team-b\\r.pdf',
  ])('refuses %s with KEY_OUT_OF_SCOPE', async (file_url) => {
    const context = await contextWith('team-a');
    expect(() => resolveObjectTarget({ file_url }, context)).toThrow(
      expect.objectContaining({ code: 'KEY_OUT_OF_SCOPE' }),
    );
  });

  it('refuses a URL of another bucket or host with URL_NOT_IN_BUCKET', async () => {
    const context = await contextWith();
    for (const file_url of ['oss://other/a.txt', 'https://example.com/a.txt']) {
      expect(() => resolveObjectTarget({ file_url }, context)).toThrow(
        expect.objectContaining({ code: 'URL_NOT_IN_BUCKET' }),
      );
    }
  });

  it('needs exactly one of file_url and object_key', async () => {
    const context = await contextWith();
    expect(() => resolveObjectTarget({}, context)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => resolveObjectTarget({ file_url: 'oss://bkt/a', object_key: 'a' }, context)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('resolveScopedPrefix', () => {
  it('lists the whole scope for an empty prefix and never widens to a sibling prefix', async () => {
    const context = await contextWith('team-a');
    expect(resolveScopedPrefix(undefined, context)).toBe('team-a/');
    expect(resolveScopedPrefix('team-a', context)).toBe('team-a/');
    expect(resolveScopedPrefix('rep', context)).toBe('team-a/rep');
    expect(resolveScopedPrefix('reports/', context)).toBe('team-a/reports/');
  });

  it.each(['../', '..', '%2e%2e/', 'x/../../', '..\\', '/', 'a//'])('refuses prefix %s', async (prefix) => {
    const context = await contextWith('team-a');
    expect(() => resolveScopedPrefix(prefix, context)).toThrow(
      expect.objectContaining({ code: 'KEY_OUT_OF_SCOPE' }),
    );
  });

  it('passes any prefix through when there is no scope', async () => {
    const context = await contextWith();
    expect(resolveScopedPrefix(undefined, context)).toBe('');
    expect(resolveScopedPrefix('a/', context)).toBe('a/');
  });
});

describe('relativeToScope', () => {
  it('strips the scope from keys under it and leaves other keys alone', async () => {
    const context = await contextWith('/team-a/');
    expect(relativeToScope('team-a/x/y.txt', context)).toBe('x/y.txt');
    expect(relativeToScope('team-b/y.txt', context)).toBe('team-b/y.txt');
  });
});
